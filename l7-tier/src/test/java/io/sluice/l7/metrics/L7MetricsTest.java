package io.sluice.l7.metrics;

import io.sluice.l7.http.RequestRefusal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exposition of a known set of exchanges, line for line; histograms cumulative, monotone,
 * their +Inf bucket equal to their count and their sum in seconds; label values escaped; and
 * exact totals after several threads recorded at once while another scraped; refused requests
 * by reason, every reason listed from the start.
 */
class L7MetricsTest
{
    private static final long MICROS = 1_000;
    private static final long MILLIS = 1_000_000;

    private final L7Metrics metrics = new L7Metrics();

    private void recordKnownSet()
    {
        metrics.exchangeFinished("api", "api-pool", "a1", 200, 10, 100, 300 * MICROS);
        metrics.exchangeFinished("api", "api-pool", "a1", 503, 0, 20, 1_200 * MICROS);
        metrics.exchangeFinished("api", "api-pool", "a2", 0, 5, 0, 3_000 * MILLIS);
        metrics.exchangeFinished(null, null, null, 404, 0, 25, 50 * MICROS);
        metrics.exchangeFinished("web", "web-pool", null, 503, 7, 20, 700 * MICROS);
        metrics.exchangeFinished("web", "web-pool", "w1", 101, 0, 0, 20 * MILLIS);
        metrics.exchangeFinished("web", "web-pool", "w1", 302, 0, 0, 12 * MILLIS);
    }

    @Test
    void countersAreExactLinesPerRouteAndPerServer()
    {
        recordKnownSet();
        final List<String> lines = metrics.prometheusText().lines().toList();

        assertThat(lines).containsSubsequence(
            "# HELP sluice_l7_route_requests_total Requests finished, by route.",
            "# TYPE sluice_l7_route_requests_total counter",
            "sluice_l7_route_requests_total{route=\"\"} 1",
            "sluice_l7_route_requests_total{route=\"api\"} 3",
            "sluice_l7_route_requests_total{route=\"web\"} 3");
        assertThat(lines).containsSubsequence(
            "# TYPE sluice_l7_route_responses_total counter",
            "sluice_l7_route_responses_total{route=\"\",class=\"0\"} 0",
            "sluice_l7_route_responses_total{route=\"\",class=\"1xx\"} 0",
            "sluice_l7_route_responses_total{route=\"\",class=\"2xx\"} 0",
            "sluice_l7_route_responses_total{route=\"\",class=\"3xx\"} 0",
            "sluice_l7_route_responses_total{route=\"\",class=\"4xx\"} 1",
            "sluice_l7_route_responses_total{route=\"\",class=\"5xx\"} 0",
            "sluice_l7_route_responses_total{route=\"api\",class=\"0\"} 1",
            "sluice_l7_route_responses_total{route=\"api\",class=\"1xx\"} 0",
            "sluice_l7_route_responses_total{route=\"api\",class=\"2xx\"} 1",
            "sluice_l7_route_responses_total{route=\"api\",class=\"3xx\"} 0",
            "sluice_l7_route_responses_total{route=\"api\",class=\"4xx\"} 0",
            "sluice_l7_route_responses_total{route=\"api\",class=\"5xx\"} 1",
            "sluice_l7_route_responses_total{route=\"web\",class=\"0\"} 0",
            "sluice_l7_route_responses_total{route=\"web\",class=\"1xx\"} 1",
            "sluice_l7_route_responses_total{route=\"web\",class=\"2xx\"} 0",
            "sluice_l7_route_responses_total{route=\"web\",class=\"3xx\"} 1",
            "sluice_l7_route_responses_total{route=\"web\",class=\"4xx\"} 0",
            "sluice_l7_route_responses_total{route=\"web\",class=\"5xx\"} 1");
        assertThat(lines).containsSubsequence(
            "# TYPE sluice_l7_route_request_bytes_total counter",
            "sluice_l7_route_request_bytes_total{route=\"\"} 0",
            "sluice_l7_route_request_bytes_total{route=\"api\"} 15",
            "sluice_l7_route_request_bytes_total{route=\"web\"} 7",
            "# TYPE sluice_l7_route_response_bytes_total counter",
            "sluice_l7_route_response_bytes_total{route=\"\"} 25",
            "sluice_l7_route_response_bytes_total{route=\"api\"} 120",
            "sluice_l7_route_response_bytes_total{route=\"web\"} 20");
        assertThat(lines).as("no route: no server series; no server up: the pool's empty server")
            .containsSubsequence(
                "# TYPE sluice_l7_server_requests_total counter",
                "sluice_l7_server_requests_total{pool=\"api-pool\",server=\"a1\"} 2",
                "sluice_l7_server_requests_total{pool=\"api-pool\",server=\"a2\"} 1",
                "sluice_l7_server_requests_total{pool=\"web-pool\",server=\"\"} 1",
                "sluice_l7_server_requests_total{pool=\"web-pool\",server=\"w1\"} 2")
            .filteredOn((line) -> line.startsWith("sluice_l7_server_requests_total")).hasSize(4);
        assertThat(lines).contains(
            "sluice_l7_server_responses_total{pool=\"api-pool\",server=\"a1\",class=\"2xx\"} 1",
            "sluice_l7_server_responses_total{pool=\"api-pool\",server=\"a1\",class=\"5xx\"} 1",
            "sluice_l7_server_responses_total{pool=\"api-pool\",server=\"a2\",class=\"0\"} 1",
            "sluice_l7_server_request_bytes_total{pool=\"api-pool\",server=\"a1\"} 10",
            "sluice_l7_server_response_bytes_total{pool=\"api-pool\",server=\"a1\"} 120");
    }

