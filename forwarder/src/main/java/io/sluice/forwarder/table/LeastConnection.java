package io.sluice.forwarder.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Weighted least-connection, as IPVS's {@code wlc}: a VIP's new flow goes to the real with the
 * fewest live flows per unit of weight, counted over every worker. A worker's live flows per real
 * come from a census of its own flow table (flows end by idling out, not by an event it sees),
 * refreshed by whole passes ({@link #startCount}, {@link #count}, {@link #publish}); between two
 * passes the flows it places are added as it places them.
 *
 * <p>Each worker writes only its own rows, others read them with opaque loads: a count a few
 * flows old only makes one pick less exact. Made by the conductor; a new table over the same
 * reals (a MAC or health change, new weights) {@link #withWeights shares} the counts. A pick
 * reads every real's count on every worker and allocates nothing.
 */
public final class LeastConnection
{
    /** Longs between two workers' rows: 128 bytes, so no row shares a cache line with another. */
    private static final int ROW_PADDING = 16;
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int[] weights;
    /** Live flows per real as each worker last counted them, plus the flows it placed since. */
    private final long[][] activeByWorker;
    /** Each worker's census in progress; private to that worker. */
    private final long[][] censusByWorker;

    /**
     * @param weights each real's weight, in the order of the VIP's reals; 0 leaves a real out (one
     *                that is down or drained).
     */
    public LeastConnection(final int[] weights, final int workers)
    {
        this(checked(weights), rows(workers, weights.length), rows(workers, weights.length));
    }

    private LeastConnection(final int[] weights, final long[][] activeByWorker, final long[][] censusByWorker)
    {
        this.weights = weights;
        this.activeByWorker = activeByWorker;
        this.censusByWorker = censusByWorker;
    }

    /** The same reals with other weights, sharing their counts. */
    public LeastConnection withWeights(final int[] weights)
    {
        if (weights.length != this.weights.length)
        {
            throw new IllegalArgumentException(weights.length + " weights for " + this.weights.length + " reals");
        }
        return new LeastConnection(checked(weights), activeByWorker, censusByWorker);
    }

    /**
     * Picks the real for this worker's new flow and counts the flow on it: the least live flows per
     * weight, compared as IPVS does ({@code active_a * weight_b < active_b * weight_a}), the first
     * such real on a tie.
     *
     * @return the real's index, or -1 when no real has a weight.
     */
    public int next(final int worker)
    {
        int best = -1;
        long bestActive = 0;
        int bestWeight = 0;
        for (int i = 0; i < weights.length; i++)
        {
            final int weight = weights[i];
            if (weight == 0)
            {
                continue;
            }
            final long active = active(i);
            if (best < 0 || active * bestWeight < bestActive * weight)
            {
                best = i;
                bestActive = active;
                bestWeight = weight;
            }
        }
        if (best >= 0)
        {
            final long[] row = activeByWorker[worker];
            COUNTS.setOpaque(row, best, row[best] + 1);
        }
        return best;
    }

    /** Live flows on real {@code index}, summed over the workers. */
    public long active(final int index)
    {
        long active = 0;
        for (final long[] row : activeByWorker)
        {
            active += (long)COUNTS.getOpaque(row, index);
        }
        return active;
    }

    /** Starts this worker's census: every real at zero. */
    public void startCount(final int worker)
    {
        Arrays.fill(censusByWorker[worker], 0L);
    }

    /** Counts one live flow of this worker on real {@code index}. */
    public void count(final int worker, final int index)
    {
        censusByWorker[worker][index]++;
    }

    /** Ends this worker's census: its counts become what the VIP's picks see. */
    public void publish(final int worker)
    {
        final long[] census = censusByWorker[worker];
        final long[] row = activeByWorker[worker];
        for (int i = 0; i < weights.length; i++)
        {
            COUNTS.setOpaque(row, i, census[i]);
        }
    }

    public int size()
    {
        return weights.length;
    }

    private static int[] checked(final int[] weights)
    {
        for (final int weight : weights)
        {
            if (weight < 0)
            {
                throw new IllegalArgumentException("least-connection weight " + weight + " must not be negative");
            }
        }
        return weights.clone();
    }

    private static long[][] rows(final int workers, final int reals)
    {
        final long[][] rows = new long[workers][];
        for (int i = 0; i < workers; i++)
        {
            rows[i] = new long[reals + ROW_PADDING];
        }
        return rows;
    }
}
