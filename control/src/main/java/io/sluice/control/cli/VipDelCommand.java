package io.sluice.control.cli;

import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice vip del ADDR:PORT/PROTO}: removes the VIP and all its reals. */
@Command(name = "del", description = "Remove a VIP and its reals from the running forwarder.", mixinStandardHelpOptions = true)
public final class VipDelCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ADDR:PORT/PROTO", description = "The VIP, e.g. 198.18.1.1:80/tcp.")
    String vip;

    @Override
    public Integer call()
    {
        final VipKey key = Inputs.vip(spec, vip);
        return Forwarders.report(spec, common, Forwarders.call(common.stateDir(), (client) -> client.removeVip(key)));
    }
}
