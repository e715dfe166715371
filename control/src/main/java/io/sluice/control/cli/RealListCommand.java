package io.sluice.control.cli;

import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.control.cnc.CounterSnapshot;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice real list [ADDR:PORT/PROTO]}: the reals of one VIP, or of all, with their weight
 * and, for a VIP with a health check, whether each is up, since when and how often it changed.
 */
@Command(name = "list", description = "List the reals of one VIP, or of every VIP.", mixinStandardHelpOptions = true)
public final class RealListCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ADDR:PORT/PROTO", description = "Only this VIP's reals.")
    String vip;

    @Override
    public Integer call()
    {
        final VipKey key = vip == null ? null : Inputs.vip(spec, vip);
        final ForwarderConfig config = Forwarders.call(common.stateDir(), (client) -> client.config());
        final List<VipConfig> vips;
        if (key == null)
        {
            vips = config.vips();
        }
        else
        {
            final VipConfig only = config.find(key);
            if (only == null)
            {
                throw new CliException("no VIP " + key);
            }
            vips = List.of(only);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final CounterSnapshot counters;
        try (ControlFile controlFile = ControlFile.open(common.stateDir(), true))
        {
            counters = CounterSnapshot.read(controlFile.countersReader(), System.nanoTime());
        }
        if (common.json())
        {
            out.println(ConfigJson.reals(vips, (vipConfig, real) -> RealHealth.of(counters, vipConfig, real)));
        }
        else
        {
            boolean any = false;
            for (final VipConfig vipConfig : vips)
            {
                for (final RealSpec real : vipConfig.reals())
                {
                    if (!any)
                    {
                        out.printf("%-24s %-22s %6s  %-6s %-24s %s%n", "VIP", "REAL", "WEIGHT", "HEALTH", "SINCE", "CHANGES");
                        any = true;
                    }
                    final RealHealth health = RealHealth.of(counters, vipConfig, real);
                    out.printf("%-24s %-22s %6d  %-6s %-24s %s%n", vipConfig.key(), real.endpoint(), real.weight(),
                        health.state(), health.since(), health == RealHealth.NOT_CHECKED ? "-" : Long.toString(health.transitions()));
                }
            }
            if (!any)
            {
                out.println("no reals");
            }
        }
        out.flush();
        return 0;
    }
}
