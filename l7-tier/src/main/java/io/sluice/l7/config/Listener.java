package io.sluice.l7.config;

import java.net.InetSocketAddress;

/**
 * Where clients connect: {@code address: 198.18.1.1:80} or {@code "[2001:2:0:1::1]:80"} (an IP
 * literal, no name lookup; {@code 0.0.0.0} or {@code "[::]"} for every address).
 *
 * @param tls               TLS to clients, or null for cleartext.
 * @param redirectHttpsPort {@code redirect_https}: on a cleartext listener, the port every request
 *                          is redirected to over https (443 for {@code true}); 0 for none.
 */
public record Listener(String name, InetSocketAddress address, ListenerTls tls, int redirectHttpsPort)
{
    /** A cleartext listener. */
    public Listener(final String name, final InetSocketAddress address)
    {
        this(name, address, null, 0);
    }
}
