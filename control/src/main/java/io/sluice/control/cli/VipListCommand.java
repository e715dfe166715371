package io.sluice.control.cli;

import io.sluice.control.cnc.CounterSnapshot;
import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.VipConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code sluice vip list}: the VIPs of the running forwarder, as it holds them, and with
 * {@code --bgp} whether each is announced, its self-test, and how the BGP sessions are.
 */
@Command(name = "list", description = "List the VIPs of the running forwarder.", mixinStandardHelpOptions = true)
public final class VipListCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call()
    {
        final ForwarderConfig config = Forwarders.call(common.stateDir(), (client) -> client.config());
        final PrintWriter out = spec.commandLine().getOut();
        final BgpReport bgp;
        try (ControlFile controlFile = ControlFile.open(common.stateDir(), true))
        {
            bgp = BgpReport.of(CounterSnapshot.read(controlFile.countersReader(), System.nanoTime()));
        }
        if (common.json())
        {
            out.println(ConfigJson.vips(config.vips(), bgp));
        }
        else if (config.vips().isEmpty())
        {
            out.println("no VIPs");
        }
        else
        {
            printRow(out, bgp, String.format("%-24s %-7s %-16s %5s  %s", "VIP", "MODE", "SCHEDULER", "REALS", "HEALTH CHECK"),
                "BGP");
            for (final VipConfig vip : config.vips())
            {
                printRow(out, bgp, String.format("%-24s %-7s %-16s %5d  %s", vip.key(), vip.spec().modeLabel(),
                    vip.spec().scheduler().label(), vip.reals().size(), vip.spec().health().format()),
                    bgp.state(vip.key().address().toString()) + ", self-test " + bgp.selfTest(vip.key().toString()));
            }
            bgp.neighbors.forEach((neighbor, session) ->
                out.printf("BGP neighbor %s: %s%s%n", neighbor, session.state().label(),
                    session.bfd() == null ? "" : ", BFD " + session.bfdLabel()));
        }
        out.flush();
        return 0;
    }

    /** A row, with the BGP column only when the forwarder runs BGP. */
    private static void printRow(final PrintWriter out, final BgpReport bgp, final String row, final String bgpColumn)
    {
        out.println(bgp.present() ? String.format("%-64s %s", row, bgpColumn) : row);
    }
}
