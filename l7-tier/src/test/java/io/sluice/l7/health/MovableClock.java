package io.sluice.l7.health;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves, so ejection times are tested without sleeping. */
final class MovableClock implements InstantSource
{
    private final AtomicLong nowMs = new AtomicLong(1_700_000_000_000L);

    void advance(final Duration duration)
    {
        nowMs.addAndGet(duration.toMillis());
    }

    @Override
    public long millis()
    {
        return nowMs.get();
    }

    @Override
    public Instant instant()
    {
        return Instant.ofEpochMilli(millis());
    }
}
