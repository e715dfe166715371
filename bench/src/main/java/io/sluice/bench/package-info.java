/**
 * JMH microbenchmarks of the code on sluice's hot paths: the forwarder's per-packet work
 * ({@link io.sluice.bench.PacketProcessorBenchmark}), flow-table lookups at growing flow counts,
 * a Maglev table build as the conductor does it, and the L7 tier's strict request decoder against
 * Netty's. They measure what the tests do not assert: time per packet, lookup or request, and,
 * with the GC profiler, bytes allocated per operation on paths meant to allocate nothing. Run them
 * with {@code bench/run-jmh}, which writes each run's figures under {@code bench/results/}. They
 * depend on the forwarder and l7-tier modules and nothing depends on them.
 */
package io.sluice.bench;
