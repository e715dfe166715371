package io.sluice.forwarder.worker;

import io.sluice.linux.packet.PacketSocket;
import org.agrona.concurrent.IdleStrategy;

/**
 * Idles a packet worker: spins briefly, yields, then sleeps in {@code poll()} on its socket so a
 * quiet forwarder costs no CPU and wakes as soon as a ring block is ready. The poll timeout also
 * bounds how long an idle worker takes to notice a newly published table.
 */
public final class PacketSocketIdleStrategy implements IdleStrategy
{
    private static final int SPINS = 100;
    private static final int YIELDS = 10;

    private final PacketSocket socket;
    private final int pollTimeoutMs;
    private int idleCount;

    public PacketSocketIdleStrategy(final PacketSocket socket, final int pollTimeoutMs)
    {
        this.socket = socket;
        this.pollTimeoutMs = pollTimeoutMs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCount = 0;
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        idleCount++;
        if (idleCount <= SPINS)
        {
            Thread.onSpinWait();
        }
        else if (idleCount <= SPINS + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            socket.awaitBlock(pollTimeoutMs);
        }
    }

    @Override
    public void reset()
    {
        idleCount = 0;
    }

    @Override
    public String alias()
    {
        return "packet-socket-poll";
    }
}
