/**
 * The L4 forwarder, launched in one call after Aeron's {@code MediaDriver}:
 * {@link io.sluice.forwarder.Forwarder#launch} takes a {@link io.sluice.forwarder.Forwarder.Context}
 * holding every setting (interfaces, {@link io.sluice.forwarder.IoPath}, queues, CPUs, state
 * directory, idle strategy, clocks), concludes it and runs the control file, the data path and the
 * conductor until closed. The subpackages are its parts: the per-packet pipeline, the tables,
 * the workers and their sockets, the conductor and its commands, the host's kernel.
 */
package io.sluice.forwarder;
