package io.sluice.l7.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store global rate limits are counted in (Redis): decisions answered by result, decisions
 * that failed by why (the filter fell back to its local limit for each), connection failures by
 * kind, the scripts loaded, the round trip of each answered decision, and the connections ready
 * now (one per event loop while Redis is up). Recorded by the event loops without a lock and
 * without allocating; every label is in the exposition from the start, so an alert can name a
 * kind of failure that has not happened yet.
 */
public final class RedisMetrics
{
    /** Why a decision completed exceptionally. */
    public enum DecisionError
    {
        /** Redis did not answer within the configured {@code timeout}. */
        TIMEOUT("timeout"),
        /** No connection was ready (Redis down, refusing, or still being connected to): failed at once, never queued. */
        NOT_CONNECTED("not_connected"),
        /** The connection closed with the decision sent and unanswered. */
        CONNECTION_CLOSED("connection_closed"),
        /** Redis answered with an error (the script failed, or was missing again after it was loaded again). */
        SCRIPT_ERROR("script_error"),
        /** Too many decisions were waiting for answers on the connection already. */
        TOO_MANY_IN_FLIGHT("too_many_in_flight");

        private final String label;

        DecisionError(final String label)
        {
            this.label = label;
        }

        public String label()
        {
            return label;
        }
    }

    /** Why a connection to Redis could not be made or kept. */
    public enum ConnectionError
    {
        /** Connecting failed: refused, unreachable or timed out. */
        REFUSED("refused"),
        /** An open connection closed (Redis stopped or dropped it). */
        CLOSED("closed"),
        /** Redis refused AUTH, SELECT or SCRIPT LOAD. */
        HANDSHAKE("handshake"),
        /** Closed by the proxy: Redis left a command unanswered too long (hung, or the network dropped it silently). */
        UNRESPONSIVE("unresponsive");

        private final String label;

        ConnectionError(final String label)
        {
            this.label = label;
        }

        public String label()
        {
            return label;
        }
    }

    private static final String PREFIX = "sluice_l7_redis_";
    private static final DecisionError[] DECISION_ERRORS = DecisionError.values();
    private static final ConnectionError[] CONNECTION_ERRORS = ConnectionError.values();
    /**
     * Finer than the request histogram's {@link LatencyBuckets}: a round trip to a Redis nearby takes
     * a tenth of a millisecond, and the decision's timeout (50 ms by default) bounds it from above.
     */
    private static final String[] LE = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
        "0.25", "0.5", "1"};
    private static final long[] LE_MICROS = {100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
        500_000, 1_000_000};

    private final LongAdder allowed = new LongAdder();
    private final LongAdder limited = new LongAdder();
    private final LongAdder[] decisionErrors = L7Metrics.newAdders(DECISION_ERRORS.length);
    private final LongAdder[] connectionErrors = L7Metrics.newAdders(CONNECTION_ERRORS.length);
    private final LongAdder scriptLoads = new LongAdder();
    /** Counts in each bucket alone (made cumulative at a scrape), {@code +Inf} last. */
    private final LongAdder[] roundTripBuckets = L7Metrics.newAdders(LE_MICROS.length + 1);
    private final LongAdder roundTripNanos = new LongAdder();
    private final LongAdder connectionsReady = new LongAdder();

    /**
     * Redis answered a decision.
     *
     * @param nanos from the command's write to its answer.
     */
    public void decided(final boolean wasAllowed, final long nanos)
    {
        (wasAllowed ? allowed : limited).increment();
        final long micros = TimeUnit.NANOSECONDS.toMicros(Math.max(0, nanos));
        int bucket = 0;
        while (bucket < LE_MICROS.length && micros > LE_MICROS[bucket])
        {
            bucket++;
        }
        roundTripBuckets[bucket].increment();
        roundTripNanos.add(Math.max(0, nanos));
    }

    public void decisionFailed(final DecisionError error)
    {
        decisionErrors[error.ordinal()].increment();
    }

    public void connectionFailed(final ConnectionError error)
    {
        connectionErrors[error.ordinal()].increment();
    }

    /** The script was sent to Redis (SCRIPT LOAD): once per connection, and again after Redis lost it. */
    public void scriptLoaded()
    {
        scriptLoads.increment();
    }

    /** A connection finished its handshake; pair each with one {@link #connectionLost}. */
    public void connectionReady()
    {
        connectionsReady.increment();
    }

    public void connectionLost()
    {
        connectionsReady.decrement();
    }

    /** Decisions Redis answered so far, allowed or limited. */
    public long decisions(final boolean wereAllowed)
    {
        return (wereAllowed ? allowed : limited).sum();
    }

    public long decisionErrors(final DecisionError error)
    {
        return decisionErrors[error.ordinal()].sum();
    }

    public long connectionErrors(final ConnectionError error)
    {
        return connectionErrors[error.ordinal()].sum();
    }

    public long scriptLoads()
    {
        return scriptLoads.sum();
    }

    /** Connections to Redis ready now. */
    public long connected()
    {
        return connectionsReady.sum();
    }

    /** Appends the Redis families (scraping only). */
    void writePrometheus(final StringBuilder out)
    {
        final String decisions = PREFIX + "decisions_total";
        PrometheusText.family(out, decisions, "counter", "Global rate-limit decisions Redis answered, by result.");
        PrometheusText.sample(out, decisions, PrometheusText.label(new StringBuilder(), "result", "allowed"), allowed.sum());
        PrometheusText.sample(out, decisions, PrometheusText.label(new StringBuilder(), "result", "limited"), limited.sum());
        final String errors = PREFIX + "decision_errors_total";
        PrometheusText.family(out, errors, "counter",
            "Global rate-limit decisions that failed (each fell back to its local limit), by kind.");
        for (final DecisionError error : DECISION_ERRORS)
        {
            PrometheusText.sample(out, errors, PrometheusText.label(new StringBuilder(), "kind", error.label()),
                decisionErrors[error.ordinal()].sum());
        }
        final String connection = PREFIX + "connection_errors_total";
        PrometheusText.family(out, connection, "counter", "Connections to Redis that could not be made or kept, by kind.");
        for (final ConnectionError error : CONNECTION_ERRORS)
        {
            PrometheusText.sample(out, connection, PrometheusText.label(new StringBuilder(), "kind", error.label()),
                connectionErrors[error.ordinal()].sum());
        }
        PrometheusText.family(out, PREFIX + "script_loads_total", "counter",
            "Times the rate-limit script was loaded into Redis (once per connection, again after Redis lost it).");
        PrometheusText.sample(out, PREFIX + "script_loads_total", "", scriptLoads.sum());
        final String roundTrip = PREFIX + "round_trip_seconds";
        PrometheusText.family(out, roundTrip, "histogram", "Time from a decision's command written to Redis's answer.");
        long cumulative = 0;
        for (int i = 0; i < roundTripBuckets.length; i++)
        {
            cumulative += roundTripBuckets[i].sum();
            final String le = i < LE.length ? LE[i] : LatencyBuckets.INFINITY;
            PrometheusText.sample(out, roundTrip + "_bucket", PrometheusText.label(new StringBuilder(), "le", le), cumulative);
        }
        PrometheusText.sample(out, roundTrip + "_sum", "", PrometheusText.seconds(roundTripNanos.sum()));
        PrometheusText.sample(out, roundTrip + "_count", "", cumulative);
        PrometheusText.family(out, PREFIX + "connected", "gauge",
            "Connections to Redis ready now (one per event loop while it is up).");
        PrometheusText.sample(out, PREFIX + "connected", "", connectionsReady.sum());
    }
}
