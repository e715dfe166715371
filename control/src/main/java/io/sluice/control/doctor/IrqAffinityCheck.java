package io.sluice.control.doctor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether each queue's interrupt is served on its worker's CPU (with {@code --cpus}, the
 * forwarder's pinning), or at least on a CPU of its own: a queue whose IRQ lands on another
 * worker's CPU wakes that worker's core for packets it does not handle, and two queues on one
 * CPU halve both. IRQs are found in /proc/interrupts by the names drivers give them
 * ({@code eth0-TxRx-3}, {@code eth0-3}); a veth has none.
 */
public final class IrqAffinityCheck implements Check
{
    static final String NAME = "irq-affinity";

    private final String iface;
    private final int queues;
    private final List<Integer> workerCpus;

    /** @param workerCpus each worker's CPU by queue, as {@code --cpus}; empty when the workers are not pinned. */
    public IrqAffinityCheck(final String iface, final int queues, final List<Integer> workerCpus)
    {
        this.iface = iface;
        this.queues = queues;
        this.workerCpus = workerCpus;
    }

    @Override
    public Finding run(final Host host)
    {
        final TreeMap<Integer, Integer> irqByQueue = queueIrqs(host.files().read("/proc/interrupts").orElse(""));
        if (irqByQueue.isEmpty())
        {
            return Finding.pass(NAME, "no IRQs named after " + iface + " in /proc/interrupts (a virtual interface has none)");
        }
        final List<String> misplaced = new ArrayList<>();
        String fix = "";
        final Set<Integer> taken = new HashSet<>();
        for (int queue = 0; queue < queues; queue++)
        {
            final Integer irq = irqByQueue.get(queue);
            if (irq == null)
            {
                continue;
            }
            final String path = "/proc/irq/" + irq + "/smp_affinity_list";
            final String text = host.files().read(path).orElse("");
            final List<Integer> cpus = text.isEmpty() ? List.of() : CpuList.parse(text);
            final boolean pinned = queue < workerCpus.size();
            final boolean placed = pinned ? cpus.equals(List.of(workerCpus.get(queue))) :
                cpus.stream().noneMatch(taken::contains);
            taken.addAll(cpus);
            if (!placed)
            {
                misplaced.add("queue " + queue + " (IRQ " + irq + ") on CPUs " + text + (pinned ? ", its worker on " +
                    workerCpus.get(queue) : ", shared with another queue"));
                if (fix.isEmpty())
                {
                    fix = "systemctl stop irqbalance; echo " + (pinned ? workerCpus.get(queue) : "CPU") + " > " + path +
                        (pinned ? "" : " (one CPU per queue), and pin the workers there: sluice forwarder --cpus LIST");
                }
            }
        }
        if (misplaced.isEmpty())
        {
            return Finding.pass(NAME, (workerCpus.isEmpty() ? "queues' IRQs on CPUs of their own" : "each queue's IRQ on its " +
                "worker's CPU") + " (" + irqByQueue.size() + " IRQs of " + iface + ")");
        }
        return Finding.warn(NAME, String.join("; ", misplaced), fix);
    }

    /** @return the IRQ of each queue of the interface, by queue number (the name's last digits). */
    private TreeMap<Integer, Integer> queueIrqs(final String interrupts)
    {
        final Pattern queueIrq = Pattern.compile("^\\s*(\\d+):.*\\s" + Pattern.quote(iface) + "[-_](?:\\S*\\D)?(\\d+)\\s*$");
        final TreeMap<Integer, Integer> irqs = new TreeMap<>();
        for (final String line : interrupts.split("\n"))
        {
            final Matcher matcher = queueIrq.matcher(line);
            if (matcher.matches())
            {
                irqs.putIfAbsent(Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(1)));
            }
        }
        return irqs;
    }
}
