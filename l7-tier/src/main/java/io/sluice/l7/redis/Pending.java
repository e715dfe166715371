package io.sluice.l7.redis;

import io.sluice.l7.ratelimit.LimitDecision;

import java.util.concurrent.CompletableFuture;

/**
 * A command written to Redis and not answered yet. Redis answers a connection's commands in the
 * order it received them, so these wait in that order and each answer belongs to the first. A
 * decision that timed out stays until its answer comes (it is then dropped), so answers keep
 * matching their commands. Confined to its connection's event loop.
 */
final class Pending
{
    enum Kind
    {
        AUTH, SELECT, SCRIPT_LOAD, DECISION
    }

    final Kind kind;
    /** When the command was first written ({@link System#nanoTime}); a retry keeps it. */
    final long sentNanos;
    /** For a decision: what it completes, and what it sends again if Redis lost the script. */
    final CompletableFuture<LimitDecision> result;
    final String key;
    final long intervalNanos;
    final int burst;
    final int cost;
    final long deadlineNanos;
    /** Sent again after NOSCRIPT: a second NOSCRIPT is an error. */
    boolean retried;
    /** Its result was completed (answered, timed out or failed); later news of it is dropped. */
    boolean finished;

    private Pending(final Kind kind, final long sentNanos, final CompletableFuture<LimitDecision> result, final String key,
        final long intervalNanos, final int burst, final int cost, final long deadlineNanos)
    {
        this.kind = kind;
        this.sentNanos = sentNanos;
        this.result = result;
        this.key = key;
        this.intervalNanos = intervalNanos;
        this.burst = burst;
        this.cost = cost;
        this.deadlineNanos = deadlineNanos;
    }

    /** A handshake command, or {@code SCRIPT LOAD}: nothing waits on it but the connection. */
    static Pending step(final Kind kind, final long nowNanos)
    {
        return new Pending(kind, nowNanos, null, null, 0, 0, 0, Long.MAX_VALUE);
    }

    static Pending decision(final CompletableFuture<LimitDecision> result, final String key, final long intervalNanos,
        final int burst, final int cost, final long nowNanos, final long timeoutNanos)
    {
        return new Pending(Kind.DECISION, nowNanos, result, key, intervalNanos, burst, cost, nowNanos + timeoutNanos);
    }

    /** Whether this is a decision still waiting for its result. */
    boolean awaited()
    {
        return kind == Kind.DECISION && !finished;
    }
}
