package io.sluice.forwarder.worker;

import org.agrona.concurrent.IdleStrategy;

/**
 * Idles a worker: spins briefly, yields, then sleeps in {@code poll()} on its socket so a quiet
 * forwarder costs no CPU and wakes as soon as packets are ready. The poll timeout also bounds
 * how long an idle worker takes to notice a newly published table.
 */
public final class PollIdleStrategy implements IdleStrategy
{
    /** Blocks in poll() on a socket until it has packets to read or the timeout passes. */
    @FunctionalInterface
    public interface ReadinessWait
    {
        /** @return non-zero when packets are ready to read. */
        int await(int timeoutMs);
    }

    private static final int SPINS = 100;
    private static final int YIELDS = 10;

    private final ReadinessWait socket;
    private final int pollTimeoutMs;
    private int idleCount;

    /** @param socket made once (e.g. {@code packetSocket::awaitBlock}), called with no allocation. */
    public PollIdleStrategy(final ReadinessWait socket, final int pollTimeoutMs)
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
            socket.await(pollTimeoutMs);
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
        return "socket-poll";
    }
}
