/**
 * The control file, {@code <state-dir>/sluice.cnc}, by which a running forwarder and every
 * {@code sluice} command meet (the Aeron CnC file pattern): its layout
 * ({@link io.sluice.control.cnc.ControlFileDescriptor}), its mapping
 * ({@link io.sluice.control.cnc.ControlFile}), a client that sends one command on its Agrona ring
 * and waits for the reply with its correlation id ({@link io.sluice.control.cnc.ForwarderClient}),
 * and snapshots of the counters read straight from it without disturbing the data path
 * ({@link io.sluice.control.cnc.CounterSnapshot}). The daemon creates the file; the CLI's
 * commands open it; the commands themselves are the forwarder's {@code command} package's.
 */
package io.sluice.control.cnc;
