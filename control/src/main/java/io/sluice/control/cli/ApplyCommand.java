package io.sluice.control.cli;

import io.sluice.control.cnc.ConfigSnapshot;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.control.declarative.ConfigDiff;
import io.sluice.control.declarative.ForwarderYaml;
import io.sluice.control.json.Json;
import io.sluice.forwarder.config.ForwarderConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice apply FILE [--diff]}: makes the running forwarder match a YAML file (see
 * {@link ForwarderYaml}). The file is read and checked whole before the forwarder is asked
 * anything, so a bad one changes nothing; the changes are printed one a line and sent as one
 * whole configuration, which the forwarder puts in force at once (one saved file, one published
 * table) unless its configuration changed since it was read here.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Make the running forwarder match a YAML file of its VIPs and reals, in one step.")
public final class ApplyCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "FILE",
        description = "The configuration (as 'sluice export' writes it), or - for standard input.")
    String file;

    @Option(names = "--diff", description = "Print what would change, one line per change, and change nothing.")
    boolean diffOnly;

    @Override
    public Integer call()
    {
        final ForwarderConfig desired = ForwarderYaml.read(readFile(), file.equals("-") ? "stdin" : file);
        final PrintWriter out = spec.commandLine().getOut();
        Forwarders.call(common.stateDir(), (client) ->
        {
            final ConfigSnapshot running = client.snapshot();
            final List<String> changes = ConfigDiff.changes(running.config(), desired);
            final boolean apply = !diffOnly && !changes.isEmpty();
            final ForwarderReply reply = apply ? client.putConfig(desired, running.version()) : null;
            if (reply != null && !reply.ok())
            {
                throw new CliException(reply.message());
            }
            if (common.json())
            {
                out.println(Json.write(json ->
                {
                    json.writeStartObject();
                    json.writeArrayFieldStart("changes");
                    for (final String change : changes)
                    {
                        json.writeString(change);
                    }
                    json.writeEndArray();
                    json.writeBooleanField("applied", apply);
                    json.writeEndObject();
                }));
            }
            else
            {
                changes.forEach(out::println);
                if (!diffOnly)
                {
                    out.println(reply != null ? reply.message() : "no changes");
                }
            }
            return null;
        });
        out.flush();
        return 0;
    }

    private String readFile()
    {
        try
        {
            final byte[] bytes = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            return new String(bytes, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new CliException(file + ": cannot read: " + ex.getMessage());
        }
    }
}
