package io.sluice.linux.packet;

/**
 * Totals of a {@link PacketSocket}'s kernel statistics (PACKET_STATISTICS). The kernel resets
 * its counters on every read, so this holder adds each read to running totals; one holder per
 * socket, reused, so reading allocates nothing.
 */
public final class PacketStatistics
{
    private long packets;
    private long drops;
    private long freezeQueueCount;

    /** @return frames that passed the filter, including the dropped ones (the kernel counts them in). */
    public long packets()
    {
        return packets;
    }

    /** @return frames that passed the filter but found no room in the ring. */
    public long drops()
    {
        return drops;
    }

    /** @return times the ring was full (all blocks held by user space) when a frame arrived. */
    public long freezeQueueCount()
    {
        return freezeQueueCount;
    }

    public void reset()
    {
        packets = 0;
        drops = 0;
        freezeQueueCount = 0;
    }

    void add(final int packets, final int drops, final int freezeQueueCount)
    {
        this.packets += packets & 0xFFFF_FFFFL;
        this.drops += drops & 0xFFFF_FFFFL;
        this.freezeQueueCount += freezeQueueCount & 0xFFFF_FFFFL;
    }

    @Override
    public String toString()
    {
        return "packets=" + packets + " drops=" + drops + " freezeQueueCount=" + freezeQueueCount;
    }
}
