package io.sluice.control.cli;

import io.sluice.control.cnc.CounterSnapshot;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.forwarder.counters.CounterTypes;

import java.time.Instant;

/**
 * A real's health as the forwarder's conductor last wrote it into the control file: up or down,
 * when that last changed and how many times it has. Only reals of a VIP with a health check
 * have it; {@link #NOT_CHECKED} stands for the others.
 *
 * @param state        "up", "down", or "-" when not checked.
 * @param changedAtMs  epoch milliseconds of the last change; 0 when it never changed.
 * @param transitions  how many times it changed.
 */
record RealHealth(String state, long changedAtMs, long transitions)
{
    static final RealHealth NOT_CHECKED = new RealHealth("-", 0, 0);

    static RealHealth of(final CounterSnapshot counters, final VipConfig vip, final RealSpec real)
    {
        if (!vip.spec().health().enabled())
        {
            return NOT_CHECKED;
        }
        final String label = "real " + vip.key() + " " + real.endpoint() + " health";
        final long up = counters.value(CounterTypes.REAL_HEALTH, label);
        return new RealHealth(up == 1 ? "up" : "down",
            counters.value(CounterTypes.REAL_HEALTH_CHANGED_MS, label + " changed"),
            counters.value(CounterTypes.REAL_HEALTH_TRANSITIONS, label + " transitions"));
    }

    /** The time of the last change, or "-" when it never changed (up since the real was added). */
    String since()
    {
        return changedAtMs == 0 ? "-" : Instant.ofEpochMilli(changedAtMs).toString();
    }
}
