package io.sluice.control.cli;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.IoPath;
import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.cnc.ControlFileException;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.Ipv4Prefix;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.linux.LinuxException;
import io.sluice.linux.bpf.XdpMode;
import io.sluice.linux.xdp.XdpBindMode;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import static io.sluice.forwarder.Forwarder.Context.DEFAULT_FLOWS;
import static io.sluice.forwarder.Forwarder.Context.MAX_FLOWS;
import static io.sluice.forwarder.Forwarder.Context.MAX_QUEUES;
import static io.sluice.forwarder.Forwarder.Context.MIN_FLOWS;

/**
 * {@code sluice forwarder --iface IF [--io xdp|packet] [--xdp-mode native|generic] [--xdp-bind MODE] [--tunnel-source PREFIX] [--queues N]
 * [--cpus LIST] [--state-dir DIR] [--flows N] [--bgp FILE]}:
 * checks the options, fills a {@link Forwarder.Context} with them and launches the L4 forwarder
 * in the foreground until SIGTERM or SIGINT. Whether the interface exists is the launch's to
 * check: it looks it up by name in its own network namespace, where /sys may show another one's
 * interfaces.
 */
@Command(name = "forwarder", description = "Run the L4 forwarder on an interface (in the foreground).",
    mixinStandardHelpOptions = true)
public final class ForwarderCommand implements Callable<Integer>
{
    /** How long a stopping forwarder keeps forwarding after its withdrawal, while routers move flows away. */
    static final long DRAIN_MS = 1_000;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--iface", required = true, paramLabel = "IF", description = "The interface packets arrive on and leave by.")
    String iface;

    @Option(names = "--egress-iface", paramLabel = "IF2",
        description = "Send packets to reals by this second interface (reals' side; NAT replies arrive on it), the first " +
            "staying the clients' side.")
    String egressIface;

    @Option(names = "--io", paramLabel = "xdp|packet",
        description = "How packets are read and written: xdp (AF_XDP, an XDP program steering VIP packets to one socket per " +
            "queue) or packet (AF_PACKET, any kernel and NIC). Default: xdp where it can be set up, else packet, saying why.")
    String io;

    @Option(names = "--xdp-mode", paramLabel = "native|generic",
        description = "Where the XDP program runs: native (in the driver) or generic (any interface). Default: native, else generic.")
    String xdpMode;

    @Option(names = "--xdp-bind", paramLabel = "auto|copy|zero-copy", defaultValue = "auto",
        description = "AF_XDP memory sharing with the driver (default: ${DEFAULT-VALUE}: zero-copy where the driver offers it).")
    String xdpBind;

    @Option(names = "--tunnel-source", paramLabel = "PREFIX", defaultValue = "172.16.0.0/16",
        description = "Outer source addresses of tunnel-mode VIPs, the host bits taken from each flow's hash so the reals' RSS " +
            "spreads flows (default: ${DEFAULT-VALUE}, as Katran).")
    String tunnelSource;

