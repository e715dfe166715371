package io.sluice.l7.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP/2 to backend servers: streams opened and open now, RST_STREAM and GOAWAY frames each way.
 * Recorded by the event loops (an increment each, no allocation), summed at each scrape.
 */
public final class BackendStreams
{
    private static final String PREFIX = "sluice_l7_backend_http2_";
    private static final String RECEIVED = "direction=\"received\"";
    private static final String SENT = "direction=\"sent\"";

    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder resetsReceived = new LongAdder();
    private final LongAdder resetsSent = new LongAdder();
    private final LongAdder goAwaysReceived = new LongAdder();
    private final LongAdder goAwaysSent = new LongAdder();

    /** A stream to a backend opened; pair each with one {@link #streamClosed}. */
    public void streamOpened()
    {
        opened.increment();
    }

    public void streamClosed()
    {
        closed.increment();
    }

    /** @param received whether the server sent it (else the proxy did). */
    public void reset(final boolean received)
    {
        (received ? resetsReceived : resetsSent).increment();
    }

    /** @param received whether the server sent it (else the proxy did). */
    public void goAway(final boolean received)
    {
        (received ? goAwaysReceived : goAwaysSent).increment();
    }

    /** Streams open to backends now. */
    public long active()
    {
        final long closedSoFar = closed.sum(); // before opened: a close is never counted without its open
        return opened.sum() - closedSoFar;
    }

    public long goAwaysReceived()
    {
        return goAwaysReceived.sum();
    }

    public long resetsReceived()
    {
        return resetsReceived.sum();
    }

    void writePrometheus(final StringBuilder out)
    {
        PrometheusText.family(out, PREFIX + "streams_active", "gauge", "HTTP/2 streams open to backend servers.");
        PrometheusText.sample(out, PREFIX + "streams_active", "", active());
        PrometheusText.family(out, PREFIX + "streams_opened_total", "counter", "HTTP/2 streams opened to backend servers.");
        PrometheusText.sample(out, PREFIX + "streams_opened_total", "", opened.sum());
        PrometheusText.family(out, PREFIX + "resets_total", "counter", "RST_STREAM frames on backend connections, by direction.");
        PrometheusText.sample(out, PREFIX + "resets_total", RECEIVED, resetsReceived.sum());
        PrometheusText.sample(out, PREFIX + "resets_total", SENT, resetsSent.sum());
        PrometheusText.family(out, PREFIX + "goaways_total", "counter", "GOAWAY frames on backend connections, by direction.");
        PrometheusText.sample(out, PREFIX + "goaways_total", RECEIVED, goAwaysReceived.sum());
        PrometheusText.sample(out, PREFIX + "goaways_total", SENT, goAwaysSent.sum());
    }
}
