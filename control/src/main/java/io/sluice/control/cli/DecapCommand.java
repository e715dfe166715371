package io.sluice.control.cli;

import io.sluice.linux.LinuxException;
import io.sluice.linux.bpf.DecapProgram;
import io.sluice.linux.bpf.XdpLink;
import io.sluice.linux.bpf.XdpMode;
import io.sluice.linux.netlink.Link;
import io.sluice.linux.netlink.RtNetlink;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice decap --iface IF [--xdp-mode native|generic] [--gue-port N]}: on a real or L7 host
 * behind a forwarder in tunnel or GUE mode, strips the outer header of IPv4-in-IPv4, IPv6-in-IPv6
 * and IPv4-in-IPv6 packets, and the outer IPv4, UDP and GUE headers of GUE to port N, in XDP and
 * hands the inner packet to the kernel, until stopped; a GUE packet of a connection no local
 * socket owns goes on to the next real the forwarder named (the second chance), which needs the
 * interface to forward. The program is attached with a bpf_link, so it goes away with the process,
 * even after kill -9.
 */
@Command(name = "decap", mixinStandardHelpOptions = true,
    description = "Strip IP-in-IP tunnels (IPv4 or IPv6 outer header) and GUE in XDP on this host's interface (for reals " +
        "behind a forwarder in tunnel or GUE mode), in the foreground until stopped; GUE of a connection no local socket owns " +
        "goes on to the next real the forwarder named (second chance).")
public final class DecapCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--iface", required = true, paramLabel = "IF", description = "The interface tunnelled packets arrive on.")
    String iface;

    @Option(names = "--xdp-mode", paramLabel = "native|generic",
        description = "Where the XDP program runs: native (in the driver) or generic (any interface). Default: native, else generic.")
    String xdpMode;

    @Option(names = "--gue-port", paramLabel = "N", defaultValue = "" + DecapProgram.DEFAULT_GUE_PORT,
        description = "The UDP port GUE arrives on (the forwarder's --gue-port). Default: ${DEFAULT-VALUE}.")
    int guePort;

    @Override
    public Integer call()
    {
        Inputs.interfaceName(spec, iface);
        if (guePort < 1 || guePort > 0xffff)
        {
            throw new ParameterException(spec.commandLine(), "--gue-port " + guePort + " is not a UDP port (1-65535)");
        }
        final XdpMode mode;
        try
        {
            mode = xdpMode == null ? null : XdpMode.parse(xdpMode);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        final Optional<Link> link;
        try (RtNetlink netlink = RtNetlink.open())
        {
            link = netlink.link(iface);
        }
        if (link.isEmpty())
        {
            throw new CliException("no interface '" + iface + "' in this network namespace");
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (ShutdownSignalBarrier stop = new ShutdownSignalBarrier(); DecapProgram program = DecapProgram.load(guePort);
            XdpLink attached = XdpLink.attachPreferringNative(program.program(), link.get().index(), iface, mode))
        {
            out.println("sluice decap: " + iface + " (index " + link.get().index() + "), " + attached.mode().label() +
                " XDP, stripping IP-in-IP (IPv4-in-IPv4, IPv6-in-IPv6, IPv4-in-IPv6) and GUE to UDP port " + guePort +
                "; Ctrl-C to stop");
            if (!forwards(iface))
            {
                out.println("sluice decap: net.ipv4.conf." + iface + ".forwarding is 0, so GUE for another real is taken here " +
                    "(counted as fib-miss); sysctl -w net.ipv4.conf." + iface + ".forwarding=1 gives it its second chance");
            }
            out.flush();
            stop.await();
            out.println("sluice decap: stopping; " + counts(program));
            out.flush();
            return 0;
        }
        catch (final LinuxException ex)
        {
            throw new CliException(ex.getMessage());
        }
    }

    /** bpf_fib_lookup places a packet only for an interface that forwards IPv4. */
    private static boolean forwards(final String iface)
    {
        try
        {
            return "1".equals(Files.readString(Path.of("/proc/sys/net/ipv4/conf", iface, "forwarding")).strip());
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static String counts(final DecapProgram program)
    {
        final StringBuilder text = new StringBuilder();
        for (final DecapProgram.DecapVerdict verdict : DecapProgram.DecapVerdict.values())
        {
            text.append(text.isEmpty() ? "" : ", ").append(program.count(verdict)).append(' ').append(verdict.label());
        }
        return text.toString();
    }
}
