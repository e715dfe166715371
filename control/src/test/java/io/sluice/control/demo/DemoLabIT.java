package io.sluice.control.demo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.control.json.Json;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;
import io.sluice.lab.SluiceHome;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice demo --json}, run as a person runs it (the packaged jar, as root), passes every
 * check it makes and its JSON shows them: the two tiers over HTTP, and the HTTPS VIP, where both
 * proxies answer over TLS and one resumes a session the other issued, counted by its own
 * metrics; and the global rate limit both proxies count in one redis-server, exact to the
 * request. It leaves no namespace, no state directory and no redis-server behind.
 */
class DemoLabIT
{
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(4);
    private static final List<String> PROXIES = List.of("l7-real1", "l7-real2");

    @Test
    void demoPassesOverHttpAndHttpsAndLeavesNothingBehind() throws IOException
    {
        Privileges.requireRootAndIp();
        // The demo always runs the forwarder on its default path: control's pom runs this in the xdp pass only.
        final ExecResult demo = Processes.run(SluiceHome.locate().sluice("demo", "--json"), DEMO_TIMEOUT);

        final Map<String, String> result = scalars(demo.stdout());
        assertThat(demo.exitCode()).as("sluice demo exit code; stderr: %s; result: %s", demo.stderr(), result).isZero();
        assertThat(result).containsEntry("/result", "pass");
        assertThat(result.get("/apiLoad/failed")).isEqualTo("0");
        assertThat(result.get("/staticLoad/failed")).isEqualTo("0");

        assertThat(result.get("/https/answered")).as("HTTPS requests answered").isEqualTo(result.get("/https/requests"));
        for (final String proxy : PROXIES)
        {
            assertThat(Long.parseLong(result.getOrDefault("/https/servedVia/" + proxy, "0"))).as("HTTPS via %s", proxy)
                .isPositive();
        }
        final String issuer = result.get("/https/issuedBy");
        final String resumer = result.get("/https/resumedBy");
        assertThat(issuer).isIn(PROXIES);
        assertThat(resumer).as("the proxy that resumed %s's session", issuer).isIn(PROXIES).isNotEqualTo(issuer);
        assertThat(Long.parseLong(result.get("/https/resumedHandshakes/" + resumer + "/after")))
            .as("resumed handshakes in %s's own metrics", resumer)
            .isGreaterThan(Long.parseLong(result.get("/https/resumedHandshakes/" + resumer + "/before")));
        assertThat(result.get("/https/protocol")).startsWith("TLSv1.");

        // GCRA: burst + 1 at once between both proxies, the rest refused, every answer with the RateLimit fields
        final long burst = Long.parseLong(result.get("/globalRateLimit/burst"));
        final long requests = Long.parseLong(result.get("/globalRateLimit/requests"));
        assertThat(Long.parseLong(result.get("/globalRateLimit/ok"))).as("200s of the global limit").isEqualTo(burst + 1);
        assertThat(Long.parseLong(result.get("/globalRateLimit/tooManyRequests"))).as("429s of the global limit")
            .isEqualTo(requests - burst - 1);
        assertThat(result.get("/globalRateLimit/withoutFields")).as("answers without RateLimit fields").isEqualTo("0");
        long redisAllowed = 0;
        long redisDecisions = 0;
        for (final String proxy : PROXIES)
        {
            final String counts = "/globalRateLimit/proxies/" + proxy + "/";
            final long allowed = Long.parseLong(result.get(counts + "redisAllowed"));
            final long decisions = allowed + Long.parseLong(result.get(counts + "redisLimited"));
            assertThat(decisions).as("Redis decisions of %s", proxy).isPositive();
            assertThat(Long.parseLong(result.get(counts + "allowed")) + Long.parseLong(result.get(counts + "limited")))
                .as("requests %s's limit counted", proxy).isEqualTo(decisions);
            redisAllowed += allowed;
            redisDecisions += decisions;
        }
        assertThat(redisDecisions).as("Redis decisions, one per request").isEqualTo(requests);
        assertThat(redisAllowed).as("requests Redis allowed").isEqualTo(burst + 1);

        final ExecResult namespaces = Processes.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).orThrow();
        assertThat(namespaces.stdout()).as("namespaces left").doesNotContain("sluice-" + Demo.LAB_NAME + "-");
        assertThat(Demo.STATE_DIR).as("state directory left").doesNotExist();
        assertThat(Path.of("/proc", result.get("/globalRateLimit/redisPid"))).as("the demo's redis-server left running")
            .doesNotExist();
    }

    /** Every scalar of a JSON document by its JSON pointer ({@code /https/servedVia/l7-real1}), as text. */
    private static Map<String, String> scalars(final String text) throws IOException
    {
        final Map<String, String> scalars = new TreeMap<>();
        try (JsonParser json = Json.FACTORY.createParser(text))
        {
            JsonToken token;
            while ((token = json.nextToken()) != null)
            {
                if (token.isScalarValue())
                {
                    scalars.put(json.getParsingContext().pathAsPointer().toString(), json.getText());
                }
            }
        }
        return scalars;
    }
}
