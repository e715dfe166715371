package io.sluice.control.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.control.json.Json;
import io.sluice.lab.CommandText;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.TwoTierConfig;
import io.sluice.lab.http.HttpReply;
import io.sluice.lab.http.PrometheusSamples;
import io.sluice.lab.tls.HttpsGet;
import io.sluice.lab.tls.SessionClient;
import io.sluice.lab.tls.VipTlsFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's HTTPS VIP, proved with Debian's clients: curl's requests, each on a new TLS
 * connection, are answered by both proxies (the forwarder balances the TCP flows by DSR and
 * either proxy terminates TLS with the same certificate), and a session {@code openssl s_client}
 * got from one proxy is resumed by the other, because both read the same ticket key file. The
 * resumption is shown by s_client and confirmed by the resuming proxy's own metrics, never
 * inferred. Each check returns null when it held, or one line saying what it saw.
 */
final class HttpsVip
{
    /** The VIP's name in its certificate, next to its address; {@code .test} is reserved for testing (RFC 6761). */
    static final String SERVER_NAME = "vip.sluice.test";
    static final int PORT = 443;

    /** New connections through the VIP: Maglev spreads their source ports, so a proxy misses all of them at odds of 2^-15. */
    private static final int REQUESTS = 16;
    /** Connections offering the session until one reaches the other proxy (each does with odds 1/2). */
    private static final int RESUME_ATTEMPTS = 16;
    private static final String PATH = "/api/items";
    private static final String RESUMED = "session=\"resumed\"";
    private static final String HANDSHAKES = "sluice_l7_tls_handshakes_total";
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(10);

    private final Lab lab;
    private final DemoOutput out;
    private final VipTlsFiles files;
    private final String vip;
    /** Proxy name (as in X-Served-Via) to the lab host it runs on. */
    private final Map<String, String> proxies;
    private final Map<String, String> json = new LinkedHashMap<>();

    private HttpsVip(final Lab lab, final DemoOutput out, final VipTlsFiles files, final String vip,
        final Map<String, String> proxies)
    {
        this.lab = lab;
        this.out = out;
        this.files = files;
        this.vip = vip;
        this.proxies = proxies;
    }

    /** Makes the certificate and the ticket key in {@code directory}, showing how. */
    static HttpsVip prepare(final Lab lab, final DemoOutput out, final Path directory, final String vip,
        final Map<String, String> proxies)
    {
        out.section("Make the HTTPS VIP's certificate, and a session ticket key for both proxies, in " + directory);
        final VipTlsFiles files = VipTlsFiles.make(directory, SERVER_NAME, vip);
        files.commands().forEach((command) -> out.command(null, command));
        out.line("  a CA made for this run (ca.pem) signed vip.pem for " + SERVER_NAME + " and " + vip + " (subjectAltName)");
        out.line("  tickets.key: " + VipTlsFiles.TICKET_KEY_BYTES + " random bytes, mode 0600, one session ticket key " +
            "(name, AES key, HMAC key) that both proxies read: a ticket one issues, the other opens");
        return new HttpsVip(lab, out, files, vip, proxies);
    }

    /** The HTTPS listener each proxy adds on the VIP. */
    TwoTierConfig.Https listener()
    {
        return new TwoTierConfig.Https(PORT, files.cert(), files.key(), files.ticketKeys());
    }

