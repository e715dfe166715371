package io.sluice.control.cli;

import io.sluice.control.cnc.ForwarderClient;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The shape shared by {@code vip add|del} and {@code real add|del}: the VIP as first argument,
 * every argument parsed before the control file is opened (so a typo is a usage error even with
 * no forwarder running), then one request whose reply is printed by {@link Forwarders#report}.
 * Picocli reads the annotated fields here as part of each subclass's command.
 */
abstract class VipChangeCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "ADDR:PORT/PROTO", description = "The VIP, e.g. 198.18.1.1:80/tcp or [2001:2:0:1::1]:80/tcp.")
    String vip;

    @Override
    public final Integer call()
    {
        final Function<ForwarderClient, ForwarderReply> request = request(Inputs.vip(spec, vip));
        return Forwarders.report(spec, common, Forwarders.call(common.stateDir(), request));
    }

    /**
     * Parses the command's own arguments (through {@link Inputs}, so bad ones are usage errors).
     *
     * @param key the VIP named by the first argument, already parsed.
     * @return the request to send to the forwarder.
     */
    abstract Function<ForwarderClient, ForwarderReply> request(VipKey key);
}
