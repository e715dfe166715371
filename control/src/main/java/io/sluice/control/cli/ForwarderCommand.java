package io.sluice.control.cli;

import io.sluice.control.daemon.ForwarderDaemon;
import io.sluice.control.daemon.ForwarderOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code sluice forwarder --iface IF [--io packet] [--queues N] [--state-dir DIR] [--flows N]}:
 * checks the options and runs the L4 forwarder daemon in the foreground until it is stopped.
 * Whether the interface exists is the daemon's to check: it looks it up by name in its own
 * network namespace, where /sys may show another one's interfaces.
 */
@Command(name = "forwarder", description = "Run the L4 forwarder on an interface (in the foreground).",
    mixinStandardHelpOptions = true)
public final class ForwarderCommand implements Callable<Integer>
{
    public static final int MAX_QUEUES = 64;
    public static final int MIN_FLOWS = 1 << 10;
    public static final int MAX_FLOWS = 1 << 24;
    public static final int DEFAULT_FLOWS = 1 << 20;
    /** Linux interface names are at most IFNAMSIZ - 1 bytes. */
    private static final int MAX_IFACE_NAME = 15;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--iface", required = true, paramLabel = "IF", description = "The interface packets arrive on and leave by.")
    String iface;

    @Option(names = "--io", paramLabel = "packet|xdp", defaultValue = "packet",
        description = "How packets are read and written: packet (AF_PACKET; default). xdp (AF_XDP) is not implemented yet.")
    String io;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
        description = "Worker threads, one packet socket each (1-" + MAX_QUEUES + ", default: ${DEFAULT-VALUE}).")
    int queues;

    @Option(names = "--flows", paramLabel = "N", defaultValue = "" + DEFAULT_FLOWS,
        description = "Flow-table entries per worker, a power of two (default: ${DEFAULT-VALUE}).")
    int flows;

    @Override
    public Integer call()
    {
        return ForwarderDaemon.run(options());
    }

    /** The validated options; a bad one is a usage error naming it. */
    ForwarderOptions options()
    {
        if (iface.isEmpty() || iface.length() > MAX_IFACE_NAME || iface.equals(".") || iface.equals("..") ||
            !iface.chars().allMatch((c) -> c > ' ' && c < 0x7F && c != '/' && c != ':'))
        {
            throw usage("'" + iface + "' is not an interface name (1-" + MAX_IFACE_NAME + " characters, no '/', ':' or spaces)");
        }
        if (io.equals("xdp"))
        {
            throw usage("AF_XDP is not implemented yet; use --io packet");
        }
        if (!io.equals("packet"))
        {
            throw usage("unknown --io '" + io + "' (expected packet or xdp)");
        }
        if (queues < 1 || queues > MAX_QUEUES)
        {
            throw usage("--queues " + queues + " is outside 1-" + MAX_QUEUES);
        }
        if (flows < MIN_FLOWS || flows > MAX_FLOWS || Integer.bitCount(flows) != 1)
        {
            throw usage("--flows " + flows + " must be a power of two from " + MIN_FLOWS + " to " + MAX_FLOWS);
        }
        return new ForwarderOptions(iface, io, queues, common.stateDir(), flows);
    }

    private ParameterException usage(final String message)
    {
        return new ParameterException(spec.commandLine(), message);
    }
}
