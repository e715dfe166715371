package io.sluice.control.cli;

import io.sluice.control.cnc.ForwarderClient;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.function.Function;

/** {@code sluice vip add ADDR:PORT/PROTO [--mode dsr|tunnel|gue|nat] [--second-chance] [--scheduler ...] [--health ...]}. */
@Command(name = "add", description = "Add a VIP to the running forwarder.", mixinStandardHelpOptions = true)
public final class VipAddCommand extends VipChangeCommand
{
    @Option(names = "--mode", paramLabel = "dsr|tunnel|gue|nat", defaultValue = "dsr",
        description = "How packets reach the reals: dsr (MAC rewrite), tunnel (IPv4-in-IPv4 or IPv6-in-IPv6), gue (IPv4 in UDP to port 6080, GUE), nat (destination NAT; replies come back through the forwarder). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--second-chance",
        description = "gue mode: each packet also names the flow's second real (its Maglev row's owner without the first); a real's sluice decap sends a packet it has no connection for on to it.")
    boolean secondChance;

    @Option(names = "--scheduler", paramLabel = "maglev|source-hash|round-robin|least-connection", defaultValue = "maglev",
        description = "How a new flow picks its real (default: ${DEFAULT-VALUE}).")
    String scheduler;

    @Option(names = "--health", paramLabel = "none|tcp|http[,KEY=VALUE...]", defaultValue = "none",
        description = "How the reals are checked (default: ${DEFAULT-VALUE}), e.g. tcp or " +
            "http,path=/healthz,status=200,body=ok,interval=2s,timeout=1s,rise=2,fall=3 (these are the defaults).")
    String health;

    @Override
    Function<ForwarderClient, ForwarderReply> request(final VipKey key)
    {
        final VipSpec vipSpec;
        try
        {
            vipSpec = new VipSpec(key, Inputs.mode(spec, mode), Inputs.scheduler(spec, scheduler), Inputs.health(spec, health),
                secondChance);
        }
        catch (final ConfigException ex)
        {
            throw Inputs.usage(spec, ex);
        }
        return (client) -> client.addVip(vipSpec);
    }
}
