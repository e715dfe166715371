package io.sluice.forwarder.config;

/** A VIP as configured: its key, how it forwards and schedules, and how its reals are checked. */
public record VipSpec(VipKey key, ForwardingMode mode, SchedulerKind scheduler, HealthCheck health)
{
    /** A VIP whose reals are not checked. */
    public VipSpec(final VipKey key, final ForwardingMode mode, final SchedulerKind scheduler)
    {
        this(key, mode, scheduler, HealthCheck.NONE);
    }
}
