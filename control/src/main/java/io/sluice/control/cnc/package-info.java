/**
 * The client side of the control file, {@code <state-dir>/sluice.cnc} (its layout and mapping are
 * the forwarder's {@code io.sluice.forwarder.cnc}): a client that sends one command on its Agrona
 * ring and waits for the reply with its correlation id ({@link io.sluice.control.cnc.ForwarderClient}),
 * and snapshots of the counters read straight from it without disturbing the data path
 * ({@link io.sluice.control.cnc.CounterSnapshot}). The CLI's commands open the file; the commands
 * themselves are the forwarder's {@code command} package's.
 */
package io.sluice.control.cnc;
