package io.sluice.control.doctor;

import java.util.List;
import java.util.Optional;

/**
 * Whether the clock is cheap to read: the forwarder reads it once per batch and every flow
 * lookup's timestamp comes from it; HPET or the ACPI PM timer costs microseconds per read.
 */
public final class ClockSourceCheck implements Check
{
    static final String NAME = "clocksource";
    static final String DIRECTORY = "/sys/devices/system/clocksource/clocksource0/";
    private static final List<String> FAST = List.of("tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page");

    @Override
    public Finding run(final Host host)
    {
        final Optional<String> current = host.files().read(DIRECTORY + "current_clocksource");
        if (current.isEmpty())
        {
            return Finding.warn(NAME, "no " + DIRECTORY + "current_clocksource",
                "cat /sys/devices/system/clocksource/*/current_clocksource");
        }
        final String clock = current.get();
        if (FAST.contains(clock))
        {
            return Finding.pass(NAME, clock);
        }
        final String available = host.files().read(DIRECTORY + "available_clocksource").orElse("");
        final String fix = List.of(available.split(" ")).contains("tsc") ?
            "echo tsc > " + DIRECTORY + "current_clocksource" : "boot with tsc=reliable (or use a VM type that offers kvm-clock)";
        if ("jiffies".equals(clock))
        {
            return Finding.fail(NAME, "jiffies: timestamps only as fine as the timer tick, flow timeouts and rates go wrong",
                fix);
        }
        return Finding.warn(NAME, clock + ": each clock read costs about a microsecond (available: " + available + ")", fix);
    }
}
