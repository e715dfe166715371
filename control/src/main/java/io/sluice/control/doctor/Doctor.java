package io.sluice.control.doctor;

import java.util.ArrayList;
import java.util.List;

/** Picks the checks for a forwarder's host or a real, and runs them in order. */
public final class Doctor
{
    private Doctor()
    {
    }

    /** @return the findings of every check that applies, in the order they were run. */
    public static DoctorReport run(final Host host, final DoctorOptions options)
    {
        final List<Finding> findings = new ArrayList<>();
        for (final Check check : checks(options))
        {
            findings.add(check.run(host));
        }
        return new DoctorReport(findings);
    }

    /**
     * The kernel's features first (everything else stands on them), then the host's role: a real's
     * VIP and sysctls, or the forwarder's interface (the other-program check before the attach
     * probe, which it explains) and configuration; the CPUs last.
     */
    static List<Check> checks(final DoctorOptions options)
    {
        final List<Check> checks = new ArrayList<>(List.of(
            new AfXdpCheck(), new BpfSyscallCheck(), new BpfJitCheck(), new BpffsCheck(), new IoUringCheck()));
        final String iface = options.iface();
        if (options.realVip() != null)
        {
            checks.addAll(List.of(new VipOnLoopbackCheck(options.realVip()), new ArpSysctlCheck(options.realVip(), iface),
                new RpFilterCheck(iface, true), new DecapPathCheck(iface)));
        }
        else
        {
            checks.addAll(List.of(ForwardingCheck.ipv4(), ForwardingCheck.ipv6()));
            if (iface != null)
            {
                checks.addAll(List.of(new OtherXdpProgramCheck(iface), new XdpAttachCheck(iface),
                    new QueueCountCheck(iface, options.queues()), new LroCheck(iface), new GroCheck(iface),
                    new ChecksumOffloadCheck(iface), new TunnelMtuCheck(iface, options.vips()), new RpFilterCheck(iface, false),
                    new IrqAffinityCheck(iface, options.queues(), options.workerCpus())));
            }
            checks.addAll(List.of(new VipRouteCheck(options.vips()), new RealNeighbourCheck(options.vips())));
        }
        checks.addAll(List.of(new ClockSourceCheck(), new CpuGovernorCheck()));
        return checks;
    }
}