    /** Requests on new connections: both proxies must answer, each with the certificate curl verifies. */
    String checkRequests()
    {
        out.section("HTTPS through the VIP: TLS from the client, TCP flows balanced by DSR, either proxy terminates it");
        final List<String> command = HttpsGet.command(files.ca(), SERVER_NAME, vip, PORT, PATH);
        out.command(Lab.CLIENT, CommandText.of(command) + "   (" + REQUESTS + " times, a new connection each)");
        final Map<String, Long> servedVia = new TreeMap<>();
        final Map<String, Long> versions = new TreeMap<>();
        final Map<String, Long> failures = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++)
        {
            final HttpsGet.Answer answer = HttpsGet.run(lab, Lab.CLIENT, command);
            if (answer.ok())
            {
                servedVia.merge(answer.header(HttpReply.SERVED_VIA, "(none)"), 1L, Long::sum);
                versions.merge("HTTP/" + answer.version(), 1L, Long::sum);
            }
            else
            {
                failures.merge(answer.exitCode() == 0 ? "status " + answer.status() : answer.error(), 1L, Long::sum);
            }
        }
        final long answered = servedVia.values().stream().mapToLong(Long::longValue).sum();
        out.line("  answered " + answered + " of " + REQUESTS + " (" + counts(versions) +
            "; curl checks the certificate against ca.pem and " + SERVER_NAME + "), by proxy (X-Served-Via):");
        for (final Map.Entry<String, String> proxy : proxies.entrySet())
        {
            out.line(String.format("    %-12s %-14s %8d", proxy.getKey(), lab.address(proxy.getValue()),
                servedVia.getOrDefault(proxy.getKey(), 0L)));
        }
        failures.forEach((failure, count) -> out.line(String.format("  failed %6d  %s", count, failure)));
        json.put("requests", Integer.toString(REQUESTS));
        json.put("answered", Long.toString(answered));
        json.put("servedVia", countsJson(servedVia));
        json.put("httpVersions", countsJson(versions));
        final boolean everyProxy = proxies.keySet().stream().allMatch((proxy) -> servedVia.getOrDefault(proxy, 0L) > 0);
        if (answered == REQUESTS && everyProxy)
        {
            out.line("  both proxies terminated TLS for the VIP with the same certificate");
            return null;
        }
        final String saw = "HTTPS through the VIP answered " + answered + " of " + REQUESTS + " (" + counts(servedVia) + ")" +
            (failures.isEmpty() ? "" : ", failed: " + counts(failures));
        out.line("  " + saw);
        return saw;
    }

    /** A session issued by one proxy, offered on new connections until one lands on another proxy, which must resume it. */
    String checkResumption()
    {
        out.section("A TLS session one proxy issued is resumed by the other: both read the same ticket key file");
        final Path session = files.directory().resolve("session.pem");
        final List<String> save = SessionClient.command(files.ca(), SERVER_NAME, vip, PORT, SessionClient.SAVE, session);
        out.command(Lab.CLIENT, CommandText.of(save) + "   (sends GET " + PATH + ")");
        final SessionClient.Connection first = SessionClient.run(lab, Lab.CLIENT, save, SERVER_NAME, PATH);
        final String issuer = first.header(HttpReply.SERVED_VIA, "");
        if (!first.handshakeDone() || !first.verified() || issuer.isEmpty())
        {
            return saw("the first s_client connection did not get a verified session and an answer: " + first.summary());
        }
        out.line("  " + first.summary() + ", certificate verified; answered via " + issuer + ", which issued the session " +
            "saved in " + session.getFileName());
        json.put("issuedBy", Json.quote(issuer));
        json.put("protocol", Json.quote(first.protocol()));

        for (final String host : proxies.values())
        {
            out.command(host, "curl -s http://" + TwoTierConfig.ADMIN +
                "/metrics   (its proxy's resumed handshakes, before and after)");
        }
        final Map<String, Long> before = resumedHandshakes();
        final List<String> offer = SessionClient.command(files.ca(), SERVER_NAME, vip, PORT, SessionClient.OFFER, session);
        out.command(Lab.CLIENT, CommandText.of(offer) + "   (new connections until one reaches another proxy than " +
            issuer + ")");
        SessionClient.Connection landed = null;
        String resumer = "";
        int attempts = 0;
        while (landed == null && attempts < RESUME_ATTEMPTS)
        {
            attempts++;
            final SessionClient.Connection connection = SessionClient.run(lab, Lab.CLIENT, offer, SERVER_NAME, PATH);
            final String via = connection.header(HttpReply.SERVED_VIA, "(none)");
            out.line(String.format("  connection %2d: %-40s via %s%s", attempts, connection.summary(), via,
                issuer.equals(via) ? " (the issuer)" : ""));
            if (connection.handshakeDone() && proxies.containsKey(via) && !issuer.equals(via))
            {
                landed = connection;
                resumer = via;
            }
        }
        final Map<String, Long> after = resumedHandshakes();
        out.line("  resumed handshakes in each proxy's own metrics (" + HANDSHAKES + "{...," + RESUMED + "}):");
        for (final String proxy : proxies.keySet())
        {
            out.line(String.format("    %-12s %4d before, %4d after", proxy, before.get(proxy), after.get(proxy)));
        }
        json.put("attempts", Integer.toString(attempts));
        json.put("resumedBy", landed != null && landed.reused() ? Json.quote(resumer) : "null");
        json.put("resumedHandshakes", Json.write(document -> resumedJson(document, before, after)));
        if (landed == null)
        {
            return saw("no connection with the session reached another proxy than " + issuer + " in " + attempts + " tries");
        }
        if (!landed.reused())
        {
            return saw(resumer + " did not resume the session " + issuer + " issued (s_client: " + landed.summary() + ")");
        }
        if (after.get(resumer) - before.get(resumer) < 1)
        {
            return saw("s_client says Reused via " + resumer + ", but its metrics count no new resumed handshake");
        }
        out.line("  " + resumer + " resumed the session " + issuer + " issued: s_client says Reused, and " + resumer +
            "'s metrics count it");
        return null;
    }

    /** What the checks found, as one JSON object. */
    String toJson()
    {
        return Json.write(document ->
        {
            document.writeStartObject();
            document.writeStringField("url", "https://" + SERVER_NAME + PATH);
            document.writeStringField("address", vip + ":" + PORT);
            for (final Map.Entry<String, String> field : json.entrySet())
            {
                document.writeFieldName(field.getKey());
                document.writeRawValue(field.getValue());
            }
            document.writeEndObject();
        });
    }

    private String saw(final String what)
    {
        out.line("  " + what);
        return what;
    }

    /** Each proxy's count of resumed handshakes, from its own {@code GET /metrics}. */
    private Map<String, Long> resumedHandshakes()
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (final Map.Entry<String, String> proxy : proxies.entrySet())
        {
            final ExecResult metrics = lab.exec(SCRAPE_TIMEOUT, proxy.getValue(), "curl", "-s", "-S", "--max-time", "5",
                "http://" + TwoTierConfig.ADMIN + "/metrics").orThrow();
            counts.put(proxy.getKey(), PrometheusSamples.sum(metrics.stdout(), HANDSHAKES, "result=\"ok\"", RESUMED));
        }
        return counts;
    }

    private static void resumedJson(final JsonGenerator document, final Map<String, Long> before, final Map<String, Long> after)
        throws IOException
    {
        document.writeStartObject();
        for (final String proxy : before.keySet())
        {
            document.writeObjectFieldStart(proxy);
            document.writeNumberField("before", before.get(proxy));
            document.writeNumberField("after", after.get(proxy));
            document.writeEndObject();
        }
        document.writeEndObject();
    }

    private static String counts(final Map<String, Long> counts)
    {
        final List<String> parts = new ArrayList<>(counts.size());
        counts.forEach((name, count) -> parts.add(name + " " + count));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String countsJson(final Map<String, Long> counts)
    {
        return Json.write(document ->
        {
            document.writeStartObject();
            for (final Map.Entry<String, Long> count : counts.entrySet())
            {
                document.writeNumberField(count.getKey(), count.getValue());
            }
            document.writeEndObject();
        });
    }
}
