package io.sluice.control.cli;

import io.sluice.control.SluiceCli;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code sluice.1}, one man page for every command, from the command line's own model
 * (the build runs {@link #main} at {@code package}), so it never disagrees with {@code --help}.
 * picocli-codegen's generator writes AsciiDoc, which needs Asciidoctor (JRuby) to become roff;
 * this writes the roff itself.
 */
public final class ManPage
{
    private ManPage()
    {
    }

    /** @param args the file to write, e.g. {@code target/man/sluice.1} */
    public static void main(final String[] args) throws IOException
    {
        final Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        final StringWriter discard = new StringWriter();
        final CommandLine root = SluiceCli.commandLine(new PrintWriter(discard), new PrintWriter(discard));
        Files.writeString(file, roff(root.getCommandSpec()), StandardCharsets.UTF_8);
    }

    /** The whole page: the root command, then a section per command and subcommand. */
    public static String roff(final CommandSpec root)
    {
        final StringBuilder page = new StringBuilder();
        page.append(".TH SLUICE 1 \"\" \"").append(root.version()[0]).append("\" \"sluice manual\"\n");
        // Left-aligned: a long option value cannot be stretched to a justified line, and groff warns.
        page.append(".ad l\n");
        page.append(".SH NAME\nsluice \\- ").append(escape(String.join(" ", root.usageMessage().description())))
            .append('\n');
        page.append(".SH SYNOPSIS\n.B sluice\n.I COMMAND\n[\\fIOPTIONS\\fR]\n");
        page.append(".SH COMMANDS\n");
        for (final CommandLine sub : root.subcommands().values())
        {
            command(sub.getCommandSpec(), page);
        }
        page.append(".SH EXIT STATUS\n0 on success, 1 for a refused or failed operation, 2 for a usage error;\n")
            .append("on bad input one line\n.B sluice: reason\non standard error.\n");
        page.append(".SH SEE ALSO\n.BR systemctl (1),\n.BR bird (8)\n");
        return page.toString();
    }

    private static void command(final CommandSpec spec, final StringBuilder page)
    {
        if (spec.subcommands().isEmpty())
        {
            page.append(".SS ").append(escape(spec.qualifiedName())).append('\n');
            page.append(escape(String.join(" ", spec.usageMessage().description()))).append('\n');
            for (final PositionalParamSpec parameter : spec.positionalParameters())
            {
                item(parameter.paramLabel(), parameter.description(), parameter.defaultValue(), page);
            }
            for (final OptionSpec option : spec.options())
            {
                if (!option.usageHelp() && !option.versionHelp() && !option.hidden())
                {
                    final String label = option.typeInfo().isBoolean() ? "" : " " + option.paramLabel();
                    item(String.join(", ", option.names()) + label, option.description(), option.defaultValue(), page);
                }
            }
        }
        for (final CommandLine sub : spec.subcommands().values())
        {
            command(sub.getCommandSpec(), page);
        }
    }

    private static void item(final String term, final String[] description, final String defaultValue,
        final StringBuilder page)
    {
        final String text = String.join(" ", description).replace("${DEFAULT-VALUE}", String.valueOf(defaultValue));
        page.append(".TP\n.B ").append(escape(term)).append('\n').append(escape(text)).append('\n');
    }

    /** Backslashes and hyphens as roff wants them; no line may start with a roff control character. */
    private static String escape(final String text)
    {
        final String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