    @Test
    void histogramBucketsAreCumulativeInSecondsWithSumAndCount()
    {
        recordKnownSet();
        final List<String> lines = metrics.prometheusText().lines().toList();

        // api: 300 us, 1.2 ms, 3 s.
        assertThat(lines).containsSubsequence(
            "# HELP sluice_l7_route_request_duration_seconds Time from a request's first byte to its response's last, by route.",
            "# TYPE sluice_l7_route_request_duration_seconds histogram",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.0005\"} 1",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.001\"} 1",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.0025\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.005\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.01\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.025\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.05\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.1\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.25\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.5\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"1\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"2.5\"} 2",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"5\"} 3",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"10\"} 3",
            "sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"+Inf\"} 3",
            "sluice_l7_route_request_duration_seconds_sum{route=\"api\"} 3.0015",
            "sluice_l7_route_request_duration_seconds_count{route=\"api\"} 3");
        // web-pool's w1: 20 ms and 12 ms.
        assertThat(lines).containsSubsequence(
            "sluice_l7_server_request_duration_seconds_bucket{pool=\"web-pool\",server=\"w1\",le=\"0.01\"} 0",
            "sluice_l7_server_request_duration_seconds_bucket{pool=\"web-pool\",server=\"w1\",le=\"0.025\"} 2",
            "sluice_l7_server_request_duration_seconds_bucket{pool=\"web-pool\",server=\"w1\",le=\"+Inf\"} 2",
            "sluice_l7_server_request_duration_seconds_sum{pool=\"web-pool\",server=\"w1\"} 0.032",
            "sluice_l7_server_request_duration_seconds_count{pool=\"web-pool\",server=\"w1\"} 2");
        assertHistogramsConsistent(metrics.prometheusText());
    }

    @Test
    void aSecondScrapeKeepsTheTotalsAndAddsTheNewValues()
    {
        recordKnownSet();
        metrics.prometheusText();
        metrics.exchangeFinished("api", "api-pool", "a1", 200, 1, 1, 400 * MICROS);
        final Map<String, String> samples = Exposition.samples(metrics.prometheusText());

        assertThat(samples).containsEntry("sluice_l7_route_request_duration_seconds_bucket{route=\"api\",le=\"0.0005\"}", "2")
            .containsEntry("sluice_l7_route_request_duration_seconds_count{route=\"api\"}", "4")
            .containsEntry("sluice_l7_route_request_duration_seconds_sum{route=\"api\"}", "3.0019")
            .containsEntry("sluice_l7_route_requests_total{route=\"api\"}", "4");
    }

