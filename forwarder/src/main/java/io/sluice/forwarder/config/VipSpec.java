package io.sluice.forwarder.config;

/** A VIP as configured: its key and how it forwards and schedules. */
public record VipSpec(VipKey key, ForwardingMode mode, SchedulerKind scheduler)
{
}
