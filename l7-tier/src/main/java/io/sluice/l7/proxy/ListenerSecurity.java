package io.sluice.l7.proxy;

import io.netty.channel.ChannelHandler;
import io.sluice.l7.tls.ServerTls;

/**
 * What a listener's connections speak before HTTP: TLS with its certificates, or cleartext, which
 * may answer every request with a redirect to https; and whether their HTTP/2 streams may be
 * WebSockets (RFC 8441).
 */
public final class ListenerSecurity
{
    /** Plain HTTP, served. */
    public static final ListenerSecurity CLEARTEXT = new ListenerSecurity(null, 0, true);

    private final ServerTls tls;
    /** Made once, shared by the listener's connections. */
    private final ChannelHandler strictTransportSecurity;
    private final ChannelHandler httpsRedirect;
    private final boolean webSocketsOverHttp2;

    /**
     * @param tls                 the listener's TLS, or null for cleartext.
     * @param redirectHttpsPort   for cleartext: the https port requests are redirected to, or 0 to serve them.
     * @param webSocketsOverHttp2 whether HTTP/2 clients may open WebSockets (extended CONNECT advertised).
     */
    public ListenerSecurity(final ServerTls tls, final int redirectHttpsPort, final boolean webSocketsOverHttp2)
    {
        this.tls = tls;
        this.webSocketsOverHttp2 = webSocketsOverHttp2;
        this.strictTransportSecurity = tls == null || tls.hsts() == null ? null : new StrictTransportSecurity(tls.hsts());
        this.httpsRedirect = redirectHttpsPort == 0 ? null : new HttpsRedirect(redirectHttpsPort);
    }

    /** The listener's TLS, or null for cleartext. */
    public ServerTls tls()
    {
        return tls;
    }

    /** What answers every request of a cleartext listener that redirects to https; null when it serves them. */
    ChannelHandler httpsRedirect()
    {
        return httpsRedirect;
    }

    /** Adds the listener's Strict-Transport-Security to responses; null when it has none. */
    ChannelHandler strictTransportSecurity()
    {
        return strictTransportSecurity;
    }

    /** Whether HTTP/2 clients may open WebSockets ({@code websocket_over_h2}). */
    boolean webSocketsOverHttp2()
    {
        return webSocketsOverHttp2;
    }
}