    @Test
    void latenciesBeyondTheHistogramsRangeStillCountAndSumExactly()
    {
        metrics.exchangeFinished("slow", "p", "s", 200, 0, 0, TimeUnit.MINUTES.toNanos(5));
        metrics.exchangeFinished("slow", "p", "s", 200, 0, 0, -5); // a clock that stepped back: counted as 0
        final Map<String, String> samples = Exposition.samples(metrics.prometheusText());

        assertThat(samples).containsEntry("sluice_l7_route_request_duration_seconds_bucket{route=\"slow\",le=\"0.0005\"}", "1")
            .containsEntry("sluice_l7_route_request_duration_seconds_bucket{route=\"slow\",le=\"10\"}", "1")
            .containsEntry("sluice_l7_route_request_duration_seconds_bucket{route=\"slow\",le=\"+Inf\"}", "2")
            .containsEntry("sluice_l7_route_request_duration_seconds_sum{route=\"slow\"}", "300");
    }

    @Test
    void labelValuesAreEscaped()
    {
        metrics.exchangeFinished("we\"ird\\route\nname", "p\"", "s\\", 200, 0, 0, 1);
        final String text = metrics.prometheusText();

        assertThat(text.lines()).contains("sluice_l7_route_requests_total{route=\"we\\\"ird\\\\route\\nname\"} 1",
            "sluice_l7_server_requests_total{pool=\"p\\\"\",server=\"s\\\\\"} 1");
        assertThat(Exposition.samples(text)).isNotEmpty(); // every line still parses
    }

    @Test
    void everyRefusalReasonIsListedFromTheStartWithItsCount()
    {
        metrics.requestRefused(RequestRefusal.BAD_CHUNK_SIZE);
        metrics.requestRefused(RequestRefusal.BAD_CHUNK_SIZE);
        metrics.requestRefused(RequestRefusal.MISSING_HOST);
        final List<String> lines = metrics.prometheusText().lines().toList();

        final List<String> expected = new ArrayList<>();
        expected.add("# HELP sluice_l7_requests_refused_total "
            + "Requests refused before reaching a backend (malformed, over a limit, or not allowed), by reason.");
        expected.add("# TYPE sluice_l7_requests_refused_total counter");
        for (final RequestRefusal reason : RequestRefusal.values())
        {
            final long count = switch (reason)
            {
                case BAD_CHUNK_SIZE -> 2;
                case MISSING_HOST -> 1;
                default -> 0;
            };
            expected.add("sluice_l7_requests_refused_total{reason=\"" + reason.label() + "\"} " + count);
        }
        assertThat(lines).as("in RequestRefusal's order, zeros included").containsSubsequence(expected)
            .filteredOn((line) -> line.startsWith("sluice_l7_requests_refused_total")).hasSize(RequestRefusal.values().length);
        assertThat(Exposition.samples(metrics.prometheusText()))
            .containsEntry("sluice_l7_requests_refused_total{reason=\"bad_request_line\"}", "0")
            .containsEntry("sluice_l7_requests_refused_total{reason=\"http2_flood\"}", "0")
            .containsEntry("sluice_l7_requests_refused_total{reason=\"malformed\"}", "0");
    }

