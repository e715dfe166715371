package io.sluice.control.warmup;

/**
 * A warm-up that has ended.
 *
 * @param ending why it ended when it did: {@code 8 s, as asked}, {@code the JIT settled after 23 s}, or that it reached
 *               its maximum with the JIT still compiling.
 * @param counts what its load did.
 */
public record WarmedUp(String ending, LoadCounts counts)
{
    /** For {@code sluice l7}'s line after the warm-up. */
    public String summary()
    {
        return ending + "; " + counts.summary();
    }
}
