/**
 * The control file, {@code <state-dir>/sluice.cnc}, by which a running forwarder and every
 * {@code sluice} command meet (the Aeron CnC file pattern): its layout
 * ({@link io.sluice.forwarder.cnc.ControlFileDescriptor}) and its mapping
 * ({@link io.sluice.forwarder.cnc.ControlFile}), created by the forwarder and opened by clients.
 * The commands and replies that travel on its rings are the {@code command} package's
 * flyweights; the client that sends them is the control module's.
 */
package io.sluice.forwarder.cnc;
