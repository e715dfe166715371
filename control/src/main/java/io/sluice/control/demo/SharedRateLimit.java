package io.sluice.control.demo;

import io.sluice.control.json.Json;
import io.sluice.lab.CommandText;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.TwoTierConfig;
import io.sluice.lab.http.PrometheusSamples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's global rate limit: Debian's redis-server on real3 (nothing saved, listening on
 * real3's lab address only), in which both L7 proxies count one limit per client address; and
 * the proof that they share it: requests from the client on new connections, which the
 * forwarder spreads over both proxies, get exactly {@code burst + 1} answers between them (GCRA:
 * that many at once, then one per interval), then 429s saying when to come back, and each
 * proxy's own metrics show that it decided some of them in Redis.
 */
final class SharedRateLimit
{
    static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    private static final int REDIS_HOST = 3;
    private static final int REDIS_PORT = 6379;
    private static final String REDIS_READY = "Ready to accept connections";
    /** One a minute: the demo's requests take a second or two, so none more is due while they run, and the count is exact. */
    private static final String RATE = "1/m";
    private static final int BURST = 4;
    private static final int REQUESTS = 16;
    private static final String PREFIX = "/api/limited/";
    private static final String PATH = PREFIX + "items";
    private static final String LIMIT_REQUESTS = "sluice_l7_rate_limit_requests_total";
    private static final String REDIS_DECISIONS = "sluice_l7_redis_decisions_total";
    private static final String ROUTE = "route=\"" + TwoTierConfig.GlobalLimit.ROUTE + "\"";
    private static final String ALLOWED = "allowed";
    private static final String LIMITED = "limited";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** One proxy's counts: the limit's allowed and limited requests, then the decisions Redis answered it. */
    private record Counted(long allowed, long limited, long redisAllowed, long redisLimited)
    {
        long redisDecisions()
        {
            return redisAllowed + redisLimited;
        }
    }

    private final Lab lab;
    private final DemoOutput out;
    private final Process redis;
    private final Map<String, String> proxies;
    private final Map<String, String> json = new LinkedHashMap<>();

    private SharedRateLimit(final Lab lab, final DemoOutput out, final Process redis, final Map<String, String> proxies)
    {
        this.lab = lab;
        this.out = out;
        this.redis = redis;
        this.proxies = proxies;
    }

    /**
     * Starts redis-server with its work directory in {@code directory}, showing how; {@link Lab#close}
     * stops it with everything else, however the demo ends.
     *
     * @param started where the server's process is added, to be stopped with the backends.
     */
    static SharedRateLimit start(final Lab lab, final DemoOutput out, final Path directory, final Map<String, String> proxies,
        final List<Process> started)
    {
        final String host = Lab.realHost(REDIS_HOST);
        out.section("Start redis-server on " + host + ": the store of a global rate limit both proxies share");
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make " + directory, ex);
        }
        // Bound to the lab address alone, so protected mode (loopback only without a password) has nothing to add.
        final List<String> command = List.of(REDIS_SERVER.toString(), "--bind", Lab.realAddress(REDIS_HOST),
            "--port", Integer.toString(REDIS_PORT), "--protected-mode", "no", "--save", "", "--appendonly", "no",
            "--dir", directory.toString());
        out.command(host, CommandText.of(command));
        final Process redis = lab.spawn(host, command);
        started.add(redis);
        lab.awaitOutput(redis, REDIS_READY, START_TIMEOUT);
        out.line("  redis-server " + redisVersion(lab.output(redis)) + ", pid " + redis.pid() + ", nothing saved to disk, " +
            "its directory " + directory);
        return new SharedRateLimit(lab, out, redis, proxies);
    }

    /** The route each proxy adds, counted in this Redis. */
    TwoTierConfig.GlobalLimit limit()
    {
        return new TwoTierConfig.GlobalLimit(PREFIX, RATE, BURST, Lab.realAddress(REDIS_HOST) + ":" + REDIS_PORT);
    }

    /** What each proxy's configuration says of the limit, for the line after they start. */
    String describe()
    {
        return PREFIX + "* also goes to api1/api2, limited to " + RATE + ", burst " + BURST +
            " per client address, counted in redis " + limit().redis() + " (global: true)";
    }

    /** Requests on new connections through the VIP: exactly burst + 1 pass between both proxies, the rest get 429. */
    String check(final String vip)
    {
        out.section("A global rate limit: both proxies count one limit in Redis (" + RATE + ", burst " + BURST +
            ", per client address)");
        final List<String> command = List.of("curl", "-s", "-o", "/dev/null", "-D", "-", "--max-time", "5",
            "http://" + vip + PATH);
        out.command(Lab.CLIENT, CommandText.of(command) + "   (" + REQUESTS + " times, a new connection each)");
        final List<String> statuses = new ArrayList<>();
        int ok = 0;
        int refused = 0;
        int withoutFields = 0;
        String firstRefusal = null;
        for (int i = 0; i < REQUESTS; i++)
        {
            final ExecResult result = lab.exec(REQUEST_TIMEOUT, Lab.CLIENT, command.toArray(String[]::new));
            final Map<String, String> headers = headers(result.stdout());
            final String status = result.ok() ? headers.getOrDefault(":status", "?") : "curl-exit-" + result.exitCode();
            statuses.add(status);
            ok += "200".equals(status) ? 1 : 0;
            final boolean isRefusal = "429".equals(status);
            refused += isRefusal ? 1 : 0;
            if (!headers.containsKey("ratelimit-policy") || !headers.containsKey("ratelimit") ||
                (isRefusal && !headers.containsKey("retry-after")))
            {
                withoutFields++;
            }
            if (isRefusal && firstRefusal == null)
            {
                firstRefusal = "RateLimit: " + headers.get("ratelimit") + ", Retry-After: " + headers.get("retry-after");
            }
        }
        out.line("  statuses, in order: " + String.join(" ", statuses));
        out.line("  " + ok + " answered 200 and " + refused + " 429 (burst " + BURST + " + 1 at once, then " + RATE + ")" +
            (withoutFields == 0 ? "; every answer carried RateLimit-Policy and RateLimit, the first 429 " + firstRefusal :
                "; " + withoutFields + " lacked RateLimit-Policy, RateLimit or (a 429) Retry-After"));
        final Map<String, Counted> counted = countedByProxy();
        json.put("rate", Json.quote(RATE));
        json.put("burst", Integer.toString(BURST));
        json.put("requests", Integer.toString(REQUESTS));
        json.put("ok", Integer.toString(ok));
        json.put("tooManyRequests", Integer.toString(refused));
        json.put("withoutFields", Integer.toString(withoutFields));
        json.put("redisPid", Long.toString(redis.pid()));
        json.put("proxies", countedJson(counted));
        return verdict(ok, refused, withoutFields, counted);
    }

    /** What the checks found, as one JSON object. */
    String toJson()
    {
        return Json.write(document ->
        {
            document.writeStartObject();
            for (final Map.Entry<String, String> field : json.entrySet())
            {
                document.writeFieldName(field.getKey());
                document.writeRawValue(field.getValue());
            }
            document.writeEndObject();
        });
    }

    private String verdict(final int ok, final int refused, final int withoutFields, final Map<String, Counted> counted)
    {
        long redisDecisions = 0;
        long redisAllowed = 0;
        boolean everyProxy = true;
        for (final Counted counts : counted.values())
        {
            redisDecisions += counts.redisDecisions();
            redisAllowed += counts.redisAllowed();
            everyProxy &= counts.allowed() + counts.limited() > 0 && counts.redisDecisions() > 0;
        }
        if (ok == BURST + 1 && refused == REQUESTS - BURST - 1 && withoutFields == 0 && everyProxy &&
            redisDecisions == REQUESTS && redisAllowed == BURST + 1)
        {
            out.line("  both proxies decided some in Redis, " + redisDecisions + " decisions in all: together they allowed " +
                (BURST + 1) + ", as one proxy alone would have");
            return null;
        }
        final String saw = "the global rate limit allowed " + ok + " and refused " + refused + " of " + REQUESTS +
            " (expected " + (BURST + 1) + " and " + (REQUESTS - BURST - 1) + "), Redis decided " + redisDecisions +
            " (allowed " + redisAllowed + ")" + (everyProxy ? "" : ", not every proxy decided some in Redis") +
            (withoutFields == 0 ? "" : ", " + withoutFields + " answers lacked the RateLimit fields");
        out.line("  " + saw);
        return saw;
    }

    /** Each proxy's own counts, from its {@code GET /metrics}. */
    private Map<String, Counted> countedByProxy()
    {
        out.line("  each proxy's own metrics (" + LIMIT_REQUESTS + "{" + ROUTE + "}, " + REDIS_DECISIONS + "):");
        final Map<String, Counted> counted = new LinkedHashMap<>();
        for (final Map.Entry<String, String> proxy : proxies.entrySet())
        {
            final String metrics = lab.exec(REQUEST_TIMEOUT, proxy.getValue(), "curl", "-s", "-S", "--max-time", "5",
                "http://" + TwoTierConfig.ADMIN + "/metrics").orThrow().stdout();
            final Counted counts = new Counted(PrometheusSamples.sum(metrics, LIMIT_REQUESTS, ROUTE, result(ALLOWED)),
                PrometheusSamples.sum(metrics, LIMIT_REQUESTS, ROUTE, result(LIMITED)),
                PrometheusSamples.sum(metrics, REDIS_DECISIONS, result(ALLOWED)),
                PrometheusSamples.sum(metrics, REDIS_DECISIONS, result(LIMITED)));
            counted.put(proxy.getKey(), counts);
            out.line(String.format("    %-12s %-14s allowed %3d  limited %3d   Redis decided %3d (%d allowed)", proxy.getKey(),
                lab.address(proxy.getValue()), counts.allowed(), counts.limited(), counts.redisDecisions(),
                counts.redisAllowed()));
        }
        return counted;
    }

    private static String result(final String result)
    {
        return "result=\"" + result + "\"";
    }

    private static String countedJson(final Map<String, Counted> counted)
    {
        return Json.write(document ->
        {
            document.writeStartObject();
            for (final Map.Entry<String, Counted> proxy : counted.entrySet())
            {
                document.writeObjectFieldStart(proxy.getKey());
                document.writeNumberField(ALLOWED, proxy.getValue().allowed());
                document.writeNumberField(LIMITED, proxy.getValue().limited());
                document.writeNumberField("redisAllowed", proxy.getValue().redisAllowed());
                document.writeNumberField("redisLimited", proxy.getValue().redisLimited());
                document.writeEndObject();
            }
            document.writeEndObject();
        });
    }

    /** The response's header fields (names lower-cased) from curl's {@code -D -}, its status as {@code :status}. */
    private static Map<String, String> headers(final String dump)
    {
        final Map<String, String> headers = new LinkedHashMap<>();
        for (final String line : dump.lines().toList())
        {
            final int colon = line.indexOf(':');
            if (line.startsWith("HTTP/"))
            {
                final String[] parts = line.split(" ");
                headers.put(":status", parts.length > 1 ? parts[1] : "?");
            }
            else if (colon > 0)
            {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** "7.0.15" from the server's start-up line ({@code Redis version=7.0.15, bits=64, ...}). */
    private static String redisVersion(final String output)
    {
        final int at = output.indexOf("version=");
        final int end = at < 0 ? -1 : output.indexOf(',', at);
        return end < 0 ? "" : output.substring(at + "version=".length(), end);
    }
}
