/**
 * The forwarder's counters, kept in its control file through Agrona's counters so that
 * {@code sluice stats} can read them from another process while the forwarder runs.
 * {@link io.sluice.forwarder.counters.CounterTypes} fixes the type ids, key layout and labels
 * readers group by; {@link io.sluice.forwarder.counters.WorkerCounters} is the set each worker
 * owns and alone writes, including one counter per drop reason, so every counter has a single
 * writer and readers sum it over workers. {@link io.sluice.forwarder.counters.XdpKernelCounters} copies what the
 * kernel counts on the AF_XDP path (the XDP program's verdicts, the sockets' drops) into the same
 * file once a second from the conductor's thread, keeping those syscalls off the workers.
 */
package io.sluice.forwarder.counters;
