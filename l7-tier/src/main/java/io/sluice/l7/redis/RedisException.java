package io.sluice.l7.redis;

/**
 * Why a decision completed exceptionally, in one line naming the Redis it was asked of. No stack
 * trace: the same instance completes every decision failed for the same reason, and the reason
 * is the message, not where it was thrown.
 */
public final class RedisException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    RedisException(final String message)
    {
        super(message, null, false, false);
    }
}
