package io.sluice.control.cli;

import io.sluice.control.declarative.DeclaredConfig;
import io.sluice.control.declarative.ForwarderYaml;
import io.sluice.forwarder.config.ForwarderConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code sluice export}: the running forwarder's configuration as the YAML file {@code sluice apply}
 * reads, with a {@code bgp:} section when it runs BGP, so applying it is no change ({@code --json}:
 * the VIPs in the form {@code vip list --json} prints).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Print the running forwarder's configuration as the YAML file 'sluice apply' reads.")
public final class ExportCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (common.json())
        {
            final ForwarderConfig config = Forwarders.call(common.stateDir(), (client) -> client.config());
            out.println(ConfigJson.vips(config.vips()));
        }
        else
        {
            out.print(ForwarderYaml.write(Forwarders.call(common.stateDir(),
                (client) -> new DeclaredConfig(client.config(), client.bgp()))));
        }
        out.flush();
        return 0;
    }
}
