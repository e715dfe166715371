package io.sluice.control.cli;

import io.sluice.control.cnc.ForwarderClient;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Command;

import java.util.function.Function;

/** {@code sluice vip del ADDR:PORT/PROTO}: removes the VIP and all its reals. */
@Command(name = "del", description = "Remove a VIP and its reals from the running forwarder.", mixinStandardHelpOptions = true)
public final class VipDelCommand extends VipChangeCommand
{
    @Override
    Function<ForwarderClient, ForwarderReply> request(final VipKey key)
    {
        return (client) -> client.removeVip(key);
    }
}
