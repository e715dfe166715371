package io.sluice.control.cli;

import io.sluice.control.cnc.ConfigSnapshot;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.control.declarative.ConfigDiff;
import io.sluice.control.declarative.DeclaredConfig;
import io.sluice.control.declarative.ForwarderYaml;
import io.sluice.control.json.Json;
import io.sluice.forwarder.bgp.BgpConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice apply FILE [--diff]}: makes the running forwarder match a YAML file (see
 * {@link ForwarderYaml}). The file is read and checked whole before the forwarder is asked
 * anything, so a bad one changes nothing; the changes are printed one a line and sent as one
 * whole configuration, which the forwarder puts in force at once (one saved file, one published
 * table) unless its configuration changed since it was read here. A {@code bgp:} section that
 * differs from the forwarder's BGP settings is sent after that: the forwarder rewrites BIRD's
 * configuration and reconfigures it, so only sessions whose settings changed restart. The
 * settings last until the forwarder restarts, which reads its {@code --bgp FILE} again; a file
 * without {@code bgp:} leaves them alone, and a forwarder started without {@code --bgp} refuses
 * one (BGP is started with the forwarder).
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Make the running forwarder match a YAML file of its VIPs and reals (and BGP settings), in one step.")
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
        final String source = file.equals("-") ? "stdin" : file;
        final DeclaredConfig desired = ForwarderYaml.read(readFile(), source);
        final PrintWriter out = spec.commandLine().getOut();
        Forwarders.call(common.stateDir(), (client) ->
        {
            final ConfigSnapshot running = client.snapshot();
            final BgpConfig runningBgp = desired.bgp() == null ? null : client.bgp();
            if (desired.bgp() != null && runningBgp == null)
            {
                throw new CliException(source + ": bgp: this forwarder runs without BGP; start it with --bgp FILE to announce " +
                    "its VIPs (nothing changed)");
            }
            final List<String> vipChanges = ConfigDiff.changes(running.config(), desired.config());
            final List<String> bgpChanges = ConfigDiff.bgpChanges(runningBgp, desired.bgp());
            final List<String> changes = new ArrayList<>(vipChanges);
            changes.addAll(bgpChanges);
            final boolean apply = !diffOnly && !changes.isEmpty();
            final List<String> replies = new ArrayList<>();
            if (!diffOnly && !vipChanges.isEmpty())
            {
                replies.add(accepted(client.putConfig(desired.config(), running.version())));
            }
            if (!diffOnly && !bgpChanges.isEmpty())
            {
                replies.add(accepted(client.putBgp(desired.bgp())));
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
                    out.println(apply ? String.join("; ", replies) : "no changes");
                }
            }
            return null;
        });
        out.flush();
        return 0;
    }

    /** @return the reply's line. @throws CliException with it when the forwarder refused. */
    private static String accepted(final ForwarderReply reply)
    {
        if (!reply.ok())
        {
            throw new CliException(reply.message());
        }
        return reply.message();
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
