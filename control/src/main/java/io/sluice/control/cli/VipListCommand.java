package io.sluice.control.cli;

import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.VipConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code sluice vip list}: the VIPs of the running forwarder, as it holds them. */
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
        if (common.json())
        {
            out.println(ConfigJson.vips(config.vips()));
        }
        else if (config.vips().isEmpty())
        {
            out.println("no VIPs");
        }
        else
        {
            out.printf("%-24s %-6s %-16s %5s  %s%n", "VIP", "MODE", "SCHEDULER", "REALS", "HEALTH CHECK");
            for (final VipConfig vip : config.vips())
            {
                out.printf("%-24s %-6s %-16s %5d  %s%n", vip.key(), vip.spec().mode().label(), vip.spec().scheduler().label(),
                    vip.reals().size(), vip.spec().health().format());
            }
        }
        out.flush();
        return 0;
    }
}
