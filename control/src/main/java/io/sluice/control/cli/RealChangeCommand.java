package io.sluice.control.cli;

import io.sluice.control.cnc.ConfigSnapshot;
import io.sluice.control.cnc.ForwarderClient;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.function.Function;

/**
 * {@code sluice real change ADDR:PORT/PROTO REAL[:PORT] --weight W} (IPVS's {@code ipvsadm -e}):
 * a real's new weight, 0 to drain it. The real keeps its place, its counters and its flows; the
 * change travels as a whole configuration based on the one just read, as {@code sluice apply}
 * sends it, so it cannot undo a change someone made in between.
 */
@Command(name = "change", description = "Change the weight of a real of the running forwarder (0 drains it).",
    mixinStandardHelpOptions = true)
public final class RealChangeCommand extends VipChangeCommand
{
    @Parameters(index = "1", paramLabel = "REAL[:PORT]", description = "The real, as it was added.")
    String real;

    @Option(names = "--weight", paramLabel = "W", required = true,
        description = "The new share of new flows, " + RealSpec.MIN_WEIGHT + "-" + RealSpec.MAX_WEIGHT +
            "; 0 drains the real: its flows stay, no new ones come.")
    int weight;

    @Override
    Function<ForwarderClient, ForwarderReply> request(final VipKey key)
    {
        final RealSpec changed = Inputs.real(spec, real, weight);
        return (client) ->
        {
            final ConfigSnapshot running = client.snapshot();
            final ForwarderConfig next = running.config().changeRealWeight(key, changed.address(), changed.port(), weight);
            final VipConfig vip = running.config().find(key);
            final int before = vip.reals().get(vip.indexOfReal(changed.address(), changed.port())).weight();
            final ForwarderReply reply = client.putConfig(next, running.version());
            return !reply.ok() ? reply : new ForwarderReply(reply.status(),
                "changed real " + changed.endpoint() + " of VIP " + key + ": weight " + before + " -> " + weight);
        };
    }
}
