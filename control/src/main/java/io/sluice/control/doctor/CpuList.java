package io.sluice.control.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * A CPU list as the kernel writes it ({@code /proc/irq/N/smp_affinity_list}) and as
 * {@code --cpus} takes it: {@code 0-3,8,10-11}.
 */
public final class CpuList
{
    private CpuList()
    {
    }

    /** @throws IllegalArgumentException with a one-line reason when the text is no CPU list. */
    public static List<Integer> parse(final String text)
    {
        final List<Integer> cpus = new ArrayList<>();
        for (final String part : text.strip().split(",", -1))
        {
            final String[] range = part.split("-", -1);
            try
            {
                final int first = Integer.parseInt(range[0]);
                final int last = range.length == 2 ? Integer.parseInt(range[1]) : first;
                if (range.length > 2 || first < 0 || last < first)
                {
                    throw new IllegalArgumentException("'" + text + "' is not a CPU list (e.g. 1 or 1,3 or 2-3)");
                }
                for (int cpu = first; cpu <= last; cpu++)
                {
                    cpus.add(cpu);
                }
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("'" + text + "' is not a CPU list (e.g. 1 or 1,3 or 2-3)", ex);
            }
        }
        return cpus;
    }
}
