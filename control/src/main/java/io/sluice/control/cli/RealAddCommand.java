package io.sluice.control.cli;

import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice real add ADDR:PORT/PROTO REAL[:PORT] [--weight W]}. */
@Command(name = "add", description = "Add a real server to a VIP of the running forwarder.", mixinStandardHelpOptions = true)
public final class RealAddCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ADDR:PORT/PROTO", description = "The VIP, e.g. 198.18.1.1:80/tcp.")
    String vip;

    @Parameters(index = "1", paramLabel = "REAL[:PORT]",
        description = "The real's IPv4 address; a port only where the mode can change ports (not dsr).")
    String real;

    @Option(names = "--weight", paramLabel = "W", defaultValue = "" + RealSpec.DEFAULT_WEIGHT,
        description = "Relative share of new flows, 1-" + RealSpec.MAX_WEIGHT + " (default: ${DEFAULT-VALUE}).")
    int weight;

    @Override
    public Integer call()
    {
        final VipKey key = Inputs.vip(spec, vip);
        final RealSpec realSpec = Inputs.real(spec, real, weight);
        return Forwarders.report(spec, common, Forwarders.call(common.stateDir(), (client) -> client.addReal(key, realSpec)));
    }
}