    @Test
    void refusedRequestsAreEveryLabelWithItsCountInTheReasonsOrder()
    {
        assertThat(metrics.refusedRequests()).hasSize(RequestRefusal.values().length)
            .allSatisfy((label, count) -> assertThat(count).isZero());
        metrics.requestRefused(RequestRefusal.BODY_TOO_LARGE);
        metrics.requestRefused(RequestRefusal.BAD_REQUEST_LINE);
        metrics.requestRefused(RequestRefusal.BODY_TOO_LARGE);
        final Map<String, Long> refused = metrics.refusedRequests();

        assertThat(refused.keySet()).containsExactly(
            Arrays.stream(RequestRefusal.values()).map(RequestRefusal::label).toArray(String[]::new));
        assertThat(refused).containsEntry("body_too_large", 2L).containsEntry("bad_request_line", 1L)
            .containsEntry("request_line_too_long", 0L);
        assertThat(refused.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(refused).as("a snapshot: later refusals do not change it").isUnmodifiable();
        metrics.requestRefused(RequestRefusal.BODY_TOO_LARGE);
        assertThat(refused).containsEntry("body_too_large", 2L);
        assertThat(metrics.refusedRequests()).containsEntry("body_too_large", 3L);
    }

    @Test
    void connectionsAndCallbacks()
    {
        metrics.connectionOpened(ConnectionSide.CLIENT);
        metrics.connectionOpened(ConnectionSide.CLIENT);
        metrics.connectionOpened(ConnectionSide.BACKEND);
        metrics.connectionClosed(ConnectionSide.CLIENT);
        metrics.idleBackendConnections(() -> 7);
        metrics.accessLogDropped(() -> 3);
        final List<String> lines = metrics.prometheusText().lines().toList();

        assertThat(lines).containsSubsequence(
            "# TYPE sluice_l7_client_connections_active gauge", "sluice_l7_client_connections_active 1",
            "# TYPE sluice_l7_client_connections_opened_total counter", "sluice_l7_client_connections_opened_total 2",
            "# TYPE sluice_l7_backend_connections_active gauge", "sluice_l7_backend_connections_active 1",
            "# TYPE sluice_l7_backend_connections_opened_total counter", "sluice_l7_backend_connections_opened_total 1",
            "# TYPE sluice_l7_backend_connections_idle gauge", "sluice_l7_backend_connections_idle 7",
            "# TYPE sluice_l7_access_log_dropped_total counter", "sluice_l7_access_log_dropped_total 3");

        metrics.idleBackendConnections(() ->
        {
            throw new IllegalStateException("event loops shutting down");
        });
        assertThat(metrics.prometheusText()).as("a failing gauge is left out, the rest still served")
            .doesNotContain("sluice_l7_backend_connections_idle").contains("sluice_l7_access_log_dropped_total 3");
    }

    @Test
    void everyFamilyHasOneHelpAndOneTypeBeforeItsSamples()
    {
        recordKnownSet();
        final List<String> lines = metrics.prometheusText().lines().toList();
        final List<String> typed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (line.startsWith("# HELP "))
            {
                final String name = line.split(" ")[2];
                assertThat(lines.get(i + 1)).startsWith("# TYPE " + name + " ");
                assertThat(typed).doesNotContain(name);
                typed.add(name);
            }
            else if (!line.startsWith("#"))
            {
                final String name = line.split("[{ ]")[0];
                final String family = typed.getLast();
                assertThat(name).as(line).isIn(family, family + "_bucket", family + "_sum", family + "_count");
            }
        }
    }

