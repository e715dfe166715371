package io.sluice.control;

import io.sluice.control.cli.ApplyCommand;
import io.sluice.control.cli.CliErrors;
import io.sluice.control.cli.CompletionCommand;
import io.sluice.control.cli.DecapCommand;
import io.sluice.control.cli.L7Command;
import io.sluice.control.cli.DemoCommand;
import io.sluice.control.cli.DoctorCommand;
import io.sluice.control.cli.ExportCommand;
import io.sluice.control.cli.ForwarderCommand;
import io.sluice.control.cli.RealCommand;
import io.sluice.control.cli.StatsCommand;
import io.sluice.control.cli.TopCommand;
import io.sluice.control.cli.VipCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code sluice} command line. Every command answers {@code --help}, prints JSON with
 * {@code --json}, and on bad input prints one line {@code sluice: <reason>} and exits non-zero
 * (2 for a usage error, 1 for a refused or failed operation).
 *
 * <p>Start-up matters (a CLI command has 0.5 s including the JVM): nothing here initialises
 * more than picocli's model; the control file is mapped only by the command that needs it.
 */
@Command(
    name = "sluice",
    description = "A two-tier load balancer for Linux: the L4 forwarder and its control.",
    mixinStandardHelpOptions = true,
    versionProvider = SluiceCli.Version.class,
    subcommands = {
        ForwarderCommand.class,
        VipCommand.class,
        RealCommand.class,
        ApplyCommand.class, ExportCommand.class,
        StatsCommand.class,
        TopCommand.class,
        DecapCommand.class,
        DoctorCommand.class,
        L7Command.class,
        DemoCommand.class,
        CompletionCommand.class
    })
public final class SluiceCli implements Callable<Integer>
{
    public static final String VERSION = "0.1.0-SNAPSHOT";

    @Spec
    CommandSpec spec;

    public static void main(final String[] args)
    {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        final PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        final int exitCode = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** Runs one command line, writing to {@code out} and {@code err}. @return the exit code. */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line, for {@link #execute} and tests. */
    public static CommandLine commandLine(final PrintWriter out, final PrintWriter err)
    {
        final CliErrors errors = new CliErrors();
        return new CommandLine(new SluiceCli())
            .setOut(out)
            .setErr(err)
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors);
    }

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing command: forwarder, vip, real, apply, export, stats, top, decap, doctor, l7, demo or completion");
    }

    /** The version {@code sluice --version} prints: the jar's, else this build's. */
    public static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String fromJar = SluiceCli.class.getPackage().getImplementationVersion();
            return new String[]{ "sluice " + (fromJar != null ? fromJar : VERSION) };
        }
    }
}
