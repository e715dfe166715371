package io.sluice.control.doctor;

import java.util.ArrayList;
import java.util.List;

/** Whether CPUs run at full speed: a power-saving governor lets a busy-polling worker's core idle down between bursts. */
public final class CpuGovernorCheck implements Check
{
    static final String NAME = "cpu-governor";
    static final String CPUS = "/sys/devices/system/cpu";

    @Override
    public Finding run(final Host host)
    {
        final List<String> slow = new ArrayList<>();
        int scaled = 0;
        for (final String cpu : host.files().list(CPUS))
        {
            if (!cpu.matches("cpu\\d+"))
            {
                continue;
            }
            final String governor = host.files().read(CPUS + "/" + cpu + "/cpufreq/scaling_governor").orElse("");
            if (!governor.isEmpty())
            {
                scaled++;
                if (!"performance".equals(governor))
                {
                    slow.add(cpu + " " + governor);
                }
            }
        }
        if (scaled == 0)
        {
            return Finding.pass(NAME, "no frequency scaling exposed (a fixed clock, or a virtual machine)");
        }
        if (slow.isEmpty())
        {
            return Finding.pass(NAME, "performance on all " + scaled + " CPUs");
        }
        return Finding.warn(NAME, String.join(", ", slow),
            "cpupower frequency-set -g performance (or: echo performance | tee " + CPUS + "/cpu*/cpufreq/scaling_governor)");
    }
}
