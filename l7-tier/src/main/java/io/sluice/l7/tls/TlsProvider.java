package io.sluice.l7.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS engine serves clients: BoringSSL through netty-tcnative-boringssl-static when its
 * native library loads here (faster handshakes, and the only one that takes shared session ticket
 * keys and staples a given OCSP response), else the JDK's own. Decided once per process, and
 * named in one line at startup.
 */
public final class TlsProvider
{
    private TlsProvider()
    {
    }

    static SslProvider provider()
    {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    static boolean isNative()
    {
        return OpenSsl.isAvailable();
    }

    /**
     * Whether {@code ocsp:} responses are stapled: by the native engine. The JDK's server-side
     * stapling (JEP 249) fetches responses from the CA's responder itself and takes none given.
     */
    static boolean staples()
    {
        return OpenSsl.isAvailable() && OpenSsl.isOcspSupported();
    }

    /** {@code TLS by BoringSSL (netty-tcnative, native)}, or the JDK fallback and why, and whether OCSP responses are stapled. */
    public static String describe()
    {
        if (OpenSsl.isAvailable())
        {
            return "TLS by " + OpenSsl.versionString() + " (netty-tcnative, native" + (staples() ? "" : "; OCSP stapling off")
                + ")";
        }
        final Throwable cause = OpenSsl.unavailabilityCause();
        return "TLS by the JDK's engine (netty-tcnative unavailable: " + (cause == null ? "unknown" : cause.getMessage())
            + "; OCSP stapling off: the JDK's engine takes no given response)";
    }
}
