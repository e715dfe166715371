package io.sluice.control.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice vip add|del|list}. */
@Command(
    name = "vip",
    description = "Add, remove and list the forwarder's virtual services (VIPs).",
    mixinStandardHelpOptions = true,
    subcommands = { VipAddCommand.class, VipDelCommand.class, VipListCommand.class })
public final class VipCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: add, del or list");
    }
}
