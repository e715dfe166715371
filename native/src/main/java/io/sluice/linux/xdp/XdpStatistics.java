package io.sluice.linux.xdp;

/**
 * The kernel's counters of one AF_XDP socket ({@code struct xdp_statistics}).
 *
 * @param rxDropped              packets dropped for lack of a frame or other reasons.
 * @param rxInvalidDescriptors   fill-ring entries the kernel refused.
 * @param txInvalidDescriptors   TX descriptors the kernel refused.
 * @param rxRingFull             packets dropped because the RX ring was full (the worker is behind).
 * @param rxFillRingEmpty        times the kernel found no frame in the fill ring.
 * @param txRingEmpty            times the kernel found the TX ring empty when woken.
 */
public record XdpStatistics(
    long rxDropped, long rxInvalidDescriptors, long txInvalidDescriptors, long rxRingFull, long rxFillRingEmpty, long txRingEmpty)
{
    public static final int LENGTH = 48;
}
