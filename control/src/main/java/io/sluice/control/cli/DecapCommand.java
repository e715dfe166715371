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

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice decap --iface IF [--xdp-mode native|generic]}: on a real or L7 host behind a
 * forwarder in tunnel mode, strips the outer header of IPv4-in-IPv4, IPv6-in-IPv6 and IPv4-in-IPv6 packets in XDP and hands the
 * inner packet to the kernel, until stopped. The program is attached with a bpf_link, so it goes
 * away with the process, even after kill -9.
 */
@Command(name = "decap", mixinStandardHelpOptions = true,
    description = "Strip IP-in-IP tunnels (IPv4 or IPv6 outer header) in XDP on this host's interface (for reals behind a forwarder in tunnel mode), " +
        "in the foreground until stopped.")
public final class DecapCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--iface", required = true, paramLabel = "IF", description = "The interface tunnelled packets arrive on.")
    String iface;

    @Option(names = "--xdp-mode", paramLabel = "native|generic",
        description = "Where the XDP program runs: native (in the driver) or generic (any interface). Default: native, else generic.")
    String xdpMode;

    @Override
    public Integer call()
    {
        Inputs.interfaceName(spec, iface);
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
        try (ShutdownSignalBarrier stop = new ShutdownSignalBarrier(); DecapProgram program = DecapProgram.load();
            XdpLink attached = XdpLink.attachPreferringNative(program.program(), link.get().index(), iface, mode))
        {
            out.println("sluice decap: " + iface + " (index " + link.get().index() + "), " + attached.mode().label() +
                " XDP, stripping IP-in-IP (IPv4-in-IPv4, IPv6-in-IPv6, IPv4-in-IPv6); Ctrl-C to stop");
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
