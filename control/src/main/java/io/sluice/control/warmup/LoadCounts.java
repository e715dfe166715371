package io.sluice.control.warmup;

/** What a warm-up's load did: answers read whole, connections opened, requests that failed or were reset. */
public record LoadCounts(long answered, long connections, long failed)
{
    LoadCounts plus(final LoadCounts other)
    {
        return new LoadCounts(answered + other.answered, connections + other.connections, failed + other.failed);
    }
}
