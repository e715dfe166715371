package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * nginx's smooth weighted round-robin: weights 5:1:1 give {@code a a b a c a a}, spreading the
 * heavy server's turns instead of sending it five in a row.
 *
 * <p>nginx runs it per worker under no contention. Here one pool serves every event loop, so
 * rather than update every server's running weight under a lock on each pick, the whole cycle
 * is computed once per healthy set (the sequence depends on nothing else) and a shared atomic
 * counter steps through it: one {@code getAndIncrement} per pick, and the same sequence nginx
 * would give, interleaved among the event loops.
 */
final class SmoothWeightedRoundRobin implements Algorithm
{
    /**
     * The longest cycle kept. Weights are first divided by their greatest common divisor, which
     * leaves the sequence unchanged; only weights as odd as 65535:65534 still exceed this, and are
     * scaled down to it, off by at most one part in 65536.
     */
    static final int MAX_CYCLE = 1 << 16;

    private record Cycle(HealthySet healthy, Upstream[] order)
    {
    }

    private final AtomicLong next = new AtomicLong();
    private volatile Cycle cycle;

    @Override
    public Upstream choose(final HttpRequest request, final InetSocketAddress client, final HealthySet healthy)
    {
        Cycle current = cycle;
        if (current == null || current.healthy() != healthy)
        {
            // Several event loops may build it at once after a health change; they build the same one.
            current = new Cycle(healthy, cycle(healthy.upstreams));
            cycle = current;
        }
        final Upstream[] order = current.order();
        return order[(int)Long.remainderUnsigned(next.getAndIncrement(), order.length)];
    }

    static Upstream[] cycle(final Upstream[] upstreams)
    {
        final long[] weights = reducedWeights(upstreams);
        long total = 0;
        for (final long weight : weights)
        {
            total += weight;
        }
        final Upstream[] order = new Upstream[(int)total];
        final long[] current = new long[weights.length];
        for (int turn = 0; turn < total; turn++)
        {
            int best = 0;
            for (int i = 0; i < weights.length; i++)
            {
                current[i] += weights[i];
                // Strictly greater: on a tie the first server wins, as in nginx.
                if (current[i] > current[best])
                {
                    best = i;
                }
            }
            current[best] -= total;
            order[turn] = upstreams[best];
        }
        return order;
    }

    private static long[] reducedWeights(final Upstream[] upstreams)
    {
        final long[] weights = new long[upstreams.length];
        long divisor = 0;
        long total = 0;
        for (int i = 0; i < upstreams.length; i++)
        {
            weights[i] = upstreams[i].weight();
            divisor = gcd(divisor, weights[i]);
            total += weights[i];
        }
        total /= divisor;
        for (int i = 0; i < weights.length; i++)
        {
            weights[i] /= divisor;
            if (total > MAX_CYCLE)
            {
                weights[i] = Math.max(1, weights[i] * (MAX_CYCLE - weights.length) / total);
            }
        }
        return weights;
    }

    private static long gcd(final long a, final long b)
    {
        return b == 0 ? a : gcd(b, a % b);
    }
}
