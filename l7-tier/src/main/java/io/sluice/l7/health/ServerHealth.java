package io.sluice.l7.health;

/**
 * What the active checks know of one server, after its latest check. Immutable: each check's
 * result makes the next one, so a reader on another thread (the admin endpoint) always sees a
 * consistent whole.
 *
 * @param healthy          the verdict: {@code fall} failures in a row make it false, {@code rise} passes true.
 * @param passesInRow      checks passed since the last failure.
 * @param failuresInRow    checks failed since the last pass.
 * @param changedAtEpochMs when the verdict last changed (or the checks started).
 * @param transitions      how many times the verdict has changed.
 * @param lastFailure      why the latest failed check failed, one line; null when none has.
 */
public record ServerHealth(boolean healthy, int passesInRow, int failuresInRow, long changedAtEpochMs, long transitions, String lastFailure)
{
    /**
     * A server not checked yet counts as healthy: a freshly started proxy must not refuse every
     * request until the first round of checks passes (rise × interval, seconds), and a server that
     * is really down is out after {@code fall} checks. HAProxy starts servers up the same way;
     * Envoy starts them failing, which suits a control plane adding hosts to a running cluster
     * more than a proxy starting with its whole configuration.
     */
    static ServerHealth unchecked(final long nowEpochMs)
    {
        return new ServerHealth(true, 0, 0, nowEpochMs, 0, null);
    }

    /** The state after one more check: {@code failure} null for a pass, else why it failed. */
    ServerHealth after(final String failure, final int rise, final int fall, final long nowEpochMs)
    {
        if (failure == null)
        {
            final int passes = oneMore(passesInRow);
            final boolean rises = !healthy && passes >= rise;
            return new ServerHealth(healthy || rises, passes, 0, rises ? nowEpochMs : changedAtEpochMs,
                rises ? transitions + 1 : transitions, lastFailure);
        }
        final int failures = oneMore(failuresInRow);
        final boolean falls = healthy && failures >= fall;
        return new ServerHealth(healthy && !falls, 0, failures, falls ? nowEpochMs : changedAtEpochMs,
            falls ? transitions + 1 : transitions, failure);
    }

    /** Counts saturate rather than wrap: a server down for years must not look freshly failed. */
    private static int oneMore(final int count)
    {
        return count == Integer.MAX_VALUE ? count : count + 1;
    }
}
