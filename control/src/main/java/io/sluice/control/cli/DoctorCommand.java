package io.sluice.control.cli;

import io.sluice.control.doctor.CpuList;
import io.sluice.control.doctor.Doctor;
import io.sluice.control.doctor.DoctorOptions;
import io.sluice.control.doctor.DoctorReport;
import io.sluice.control.doctor.Host;
import io.sluice.control.doctor.HostFiles;
import io.sluice.control.doctor.LinuxKernelProbes;
import io.sluice.control.doctor.NetlinkHostNetwork;
import io.sluice.control.doctor.ProcessHostCommands;
import io.sluice.forwarder.conductor.ConfigFileStore;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.linux.LinuxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice doctor [--iface IF] [--real VIP] [--queues N] [--cpus LIST] [--json] [--state-dir DIR]}:
 * checks this host (in this network namespace) for what keeps a forwarder or a real from working,
 * a line per check with PASS, WARN or FAIL and the command that fixes it; exits 1 when a check failed.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Check this host for what keeps a forwarder (or, with --real, a real) from working: a line per check, " +
        "PASS, WARN or FAIL with the command that fixes it. Exits 1 when a check failed.",
        "With --iface it attaches an XDP program that passes every packet to IF for a moment (never replacing one there); " +
            "on some NIC drivers a first XDP attachment reconfigures the rings, a pause of milliseconds."})
public final class DoctorCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--iface", paramLabel = "IF",
        description = "The forwarder's interface (on a real: the one facing the forwarder) to check.")
    String iface;

    @Option(names = "--real", paramLabel = "VIP", description = "Check this host as a real serving VIP (DSR or tunnel mode).")
    String real;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1", description = "The forwarder's --queues (default: 1).")
    int queues;

    @Option(names = "--cpus", paramLabel = "LIST", description = "The forwarder's --cpus, to check IRQ affinity against.")
    String cpus;

    @Override
    public Integer call()
    {
        final DoctorOptions options = new DoctorOptions(iface == null ? null : Inputs.interfaceName(spec, iface), vip(),
            queues, workerCpus(), configuredVips());
        final DoctorReport report;
        try (NetlinkHostNetwork network = new NetlinkHostNetwork())
        {
            final Host host = new Host(new HostFiles(Path.of("/")), new ProcessHostCommands(), new LinuxKernelProbes(), network);
            report = Doctor.run(host, options);
        }
        catch (final LinuxException ex)
        {
            throw new CliException(ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.print(common.json() ? report.json() + "\n" : report.text());
        out.flush();
        return report.failed() ? CliException.EXIT_FAILED : 0;
    }

    private IpAddress vip()
    {
        try
        {
            return real == null ? null : IpAddress.parse(real);
        }
        catch (final ConfigException ex)
        {
            throw new ParameterException(spec.commandLine(), "--real " + ex.getMessage());
        }
    }

    private List<Integer> workerCpus()
    {
        if (queues < 1)
        {
            throw new ParameterException(spec.commandLine(), "--queues " + queues + " must be at least 1");
        }
        try
        {
            return cpus == null ? List.of() : CpuList.parse(cpus);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--cpus " + ex.getMessage());
        }
    }

    /** The running forwarder's VIPs, from the configuration it keeps in --state-dir; none when there is no file. */
    private List<VipConfig> configuredVips()
    {
        try
        {
            return new ConfigFileStore(common.stateDir().resolve(ConfigFileStore.DEFAULT_FILE_NAME)).load().vips();
        }
        catch (final ConfigException | UncheckedIOException ex)
        {
            throw new CliException(ex.getMessage());
        }
    }
}
