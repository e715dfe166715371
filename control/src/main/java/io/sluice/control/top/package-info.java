/**
 * {@code sluice top}: a live view of a running forwarder, read from its control file without
 * sending it anything, and of an L7 proxy, read from its admin endpoint's {@code /metrics} and
 * {@code /status}. Samples ({@link io.sluice.control.top.CounterSample},
 * {@link io.sluice.control.top.L7Sample}) are raw counters at one moment; two of them make rates
 * ({@link io.sluice.control.top.ForwarderRates}, {@link io.sluice.control.top.L7Rates}), held
 * together in a {@link io.sluice.control.top.TopSnapshot}. Everything up to here, the
 * {@link io.sluice.control.top.TopRenderer} (a snapshot as lines for a screen's size) and the
 * {@link io.sluice.control.top.TopJson} writer is pure and unit-tested; only the
 * {@link io.sluice.control.top.Terminal} (raw mode through {@code stty}, keys, ANSI screen) and
 * the {@link io.sluice.control.top.LiveTop} loop touch the terminal.
 */
package io.sluice.control.top;
