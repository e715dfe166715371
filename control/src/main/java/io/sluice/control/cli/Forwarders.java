package io.sluice.control.cli;

import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.control.cnc.ForwarderClient;
import io.sluice.control.cnc.ForwarderReply;
import io.sluice.control.json.Json;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;

/** Runs one request against the forwarder at a state directory and prints its answer. */
final class Forwarders
{
    private Forwarders()
    {
    }

    /** Opens the control file, runs {@code request} with a client, and closes the file again. */
    static <T> T call(final Path stateDir, final Function<ForwarderClient, T> request)
    {
        try (ControlFile controlFile = ControlFile.open(stateDir, false))
        {
            return request.apply(new ForwarderClient(controlFile));
        }
    }

    /**
     * Prints an applied command's message (or {@code {"ok":true,"message":...}}), or fails with
     * the forwarder's reason for refusing it.
     *
     * @return the exit code, 0.
     */
    static int report(final CommandSpec spec, final CommonOptions common, final ForwarderReply reply)
    {
        if (!reply.ok())
        {
            throw new CliException(reply.message());
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (common.json())
        {
            out.println(Json.write(json ->
            {
                json.writeStartObject();
                json.writeBooleanField("ok", true);
                json.writeStringField("message", reply.message());
                json.writeEndObject();
            }));
        }
        else
        {
            out.println(reply.message());
        }
        out.flush();
        return 0;
    }
}
