package io.sluice.l7.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS engine serves clients: BoringSSL through netty-tcnative-boringssl-static when its
 * native library loads here (faster handshakes, and the only one that takes shared session ticket
 * keys), else the JDK's own. Decided once per process, and named in one line at startup.
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

    /** {@code TLS by BoringSSL (netty-tcnative, native)}, or the JDK fallback and why. */
    public static String describe()
    {
        if (OpenSsl.isAvailable())
        {
            return "TLS by " + OpenSsl.versionString() + " (netty-tcnative, native)";
        }
        final Throwable cause = OpenSsl.unavailabilityCause();
        return "TLS by the JDK's engine (netty-tcnative unavailable: " + (cause == null ? "unknown" : cause.getMessage()) + ")";
    }
}
