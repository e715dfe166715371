package io.sluice.l7.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * TLS to clients: handshakes by result (and, when they succeed, by version, cipher suite and
 * whether the session was resumed), how long they took from the connection's accept, and each
 * certificate's seconds until it expires. Recorded by the event loops without a lock (a series
 * is found by {@link ConcurrentHashMap#get} once seen); a handshake allocates far more than a
 * label key, so the key is built per handshake.
 */
public final class TlsMetrics
{
    /** Why a handshake failed: every label in the exposition from the start, so a new kind of failure shows as a rate. */
    public enum Failure
    {
        /** The client sent something other than TLS (plain HTTP to a TLS port). */
        NOT_TLS("not_tls"),
        /** The client's first message was TLS but no well-formed ClientHello (or one over 64 KiB). */
        MALFORMED_CLIENT_HELLO("malformed_client_hello"),
        /** {@code sni: strict}, and no certificate has the name the client sent (or it sent none). */
        SNI_REFUSED("sni_refused"),
        /** A client certificate was required and none came. */
        NO_CLIENT_CERTIFICATE("no_client_certificate"),
        /** The client's certificate does not chain to the client CA, or has expired. */
        BAD_CLIENT_CERTIFICATE("bad_client_certificate"),
        /** No version, cipher suite, group or ALPN protocol both sides have. */
        NO_COMMON_PARAMETERS("no_common_parameters"),
        /** The handshake did not finish within its timeout. */
        TIMEOUT("timeout"),
        /** The connection closed during the handshake. */
        CLOSED("closed"),
        /** Anything else the TLS engine refused. */
        FAILED("failed");

        private final String label;

        Failure(final String label)
        {
            this.label = label;
        }

        public String label()
        {
            return label;
        }
    }

    /**
     * A certificate being served, for its expiry gauges.
     *
     * @param listener       the listener's name.
     * @param file           the certificate's file.
     * @param ocspNextUpdate when its stapled OCSP response stops being current, or null when it has none.
     */
    public record Expiry(String listener, String file, Instant notAfter, Instant ocspNextUpdate)
    {
    }

    private static final String HANDSHAKES = "sluice_l7_tls_handshakes_total";
    private static final String DURATION = "sluice_l7_tls_handshake_duration_seconds";
    private static final String EXPIRY = "sluice_l7_tls_certificate_expiry_seconds";
    private static final String OCSP_EXPIRY = "sluice_l7_tls_ocsp_next_update_seconds";
    private static final Failure[] FAILURES = Failure.values();
    private static final String[] SESSIONS = {"full", "resumed"};

    private final ConcurrentHashMap<String, LongAdder> succeeded = new ConcurrentHashMap<>();
    private final LongAdder[] failed = L7Metrics.newAdders(FAILURES.length);
    /** By session kind (full, resumed), then by bucket: counts in each bucket alone (made cumulative at a scrape). */
    private final LongAdder[][] durationBuckets = {L7Metrics.newAdders(LatencyBuckets.LE_MICROS.length + 1),
        L7Metrics.newAdders(LatencyBuckets.LE_MICROS.length + 1)};
    private final LongAdder[] durationNanos = L7Metrics.newAdders(SESSIONS.length);
    private volatile Supplier<List<Expiry>> certificates = List::of;

    /**
     * A handshake succeeded.
     *
     * @param nanos from the connection's accept to the handshake's end.
     */
    public void handshake(final String version, final String cipher, final boolean resumed, final long nanos)
    {
        final StringBuilder labels = PrometheusText.label(new StringBuilder(), "result", "ok");
        PrometheusText.label(labels, "version", version);
        PrometheusText.label(labels, "cipher", cipher);
        PrometheusText.label(labels, "session", SESSIONS[resumed ? 1 : 0]);
        final String key = labels.toString();
        LongAdder count = succeeded.get(key);
        if (count == null)
        {
            count = succeeded.computeIfAbsent(key, (ignored) -> new LongAdder());
        }
        count.increment();
        final int session = resumed ? 1 : 0;
        final long micros = TimeUnit.NANOSECONDS.toMicros(Math.max(0, nanos));
        int bucket = 0;
        while (bucket < LatencyBuckets.LE_MICROS.length && micros > LatencyBuckets.LE_MICROS[bucket])
        {
            bucket++;
        }
        durationBuckets[session][bucket].increment();
        durationNanos[session].add(Math.max(0, nanos));
    }

    public void handshakeFailed(final Failure failure)
    {
        failed[failure.ordinal()].increment();
    }

    /** Handshakes that succeeded so far, the resumed ones or the full ones (each is in one of its session's buckets). */
    public long handshakes(final boolean resumed)
    {
        long count = 0;
        for (final LongAdder bucket : durationBuckets[resumed ? 1 : 0])
        {
            count += bucket.sum();
        }
        return count;
    }

    /** Handshakes that failed for that reason so far. */
    public long failures(final Failure failure)
    {
        return failed[failure.ordinal()].sum();
    }

    /** The certificates served now, read at each scrape. */
    public void certificates(final Supplier<List<Expiry>> served)
    {
        certificates = served;
    }

    /** Appends the TLS families (scraping only). */
    void writePrometheus(final StringBuilder out)
    {
        PrometheusText.family(out, HANDSHAKES, "counter",
            "TLS handshakes with clients, by result (ok or why it failed), and for those that succeeded by version, cipher suite"
                + " and session (full or resumed).");
        for (final Map.Entry<String, LongAdder> series : new TreeMap<>(succeeded).entrySet())
        {
            PrometheusText.sample(out, HANDSHAKES, series.getKey(), series.getValue().sum());
        }
        for (final Failure failure : FAILURES)
        {
            final StringBuilder labels = PrometheusText.label(new StringBuilder(), "result", failure.label());
            PrometheusText.label(PrometheusText.label(PrometheusText.label(labels, "version", ""), "cipher", ""), "session", "");
            PrometheusText.sample(out, HANDSHAKES, labels, failed[failure.ordinal()].sum());
        }
        PrometheusText.family(out, DURATION, "histogram",
            "Time from a client connection's accept to its TLS handshake's end, for handshakes that succeeded, by session.");
        for (int session = 0; session < SESSIONS.length; session++)
        {
            final String labels = PrometheusText.label(new StringBuilder(), "session", SESSIONS[session]).toString();
            long cumulative = 0;
            for (int i = 0; i < durationBuckets[session].length; i++)
            {
                cumulative += durationBuckets[session][i].sum();
                final String le = i < LatencyBuckets.LE.length ? LatencyBuckets.LE[i] : LatencyBuckets.INFINITY;
                PrometheusText.sample(out, DURATION + "_bucket", PrometheusText.label(new StringBuilder(labels), "le", le),
                    cumulative);
            }
            PrometheusText.sample(out, DURATION + "_sum", labels, PrometheusText.seconds(durationNanos[session].sum()));
            PrometheusText.sample(out, DURATION + "_count", labels, cumulative);
        }
        PrometheusText.family(out, EXPIRY, "gauge",
            "Seconds until each certificate served to clients expires (negative once it has), by listener and file.");
        final long now = Instant.now().getEpochSecond();
        final List<Expiry> served = certificates.get();
        for (final Expiry certificate : served)
        {
            PrometheusText.sample(out, EXPIRY, labels(certificate), certificate.notAfter().getEpochSecond() - now);
        }
        PrometheusText.family(out, OCSP_EXPIRY, "gauge",
            "Seconds until the OCSP response stapled to each certificate stops being current (its nextUpdate; it is no longer"
                + " stapled then), by listener and certificate file; only certificates with an ocsp file.");
        for (final Expiry certificate : served)
        {
            if (certificate.ocspNextUpdate() != null)
            {
                PrometheusText.sample(out, OCSP_EXPIRY, labels(certificate), certificate.ocspNextUpdate().getEpochSecond() - now);
            }
        }
    }

    private static StringBuilder labels(final Expiry certificate)
    {
        return PrometheusText.label(PrometheusText.label(new StringBuilder(), "listener", certificate.listener()), "file",
            certificate.file());
    }
}
