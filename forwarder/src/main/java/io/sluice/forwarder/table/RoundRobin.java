package io.sluice.forwarder.table;

/**
 * Weighted round-robin of a VIP's new flows, one sequence per worker: smooth weighted round-robin
 * (as nginx does it), so reals of weights 5, 1, 1 are picked a a b a c a a rather than
 * a a a a a b c, and equal weights take strict turns.
 *
 * <p>Each worker reads and writes only its own row, so workers never share a cache line's worth
 * of state they write. Made by the conductor with the VIP's set of reals and kept while that set
 * stays the same (a MAC change republishes the table but keeps the rotation where it was); a new
 * set of reals starts a new rotation. A pick is one pass over the reals, with no allocation.
 */
public final class RoundRobin
{
    /** Ints between two workers' rows: 128 bytes, two cache lines, so no row shares one with another. */
    private static final int ROW_PADDING = 32;

    private final int[] weights;
    private final long totalWeight;
    private final long[][] currentByWorker;

    /**
     * @param weights each real's weight (1..65535), in the order of the VIP's reals; 0 leaves a
     *                real out (one that is down).
     */
    public RoundRobin(final int[] weights, final int workers)
    {
        this.weights = weights.clone();
        long total = 0;
        for (final int weight : weights)
        {
            if (weight < 0)
            {
                throw new IllegalArgumentException("round-robin weight " + weight + " must not be negative");
            }
            total += weight;
        }
        this.totalWeight = total;
        this.currentByWorker = new long[workers][];
        for (int i = 0; i < workers; i++)
        {
            currentByWorker[i] = new long[weights.length + ROW_PADDING];
        }
    }

    /** @return the index of the next real for this worker's new flow, or -1 when no real has a weight. */
    public int next(final int worker)
    {
        final int[] weights = this.weights;
        final long[] current = currentByWorker[worker];
        int best = -1;
        long bestCurrent = Long.MIN_VALUE;
        for (int i = 0; i < weights.length; i++)
        {
            if (weights[i] == 0)
            {
                continue;
            }
            final long value = current[i] + weights[i];
            current[i] = value;
            if (value > bestCurrent)
            {
                bestCurrent = value;
                best = i;
            }
        }
        if (best >= 0)
        {
            current[best] -= totalWeight;
        }
        return best;
    }

    /** @return whether this rotation is over exactly these weights (control path). */
    public boolean hasWeights(final int[] weights)
    {
        return java.util.Arrays.equals(this.weights, weights);
    }

    public int size()
    {
        return weights.length;
    }
}
