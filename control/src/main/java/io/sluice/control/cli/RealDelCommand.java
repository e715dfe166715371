package io.sluice.control.cli;

import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice real del ADDR:PORT/PROTO REAL[:PORT]}. */
@Command(name = "del", description = "Remove a real server from a VIP of the running forwarder.", mixinStandardHelpOptions = true)
public final class RealDelCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ADDR:PORT/PROTO", description = "The VIP, e.g. 198.18.1.1:80/tcp.")
    String vip;

    @Parameters(index = "1", paramLabel = "REAL[:PORT]", description = "The real, as it was added.")
    String real;

    @Override
    public Integer call()
    {
        final VipKey key = Inputs.vip(spec, vip);
        final RealSpec realSpec = Inputs.real(spec, real, RealSpec.DEFAULT_WEIGHT);
        return Forwarders.report(spec, common, Forwarders.call(common.stateDir(),
            (client) -> client.removeReal(key, realSpec.address(), realSpec.port())));
    }
}
