package io.sluice.control.warmup;

/**
 * What a warm-up's load did: answers read whole by how they came, connections opened, failures,
 * and the TLS handshakes its proxy completed.
 *
 * @param http1             answers over cleartext HTTP/1.1.
 * @param h2c               answers over cleartext HTTP/2.
 * @param http1OverTls      answers over HTTP/1.1 with TLS.
 * @param h2OverTls         answers over HTTP/2 with TLS.
 * @param connections       connections opened.
 * @param failed            requests that failed or were reset, and connections that failed before a request.
 * @param fullHandshakes    TLS handshakes the proxy completed in full.
 * @param resumedHandshakes TLS handshakes the proxy completed by resuming a session.
 */
public record LoadCounts(long http1, long h2c, long http1OverTls, long h2OverTls, long connections, long failed,
    long fullHandshakes, long resumedHandshakes)
{
    /** Every answer read whole. */
    public long answered()
    {
        return http1 + h2c + http1OverTls + h2OverTls;
    }

    LoadCounts plus(final LoadCounts other)
    {
        return new LoadCounts(http1 + other.http1, h2c + other.h2c, http1OverTls + other.http1OverTls,
            h2OverTls + other.h2OverTls, connections + other.connections, failed + other.failed,
            fullHandshakes + other.fullHandshakes, resumedHandshakes + other.resumedHandshakes);
    }

    /** These counts with the handshakes the proxy counted while they were made. */
    LoadCounts withHandshakes(final long full, final long resumed)
    {
        return new LoadCounts(http1, h2c, http1OverTls, h2OverTls, connections, failed, full, resumed);
    }

    /** What was warmed, for {@code sluice l7}'s line after the warm-up. */
    public String summary()
    {
        final boolean tls = http1OverTls + h2OverTls + fullHandshakes + resumedHandshakes > 0;
        return answered() + " answers (" + http1 + " HTTP/1.1, " + h2c + " h2c" + (tls ? ", " + http1OverTls
            + " HTTP/1.1 over TLS, " + h2OverTls + " h2 over TLS; after " + fullHandshakes + " full and " + resumedHandshakes
            + " resumed TLS handshakes" : "; cleartext only") + "), " + connections + " connections, " + failed
            + " failed";
    }
}
