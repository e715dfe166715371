package io.sluice.control.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code sluice completion}: the bash (and zsh, through bashcompinit) completion script picocli
 * generates from the command line's own model, so it names every command and option there is:
 * {@code source <(sluice completion)}, or save it as {@code /etc/bash_completion.d/sluice}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print the bash completion script: source <(sluice completion).")
public final class CompletionCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("sluice", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
