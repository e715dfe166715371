package io.sluice.control.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code sluice real add|change|del|list}. */
@Command(
    name = "real",
    description = "Add, change, remove and list the real servers behind a VIP.",
    mixinStandardHelpOptions = true,
    subcommands = { RealAddCommand.class, RealChangeCommand.class, RealDelCommand.class, RealListCommand.class })
public final class RealCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing subcommand: add, change, del or list");
    }
}
