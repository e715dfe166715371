package io.sluice.bench.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pictures of one result file, by its bench: packets per second per peer and traffic kind
 * (pps), requests per second per proxy (rps, tls, compress, cache, gateway; direct, the generator
 * without a proxy, named in the subtitle rather than drawn, as its bar would flatten the others),
 * latency percentile curves per proxy at each offered rate (rps, tls), and each harness's own
 * figure beside its rates (CPU per MiB compressed, backend requests for concurrent misses, a
 * filter's cost per request).
 */
final class ResultCharts
{
    static final String DIRECT = "direct";

    /** A chart of a result: its slot (the file name's end, "throughput"), its title, and the SVG. */
    record Chart(String slot, String title, String svg)
    {
    }

    private ResultCharts()
    {
    }

    /** The bench a result file belongs to, from its name ("rps-2026...json"). */
    static String bench(final String fileName)
    {
        final int dash = fileName.indexOf('-');
        return dash < 0 ? "" : fileName.substring(0, dash);
    }

    static List<Chart> of(final String bench, final String stamp, final ResultTree result)
    {
        return switch (bench)
        {
            case "pps" -> pps(stamp, result);
            case "rps" -> rps(stamp, result);
            case "tls" -> tls(stamp, result);
            case "compress" -> harness(stamp, result, "Compression", "responses per second (gzip 6 unless named)",
                extra(result, "cpu-per-mib", "CPU ms per MiB compressed (the proxy's cgroup, warm)", "peers", "proxy",
                    "cpu_ms_per_mib", "ms of CPU per MiB of body"));
            case "cache" -> harness(stamp, result, "Caching", "requests per second of cached responses",
                coalescing(stamp, result));
            case "gateway" -> harness(stamp, result, "Gateway filters", "requests per second per variant",
                cost(stamp, result));
            default -> List.of();
        };
    }

    private static List<Chart> pps(final String stamp, final ResultTree result)
    {
        final List<Map<?, ?>> medians = result.list("medians").isEmpty() ? runMedians(result.list("runs"))
            : result.list("medians");
        final List<String> traffic = ResultTree.distinct(medians, m -> ResultTree.text(m, "traffic"));
        final BarChart chart = new BarChart("Packets per second per peer and traffic kind", "pps, " + stamp
            + ": delivered to the reals, median of the runs", "traffic (64-byte frames)", "packets per second", traffic,
            ResultTree.series(medians, m -> ResultTree.text(m, "peer"), m -> ResultTree.text(m, "traffic"), traffic,
                m -> ResultTree.number(m, "delivered_pps")));
        return List.of(new Chart("pps", chart.title(), chart.svg()));
    }

    /** The first results had no medians: each peer and traffic kind's median of its successful runs. */
    private static List<Map<?, ?>> runMedians(final List<Map<?, ?>> runs)
    {
        final List<Map<?, ?>> medians = new ArrayList<>();
        for (final String peer : ResultTree.distinct(runs, r -> ResultTree.text(r, "peer")))
        {
            for (final String traffic : ResultTree.distinct(runs, r -> ResultTree.text(r, "traffic")))
            {
                final double[] rates = runs.stream().filter(r -> peer.equals(ResultTree.text(r, "peer"))
                        && traffic.equals(ResultTree.text(r, "traffic")) && "ok".equals(ResultTree.text(r, "status")))
                    .mapToDouble(r -> ResultTree.number(r, "delivered_pps")).sorted().toArray();
                if (rates.length > 0)
                {
                    final int n = rates.length;
                    medians.add(Map.of("peer", peer, "traffic", traffic,
                        "delivered_pps", n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2));
                }
            }
        }
        return medians;
    }

    private static List<Chart> rps(final String stamp, final ResultTree result)
    {
        final List<Map<?, ?>> rows = new ArrayList<>();
        for (final Map<?, ?> row : result.list("throughput"))
        {
            rows.add(Map.of("proxy", ResultTree.text(row, "proxy"), "protocol", "HTTP/1.1 keep-alive", "rps",
                ResultTree.number(row, "rps")));
        }
        for (final Map<?, ?> row : result.list("throughput_h2"))
        {
            rows.add(Map.of("proxy", ResultTree.text(row, "proxy"), "protocol", "h2c", "rps", ResultTree.number(row, "rps")));
        }
        final List<Chart> charts = new ArrayList<>();
        if (!rows.isEmpty())
        {
            charts.add(rates("throughput", "Requests per second per proxy", "rps, " + stamp + ", warm"
                + directNote(rows, "proxy", "rps"), "protocol", "requests per second", withoutDirect(rows, "proxy"), "protocol"));
        }
        charts.addAll(LatencyCharts.of(stamp, result.list("latency")));
        return charts;
    }

    private static List<Chart> tls(final String stamp, final ResultTree result)
    {
        final List<Map<?, ?>> rows = new ArrayList<>();
        for (final Map<?, ?> figure : result.list("figures"))
        {
            final String kind = ResultTree.text(figure, "kind");
            for (final Map<?, ?> proxy : ResultTree.objects(figure.get("proxies")))
            {
                rows.add(Map.of("proxy", ResultTree.text(proxy, "proxy"), "kind", kind, "figure",
                    kind.replace("handshake-", "").replace("keepalive-", "") + ", " + ResultTree.text(figure, "key"),
                    "rps", ResultTree.number(proxy, "per_s")));
            }
        }
        final List<Chart> charts = new ArrayList<>();
        final List<Map<?, ?>> handshakes = rows.stream().filter(r -> ResultTree.text(r, "kind").startsWith("handshake")).toList();
        final List<Map<?, ?>> keepAlive = rows.stream().filter(r -> ResultTree.text(r, "kind").startsWith("keepalive")).toList();
        if (!handshakes.isEmpty())
        {
            charts.add(rates("handshakes", "TLS handshakes per second per proxy", "tls, " + stamp + "; " + budget(result),
                "handshake, key type", "handshakes per second", withoutDirect(handshakes, "proxy"), "figure"));
        }
        if (!keepAlive.isEmpty())
        {
            charts.add(rates("keepalive", "Requests per second over TLS per proxy", "tls, " + stamp + ", keep-alive; "
                + budget(result), "protocol, key type", "requests per second", withoutDirect(keepAlive, "proxy"), "figure"));
        }
        charts.addAll(LatencyCharts.of(stamp, result.list("latency")));
        return charts;
    }

    /** compress, cache and gateway: warm and cold rates per peer, then the harness's own chart. */
    private static List<Chart> harness(final String stamp, final ResultTree result, final String what, final String yTitle,
        final List<Chart> own)
    {
        final List<Map<?, ?>> rows = new ArrayList<>();
        for (final Map<?, ?> peer : result.list("peers"))
        {
            final Map<?, ?> rps = peer.get("rps") instanceof Map<?, ?> m ? m : Map.of();
            rows.add(Map.of("proxy", ResultTree.text(peer, "proxy"), "state", "warm", "rps", ResultTree.number(rps, "median")));
            if (!DIRECT.equals(ResultTree.text(peer, "proxy")))
            {
                rows.add(Map.of("proxy", ResultTree.text(peer, "proxy"), "state", "cold (its first seconds)", "rps",
                    ResultTree.number(peer, "cold_rps")));
            }
        }
        final String bench = ResultTree.text(result.fields(), "bench");
        final List<String> peers = ResultTree.distinct(withoutDirect(rows, "proxy"), r -> ResultTree.text(r, "proxy"));
        final BarChart chart = new BarChart(what + ": " + yTitle, bench + ", " + stamp + "; " + budget(result)
            + directNote(rows.stream().filter(r -> "warm".equals(ResultTree.text(r, "state"))).toList(), "proxy", "rps"),
            "peer", yTitle, peers, ResultTree.series(withoutDirect(rows, "proxy"), r -> ResultTree.text(r, "state"),
                r -> ResultTree.text(r, "proxy"), peers, r -> ResultTree.number(r, "rps")));
        final List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("throughput", chart.title(), chart.svg()));
        charts.addAll(own);
        return charts;
    }

    private static List<Chart> coalescing(final String stamp, final ResultTree result)
    {
        final List<Map<?, ?>> rows = result.list("coalescing").stream().<Map<?, ?>>map(c -> Map.of("name",
            ResultTree.text(c, "proxy") + " (" + ResultTree.text(c, "variant") + ")", "series", "backend requests (median)",
            "value", ResultTree.number(c.get("backend_requests") instanceof Map<?, ?> m ? m : Map.of(), "median"))).toList();
        if (rows.isEmpty())
        {
            return List.of();
        }
        final String concurrent = ResultTree.text(ResultTree.objects(result.fields().get("coalescing")).getFirst(), "concurrent");
        return List.of(single("coalescing", "Coalescing: backend requests for " + concurrent + " concurrent misses of one key",
            "cache, " + stamp + "; goal 1", "peer (variant)", "backend requests", rows));
    }

    private static List<Chart> cost(final String stamp, final ResultTree result)
    {
        final List<Map<?, ?>> rows = new ArrayList<>();
        for (final Map<?, ?> cost : result.list("costs"))
        {
            rows.add(Map.of("name", ResultTree.text(cost, "filter"), "series", "from the cgroup's CPU", "value",
                ResultTree.number(cost, "cost_us")));
            rows.add(Map.of("name", ResultTree.text(cost, "filter"), "series", "from the rates", "value",
                ResultTree.number(cost, "cost_us_from_rates")));
        }
        if (rows.isEmpty())
        {
            return List.of();
        }
        return List.of(single("cost", "Cost per request of each filter over plain", "gateway, " + stamp
            + "; microseconds of the proxy's CPU", "filter", "microseconds per request", rows));
    }

    /** A chart of one figure per peer from a list of objects (named by field), direct left out. */
    private static List<Chart> extra(final ResultTree result, final String slot, final String title, final String list,
        final String name, final String field, final String yTitle)
    {
        final List<Map<?, ?>> rows = withoutDirect(result.list(list), name).stream().<Map<?, ?>>map(o -> Map.of("name",
            ResultTree.text(o, name), "series", title, "value", ResultTree.number(o, field))).toList();
        return rows.isEmpty() ? List.of() : List.of(single(slot, title, ResultTree.text(result.fields(), "bench") + ", "
            + ResultTree.text(result.fields(), "stamp") + "; " + budget(result), "peer", yTitle, rows));
    }

    /** A bar chart of rows {name, series, value}: names along the x axis. */
    private static Chart single(final String slot, final String title, final String subtitle, final String xTitle,
        final String yTitle, final List<Map<?, ?>> rows)
    {
        final List<String> names = ResultTree.distinct(rows, r -> ResultTree.text(r, "name"));
        final BarChart chart = new BarChart(title, subtitle, xTitle, yTitle, names, ResultTree.series(rows,
            r -> ResultTree.text(r, "series"), r -> ResultTree.text(r, "name"), names, r -> ResultTree.number(r, "value")));
        return new Chart(slot, title, chart.svg());
    }

    /** A rates chart of rows {proxy, CATEGORY, rps}: categories along the x axis, a series per proxy. */
    private static Chart rates(final String slot, final String title, final String subtitle, final String xTitle,
        final String yTitle, final List<Map<?, ?>> rows, final String category)
    {
        final List<String> categories = ResultTree.distinct(rows, r -> ResultTree.text(r, category));
        final BarChart chart = new BarChart(title, subtitle, xTitle, yTitle, categories, ResultTree.series(rows,
            r -> ResultTree.text(r, "proxy"), r -> ResultTree.text(r, category), categories, r -> ResultTree.number(r, "rps")));
        return new Chart(slot, title, chart.svg());
    }

    private static List<Map<?, ?>> withoutDirect(final List<Map<?, ?>> rows, final String name)
    {
        return rows.stream().filter(r -> !DIRECT.equals(ResultTree.text(r, name))).toList();
    }

    /** "; direct (no proxy) N/s" from the first direct row, or nothing. */
    private static String directNote(final List<Map<?, ?>> rows, final String name, final String field)
    {
        return rows.stream().filter(r -> DIRECT.equals(ResultTree.text(r, name))).findFirst()
            .map(r -> "; direct (no proxy) " + LinearAxis.label(ResultTree.number(r, field)) + "/s").orElse("");
    }

    /** Each proxy's CPU budget as the result gives it ("40 % of a core"), or "the whole core". */
    private static String budget(final ResultTree result)
    {
        final Object pct = result.fields().get("proxy_cpu_pct") != null ? result.fields().get("proxy_cpu_pct")
            : result.object("settings").get("proxy_cpu_pct");
        final String text = pct == null ? "" : pct instanceof Double d ? Long.toString(d.longValue()) : pct.toString();
        return text.isEmpty() || "100".equals(text) ? "each proxy a whole core" : "each proxy " + text + " % of a core";
    }
}
