package io.sluice.l7.proxy;

import io.netty.channel.ChannelHandler;
import io.sluice.l7.tls.ServerTls;

/**
 * What a listener's connections speak before HTTP: TLS with its certificates, or cleartext, which
 * may answer every request with a redirect to https.
 */
public final class ListenerSecurity
{
    /** Plain HTTP, served. */
    public static final ListenerSecurity CLEARTEXT = new ListenerSecurity(null, 0);

    private final ServerTls tls;
    /** Made once, shared by the listener's connections. */
    private final ChannelHandler strictTransportSecurity;
    private final ChannelHandler httpsRedirect;

    /**
     * @param tls               the listener's TLS, or null for cleartext.
     * @param redirectHttpsPort for cleartext: the https port requests are redirected to, or 0 to serve them.
     */
    public ListenerSecurity(final ServerTls tls, final int redirectHttpsPort)
    {
        this.tls = tls;
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
}
