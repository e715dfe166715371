package io.sluice.lab.tls;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTPS GET by curl from a lab host, over a new TLS connection: the name is resolved to the
 * address given ({@code --resolve}), so curl sends it as SNI and checks the server's certificate
 * against it and against the CA file, as a browser would, and HTTP/2 is offered by ALPN.
 */
public final class HttpsGet
{
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String MAX_TIME_S = "5";

    /**
     * What came back.
     *
     * @param exitCode curl's: 0 when an answer came, 60 when the certificate could not be verified, ...
     * @param version  the HTTP version of the answer ({@code 2}, {@code 1.1}), empty without one.
     * @param status   the answer's status code, 0 without one.
     * @param headers  its headers, names lower-cased.
     * @param error    what curl said when it failed, empty otherwise.
     */
    public record Answer(int exitCode, String version, int status, Map<String, String> headers, String error)
    {
        public boolean ok()
        {
            return exitCode == 0 && status == 200;
        }

        /** One header by its lower-case name, or {@code fallback}. */
        public String header(final String name, final String fallback)
        {
            return headers.getOrDefault(name, fallback);
        }
    }

    private HttpsGet()
    {
    }

    /** {@code curl -s -o /dev/null -D - --cacert CA --resolve NAME:PORT:ADDRESS https://NAME:PORT/PATH}. */
    public static List<String> command(final Path ca, final String name, final String address, final int port, final String path)
    {
        return List.of("curl", "-s", "-S", "-o", "/dev/null", "-D", "-", "--max-time", MAX_TIME_S, "--cacert", ca.toString(),
            "--resolve", name + ":" + port + ":" + address, "https://" + name + (port == 443 ? "" : ":" + port) + path);
    }

    /** Runs {@code command} (from {@link #command}) in {@code host}. */
    public static Answer run(final Lab lab, final String host, final List<String> command)
    {
        return parse(lab.exec(TIMEOUT, host, command.toArray(String[]::new)));
    }

    /** curl's output with {@code -D -}: the status line ({@code HTTP/2 200}) and the headers. */
    static Answer parse(final ExecResult result)
    {
        String version = "";
        int status = 0;
        final Map<String, String> headers = new TreeMap<>();
        for (final String line : result.stdout().lines().map(String::strip).toList())
        {
            if (line.startsWith("HTTP/"))
            {
                final String[] words = line.split(" ");
                version = words[0].substring("HTTP/".length());
                status = words.length > 1 && words[1].matches("[0-9]{3}") ? Integer.parseInt(words[1]) : 0;
            }
            else
            {
                putHeader(headers, line);
            }
        }
        return new Answer(result.exitCode(), version, status, headers, String.join(" ", result.stderrLines()));
    }

    /** Adds a {@code Name: value} line to {@code headers} under its lower-cased name; other lines are left out. */
    static void putHeader(final Map<String, String> headers, final String line)
    {
        final int colon = line.indexOf(':');
        if (colon > 0)
        {
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
    }
}