    @Test
    void concurrentRecordingGivesExactTotals() throws Exception
    {
        final int threads = 8;
        final int perThread = 20_000;
        final String[] routes = {"a", "b", "c"};
        final String[] serversOf = {"s1", "s2"};
        final int[] statuses = {200, 404, 503, 0, 302};
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicBoolean recording = new AtomicBoolean(true);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int id = t;
            workers.add(Thread.ofPlatform().start(() ->
            {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++)
                {
                    final int n = id * perThread + i;
                    metrics.connectionOpened(ConnectionSide.BACKEND);
                    metrics.exchangeFinished(routes[n % 3], "pool", serversOf[n % 2], statuses[n % 5], 3, 5, (n % 1000) * MICROS);
                    metrics.connectionClosed(ConnectionSide.BACKEND);
                }
            }));
        }
        final Thread scraper = Thread.ofPlatform().start(() ->
        {
            while (recording.get())
            {
                assertHistogramsConsistent(metrics.prometheusText()); // scrapes racing the recorders
            }
        });
        start.countDown();
        for (final Thread worker : workers)
        {
            worker.join();
        }
        recording.set(false);
        scraper.join();

        final long total = (long)threads * perThread;
        long expectedSumNanos = 0;
        for (long n = 0; n < total; n++)
        {
            expectedSumNanos += (n % 1000) * MICROS;
        }
        final String text = metrics.prometheusText();
        final Map<String, String> samples = Exposition.samples(text);
        long requests = 0;
        long count = 0;
        for (final String route : routes)
        {
            requests += Exposition.count(samples, "sluice_l7_route_requests_total{route=\"" + route + "\"}");
            count += Exposition.count(samples, "sluice_l7_route_request_duration_seconds_count{route=\"" + route + "\"}");
        }
        assertThat(requests).isEqualTo(total);
        assertThat(count).isEqualTo(total);
        assertThat(Exposition.count(samples, "sluice_l7_server_requests_total{pool=\"pool\",server=\"s1\"}")).isEqualTo(total / 2);
        assertThat(Exposition.count(samples, "sluice_l7_server_requests_total{pool=\"pool\",server=\"s2\"}")).isEqualTo(total / 2);
        for (final String statusClass : List.of("0", "2xx", "3xx", "4xx", "5xx"))
        {
            long inClass = 0;
            for (final String server : serversOf)
            {
                inClass += Exposition.count(samples,
                    "sluice_l7_server_responses_total{pool=\"pool\",server=\"" + server + "\",class=\"" + statusClass + "\"}");
            }
            assertThat(inClass).as(statusClass).isEqualTo(total / 5);
        }
        long requestBytes = 0;
        long responseBytes = 0;
        for (final String server : serversOf)
        {
            requestBytes += Exposition.count(samples, "sluice_l7_server_request_bytes_total{pool=\"pool\",server=\"" + server + "\"}");
            responseBytes += Exposition.count(samples, "sluice_l7_server_response_bytes_total{pool=\"pool\",server=\"" + server + "\"}");
        }
        assertThat(requestBytes).isEqualTo(3 * total);
        assertThat(responseBytes).isEqualTo(5 * total);
        long sumNanos = 0;
        for (final String route : routes)
        {
            sumNanos += new java.math.BigDecimal(samples.get("sluice_l7_route_request_duration_seconds_sum{route=\"" + route + "\"}"))
                .movePointRight(9).longValueExact();
        }
        assertThat(sumNanos).isEqualTo(expectedSumNanos);
        assertThat(Exposition.count(samples, "sluice_l7_backend_connections_active")).isZero();
        assertThat(Exposition.count(samples, "sluice_l7_backend_connections_opened_total")).isEqualTo(total);
        assertHistogramsConsistent(text);
    }

    @Test
    void concurrentRefusalsGiveExactCountsPerReason() throws Exception
    {
        final int threads = 8;
        final int perThread = 20_000;
        final RequestRefusal[] reasons = RequestRefusal.values();
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicBoolean refusing = new AtomicBoolean(true);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int id = t;
            workers.add(Thread.ofPlatform().start(() ->
            {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++)
                {
                    metrics.requestRefused(reasons[(id * perThread + i) % reasons.length]);
                }
            }));
        }
        final Thread scraper = Thread.ofPlatform().start(() ->
        {
            while (refusing.get())
            {
                Exposition.samples(metrics.prometheusText()); // scrapes racing the counters still parse
                metrics.refusedRequests();
            }
        });
        start.countDown();
        for (final Thread worker : workers)
        {
            worker.join();
        }
        refusing.set(false);
        scraper.join();

        final long total = (long)threads * perThread;
        final Map<String, String> samples = Exposition.samples(metrics.prometheusText());
        for (final RequestRefusal reason : reasons)
        {
            final long expected = total / reasons.length + (reason.ordinal() < total % reasons.length ? 1 : 0);
            assertThat(Exposition.count(samples, "sluice_l7_requests_refused_total{reason=\"" + reason.label() + "\"}"))
                .as(reason.label()).isEqualTo(expected);
            assertThat(metrics.refusedRequests().get(reason.label())).as(reason.label()).isEqualTo(expected);
        }
    }

    private static final Pattern BUCKET = Pattern.compile("(\\w+)_bucket\\{(.*),le=\"([^\"]+)\"} (\\d+)");

    /** Every histogram series: buckets in the fixed order, never decreasing, +Inf equal to _count. */
    private static void assertHistogramsConsistent(final String text)
    {
        final Map<String, String> samples = Exposition.samples(text);
        String series = null;
        long previous = 0;
        int index = 0;
        for (final String line : text.split("\n"))
        {
            final Matcher bucket = BUCKET.matcher(line);
            if (!bucket.matches())
            {
                continue;
            }
            final String current = bucket.group(1) + "{" + bucket.group(2) + "}";
            if (!current.equals(series))
            {
                series = current;
                previous = 0;
                index = 0;
            }
            final long value = Long.parseLong(bucket.group(4));
            assertThat(value).as(line).isGreaterThanOrEqualTo(previous);
            previous = value;
            final String le = bucket.group(3);
            assertThat(le).as(line).isEqualTo(index < LatencyBuckets.LE.length ? LatencyBuckets.LE[index] : "+Inf");
            if (le.equals("+Inf"))
            {
                assertThat(value).as(line).isEqualTo(Exposition.count(samples, bucket.group(1) + "_count{" + bucket.group(2) + "}"));
            }
            index++;
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
