package io.sluice.control.cli;

import io.sluice.control.cnc.ForwarderClient;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.function.Function;

/** {@code sluice real add ADDR:PORT/PROTO REAL[:PORT] [--weight W]}. */
@Command(name = "add", description = "Add a real server to a VIP of the running forwarder.", mixinStandardHelpOptions = true)
public final class RealAddCommand extends VipChangeCommand
{
    @Parameters(index = "1", paramLabel = "REAL[:PORT]",
        description = "The real's address, of the VIP's IP version (198.18.0.11, 2001:2::11; with a port 198.18.0.11:8080, [2001:2::11]:8080); a port other than the VIP's only in nat mode.")
    String real;

    @Option(names = "--weight", paramLabel = "W", defaultValue = "" + RealSpec.DEFAULT_WEIGHT,
        description = "Relative share of new flows, " + RealSpec.MIN_WEIGHT + "-" + RealSpec.MAX_WEIGHT +
            " (default: ${DEFAULT-VALUE}); 0 drains the real: its flows stay, no new ones come.")
    int weight;

    @Override
    Function<ForwarderClient, ForwarderReply> request(final VipKey key)
    {
        final RealSpec realSpec = Inputs.real(spec, real, weight);
        return (client) -> client.addReal(key, realSpec);
    }
}
