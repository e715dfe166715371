package io.sluice.l7.metrics;

import java.util.Locale;

/**
 * How a connection to a listener with {@code proxy_protocol} began, counted as
 * {@code sluice_l7_proxy_protocol_total{result}}. A connection from an untrusted peer that sends
 * no header is an ordinary client and is not counted.
 */
public enum ProxyProtocolOutcome
{
    /** A trusted peer's header named the client: its addresses stand for the connection. */
    ACCEPTED(false),
    /** A trusted peer's header relayed no connection (v2 LOCAL, v1 UNKNOWN): the connection's own addresses stand. */
    LOCAL(false),
    /** A trusted peer sent no header, which the listener allows ({@code required: false}). */
    NONE(false),
    /** A header from a peer not in {@code trusted}: refused, never believed. */
    UNTRUSTED(true),
    /** A header that breaks the specification. */
    MALFORMED(true),
    /** A trusted peer's first bytes were not a header, which the listener requires. */
    MISSING(true),
    /** A trusted peer's header did not arrive whole within the request header timeout. */
    TIMEOUT(true);

    private final boolean refused;
    private final String label;

    ProxyProtocolOutcome(final boolean refused)
    {
        this.refused = refused;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** Whether the connection was closed for it. */
    public boolean refused()
    {
        return refused;
    }

    public String label()
    {
        return label;
    }
}