    @Option(names = "--gue-port", paramLabel = "PORT", defaultValue = "" + PacketProcessor.DEFAULT_GUE_PORT,
        description = "UDP port of gue-mode VIPs' packets, the one the reals' sluice decap --gue-port listens on (default: ${DEFAULT-VALUE}).")
    int guePort;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
        description = "Worker threads: AF_XDP, one socket per queue 0..N-1; AF_PACKET, one fanout socket each (1-" + MAX_QUEUES + ", default: ${DEFAULT-VALUE}).")
    int queues;

    @Option(names = "--flows", paramLabel = "N", defaultValue = "" + DEFAULT_FLOWS,
        description = "Flow-table entries per worker, a power of two (default: ${DEFAULT-VALUE}).")
    int flows;

    @Option(names = "--cpus", paramLabel = "LIST",
        description = "Pin worker threads to these CPUs, in order and round-robin (e.g. 1 or 1,3 or 2-3); default: not pinned.")
    String cpus;

    @Option(names = "--bgp", paramLabel = "FILE",
        description = "Announce VIPs over BGP through BIRD (bird2) with the settings in this YAML file, each VIP only while " +
            "it can be served; on SIGTERM withdraw them all and forward " + DRAIN_MS + " ms more before stopping.")
    Path bgp;

    @Override
    public Integer call()
    {
        final Forwarder.Context context = context();
        // Made first so a SIGTERM during start-up also waits for the clean-up below; closing it
        // at the end lets the JVM's shutdown proceed.
        try (ShutdownSignalBarrier shutdown = new ShutdownSignalBarrier())
        {
            try (Forwarder forwarder = Forwarder.launch(context))
            {
                System.out.println("sluice forwarder: " + forwarder.summary());
                System.out.flush();
                shutdown.await();
                final String withdrawal = forwarder.withdrawAndDrain(DRAIN_MS);
                System.out.println("sluice forwarder: stopping" + (withdrawal == null ? "" : " (" + withdrawal + ")"));
                return 0;
            }
            catch (final ConfigException | ControlFileException | LinuxException | IllegalArgumentException ex)
            {
                System.err.println("sluice: " + ex.getMessage());
                return 1;
            }
        }
    }

    /** The forwarder's settings from the options; a bad option is a usage error naming it. */
    Forwarder.Context context()
    {
        Inputs.interfaceName(spec, iface);
        final IoPath ioPath;
        if (io == null)
        {
            ioPath = IoPath.AUTO;
        }
        else if (io.equals("xdp"))
        {
            ioPath = IoPath.XDP;
        }
        else if (io.equals("packet"))
        {
            ioPath = IoPath.PACKET;
        }
        else
        {
            throw usage("unknown --io '" + io + "' (expected xdp or packet)");
        }
        final XdpMode mode;
        final XdpBindMode bind;
        try
        {
            mode = xdpMode == null ? null : XdpMode.parse(xdpMode);
            bind = XdpBindMode.parse(xdpBind);
        }
        catch (final IllegalArgumentException ex)
        {
            throw usage(ex.getMessage());
        }
        if (ioPath == IoPath.PACKET && (xdpMode != null || bind != XdpBindMode.AUTO))
        {
            throw usage("--xdp-mode and --xdp-bind apply to --io xdp, not --io packet");
        }
        if (queues < 1 || queues > MAX_QUEUES)
        {
            throw usage("--queues " + queues + " is outside 1-" + MAX_QUEUES);
        }
        if (flows < MIN_FLOWS || flows > MAX_FLOWS || Integer.bitCount(flows) != 1)
        {
            throw usage("--flows " + flows + " must be a power of two from " + MIN_FLOWS + " to " + MAX_FLOWS);
        }
        if (guePort < 1 || guePort > 65535)
        {
            throw usage("--gue-port " + guePort + " is outside 1-65535");
        }
        final Ipv4Prefix outerSources;
        try
        {
            outerSources = Ipv4Prefix.parse(tunnelSource);
        }
        catch (final ConfigException ex)
        {
            throw usage("--tunnel-source: " + ex.getMessage());
        }
        final BgpConfig bgpConfig;
        try
        {
            bgpConfig = bgp == null ? null : BgpFile.read(bgp);
        }
        catch (final ConfigException ex)
        {
            throw usage("--bgp " + ex.getMessage());
        }
        if (egressIface != null)
        {
            Inputs.interfaceName(spec, egressIface);
            if (egressIface.equals(iface))
            {
                throw usage("--egress-iface " + egressIface + " is the --iface itself; leave it out to use one interface");
            }
        }
        return new Forwarder.Context()
            .iface(iface)
            .egressIface(egressIface)
            .io(ioPath)
            .queues(queues)
            .stateDir(common.stateDir())
            .flows(flows)
            .workerCpus(workerCpus())
            .xdpMode(mode)
            .xdpBindMode(bind)
            .tunnelSource(outerSources)
            .guePort(guePort)
            .bgp(bgpConfig);
    }

    /** @return the CPU of each worker (-1: not pinned), from --cpus. */
    private int[] workerCpus()
    {
        final int[] perWorker = new int[queues];
        Arrays.fill(perWorker, -1);
        if (cpus == null)
        {
            return perWorker;
        }
        final List<Integer> list = new ArrayList<>();
        for (final String part : cpus.split(",", -1))
        {
            final String[] range = part.split("-", -1);
            if (range.length > 2 || !part.matches("[0-9]+(-[0-9]+)?") || part.length() > 9)
            {
                throw usage("--cpus '" + cpus + "' is not a CPU list (e.g. 1 or 1,3 or 2-3)");
            }
            final int first = Integer.parseInt(range[0]);
            final int last = range.length == 2 ? Integer.parseInt(range[1]) : first;
            if (last < first)
            {
                throw usage("--cpus '" + cpus + "': range " + part + " runs backwards");
            }
            for (int cpu = first; cpu <= last; cpu++)
            {
                if (cpu >= Runtime.getRuntime().availableProcessors())
                {
                    throw usage("--cpus '" + cpus + "': CPU " + cpu + " is not available to this process (it has " +
                        Runtime.getRuntime().availableProcessors() + ")");
                }
                list.add(cpu);
            }
        }
        for (int i = 0; i < queues; i++)
        {
            perWorker[i] = list.get(i % list.size());
        }
        return perWorker;
    }

    private ParameterException usage(final String message)
    {
        return new ParameterException(spec.commandLine(), message);
    }
}
