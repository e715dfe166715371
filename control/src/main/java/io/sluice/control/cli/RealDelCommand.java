package io.sluice.control.cli;

import io.sluice.control.cnc.ForwarderClient;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.function.Function;

/** {@code sluice real del ADDR:PORT/PROTO REAL[:PORT]}. */
@Command(name = "del", description = "Remove a real server from a VIP of the running forwarder.", mixinStandardHelpOptions = true)
public final class RealDelCommand extends VipChangeCommand
{
    @Parameters(index = "1", paramLabel = "REAL[:PORT]", description = "The real, as it was added.")
    String real;

    @Override
    Function<ForwarderClient, ForwarderReply> request(final VipKey key)
    {
        final RealSpec realSpec = Inputs.real(spec, real, RealSpec.DEFAULT_WEIGHT);
        return (client) -> client.removeReal(key, realSpec.address(), realSpec.port());
    }
}
