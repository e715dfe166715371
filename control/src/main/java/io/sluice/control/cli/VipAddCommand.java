package io.sluice.control.cli;

import io.sluice.forwarder.config.VipSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice vip add ADDR:PORT/PROTO [--mode dsr|tunnel|nat] [--scheduler ...]}. */
@Command(name = "add", description = "Add a VIP to the running forwarder.", mixinStandardHelpOptions = true)
public final class VipAddCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ADDR:PORT/PROTO", description = "The VIP, e.g. 198.18.1.1:80/tcp.")
    String vip;

    @Option(names = "--mode", paramLabel = "dsr|tunnel|nat", defaultValue = "dsr",
        description = "How packets reach the reals (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--scheduler", paramLabel = "maglev|source-hash|round-robin", defaultValue = "maglev",
        description = "How a new flow picks its real (default: ${DEFAULT-VALUE}).")
    String scheduler;

    @Override
    public Integer call()
    {
        final VipSpec vipSpec = new VipSpec(
            Inputs.vip(spec, vip), Inputs.mode(spec, mode), Inputs.scheduler(spec, scheduler));
        return Forwarders.report(spec, common, Forwarders.call(common.stateDir(), (client) -> client.addVip(vipSpec)));
    }
}
