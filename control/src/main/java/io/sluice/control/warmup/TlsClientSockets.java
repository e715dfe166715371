package io.sluice.control.warmup;

import io.sluice.l7.config.ListenerTls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The warm-up's TLS client sockets: the JDK's blocking {@link SSLSocket} over a
 * {@link ClientSockets} connection to the warm-up proxy's TLS listener, offering one protocol by
 * ALPN and, by SNI, a name of the listener's first certificate (a listener with
 * {@code sni: strict} answers it, and the proxy's ClientHello reader takes the path a browser's
 * handshake takes). A connection either resumes a session kept from an earlier one (the JDK's
 * client session cache of the shared context keeps them by host and port, TLS 1.3 tickets
 * included) or makes a full handshake with a context of its own, which has none to offer.
 */
final class TlsClientSockets
{
    static final String HTTP_1_1 = "http/1.1";
    static final String H2 = "h2";
    /** What a wildcard certificate's {@code *} stands for in the name sent. */
    private static final String WILDCARD_LABEL = "warm-up";

    private final List<SNIServerName> serverName;
    private final boolean offersH2;
    private final SSLContext resuming;

    private TlsClientSockets(final List<SNIServerName> serverName, final boolean offersH2, final SSLContext resuming)
    {
        this.serverName = serverName;
        this.offersH2 = offersH2;
        this.resuming = resuming;
    }

    /**
     * Clients of a listener with {@code tls}'s settings.
     *
     * @throws GeneralSecurityException when the JDK has no TLS client to give (the warm-up then leaves TLS out).
     */
    static TlsClientSockets of(final ListenerTls tls) throws GeneralSecurityException
    {
        final String name = tls.certificates().getFirst().names().getFirst();
        return new TlsClientSockets(List.of(new SNIHostName(name.startsWith("*.") ? WILDCARD_LABEL + name.substring(1) : name)),
            tls.alpn().contains(H2), newContext());
    }

    /** Whether the listener offers h2 by ALPN: HTTP/2 over TLS is warmed only where a client can have it. */
    boolean offersH2()
    {
        return offersH2;
    }

    /**
     * A TLS connection to {@code listener} with its handshake done, {@code protocol} offered by ALPN.
     *
     * @param resume whether to offer a session kept from an earlier connection; a full handshake otherwise.
     * @throws IOException when it cannot connect, the handshake fails, or h2 was offered and not chosen.
     */
    SSLSocket open(final InetSocketAddress listener, final String protocol, final boolean resume) throws IOException
    {
        final SSLContext context;
        try
        {
            context = resume ? resuming : newContext();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new SSLException("no TLS client context: " + ex.getMessage(), ex);
        }
        final Socket plain = ClientSockets.connect(listener);
        final SSLSocket socket;
        try
        {
            // named by host and port, as the client session cache keeps sessions
            socket = (SSLSocket)context.getSocketFactory()
                .createSocket(plain, listener.getHostString(), listener.getPort(), true);
        }
        catch (final IOException ex)
        {
            plain.close();
            throw ex;
        }
        try
        {
            final SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName);
            parameters.setApplicationProtocols(new String[] {protocol});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            if (H2.equals(protocol) && !H2.equals(socket.getApplicationProtocol()))
            {
                throw new SSLException("the warm-up's TLS listener did not choose h2 by ALPN");
            }
            return socket;
        }
        catch (final IOException ex)
        {
            socket.close();
            throw ex;
        }
    }

    private static SSLContext newContext() throws GeneralSecurityException
    {
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new ItsOwnListener()}, null);
        return context;
    }

    /**
     * Trusts whatever certificate the server shows, for any name. Safe here and nowhere else: the
     * warm-up connects only to its own proxy, in this process, on a loopback port that proxy has
     * bound, serving the certificates the configuration loaded and checked; and what crosses those
     * connections is the warm-up's canned requests and answers. Used anywhere else, it would let
     * whoever sits between client and server read and change the traffic. Extended, so that the
     * JDK does not wrap it in checks of its own.
     */
    private static final class ItsOwnListener extends X509ExtendedTrustManager
    {
        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
        {
            // trusted: see the class's comment
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        {
            // trusted: see the class's comment
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        {
            // trusted: see the class's comment
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
        {
            throw notAServer();
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
            throws CertificateException
        {
            throw notAServer();
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
            throws CertificateException
        {
            throw notAServer();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }

        private static CertificateException notAServer()
        {
            return new CertificateException("the warm-up's clients trust no client: they are no server");
        }
    }
}
