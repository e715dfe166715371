package io.sluice.l7.tls;

import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.config.ListenerTls;

import java.nio.file.Path;

/**
 * Configurations with one TLS listener, as the tests of TLS to clients write them ({@code DIR}
 * standing for the certificates' directory).
 */
final class TlsListeners
{
    private TlsListeners()
    {
    }

    /**
     * Listener {@code secure} on 127.0.0.1:{@code port} proxying to one backend.
     *
     * @param certificates the {@code certificates:} list's items, one a line, each indented as a list item under it.
     */
    static L7Config config(final Path directory, final int port, final String certificates, final int backendPort,
        final String file)
    {
        return L7ConfigLoader.parse("""
            listeners:
              - name: secure
                address: 127.0.0.1:%d
                tls:
                  certificates:
            %s
            routes: [{ name: r, to: p }]
            pools: { p: { servers: [{ name: b1, address: "127.0.0.1:%d" }] } }
            """.formatted(port, certificates.stripTrailing(), backendPort).replace("DIR", directory.toString()), file);
    }

    /** Such a listener's {@code tls:} alone, for the parts of the tls package. */
    static ListenerTls tls(final Path directory, final String certificates)
    {
        return config(directory, 8443, certificates, 80, "l7.yaml").listeners().getFirst().tls();
    }
}
