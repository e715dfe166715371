package io.sluice.lab.http;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of {@link HttpLoad} saw: how many requests were answered, by whom, from which
 * client address the backends saw them, and why the others failed. Prints as aligned text or
 * as one line of JSON, and reads that JSON back (the demo and the lab tests run the load inside
 * the client namespace as a separate process).
 *
 * @param requests        requests attempted.
 * @param ok              answered with status 200.
 * @param servedBy        answered requests per backend name (X-Served-By).
 * @param clientAddresses answered requests per client address the backend saw (X-Client-Addr).
 * @param failures        failed requests per one-line reason.
 * @param servedVia       answered requests per L7 proxy that passed them on (X-Served-Via, set by
 *                        the proxies of a two-tier lab); empty when no proxy said.
 */
public record LoadReport(
    long requests, long ok, Map<String, Long> servedBy, Map<String, Long> clientAddresses, Map<String, Long> failures,
    Map<String, Long> servedVia)
{
    public LoadReport
    {
        servedBy = Map.copyOf(servedBy);
        clientAddresses = Map.copyOf(clientAddresses);
        failures = Map.copyOf(failures);
        servedVia = Map.copyOf(servedVia);
    }

    /** A report of requests that went through no proxy. */
    public LoadReport(
        final long requests, final long ok, final Map<String, Long> servedBy, final Map<String, Long> clientAddresses,
        final Map<String, Long> failures)
    {
        this(requests, ok, servedBy, clientAddresses, failures, Map.of());
    }

    /** Requests passed on by the proxy {@code name}, 0 when it passed none. */
    public long servedVia(final String name)
    {
        return servedVia.getOrDefault(name, 0L);
    }

    public long failed()
    {
        return requests - ok;
    }

    /** Requests served by {@code name}, 0 when it served none. */
    public long servedBy(final String name)
    {
        return servedBy.getOrDefault(name, 0L);
    }

    /** One line of JSON; {@link #fromJson(String)} reads it back. */
    public String toJson()
    {
        return LoadReportJson.write(this);
    }

    /** Aligned text for a person: totals, then one line per backend with its share. */
    public String toText()
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.format("requests %d   ok %d   failed %d%n", requests, ok, failed()));
        for (final Map.Entry<String, Long> entry : new TreeMap<>(servedBy).entrySet())
        {
            out.append(String.format("  %-10s %6d  %5.1f%%%n", entry.getKey(), entry.getValue(), percent(entry.getValue())));
        }
        for (final Map.Entry<String, Long> entry : new TreeMap<>(clientAddresses).entrySet())
        {
            out.append(String.format("  backends saw client %s on %d requests%n", entry.getKey(), entry.getValue()));
        }
        for (final Map.Entry<String, Long> entry : new TreeMap<>(failures).entrySet())
        {
            out.append(String.format("  failed %6d  %s%n", entry.getValue(), entry.getKey()));
        }
        return out.toString();
    }

    /** The share of answered requests, in percent. */
    public double percent(final long count)
    {
        return ok == 0 ? 0.0 : 100.0 * count / ok;
    }

    /** @throws IllegalArgumentException when the text is not what {@link #toJson()} writes. */
    public static LoadReport fromJson(final String json)
    {
        return LoadReportJson.read(json);
    }
}
