package io.sluice.l7.tls;

import io.sluice.l7.testing.TestCertificates;

import io.sluice.l7.config.CertificateFile;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.config.ListenerTls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A listener's {@code tls:} as the file gives it: every accepted form, and every refusal as its
 * exact one-line message, over certificates openssl made for the test (a key that matches no
 * certificate, an expired certificate, files that are not there).
 */
class TlsConfigTest
{
    private static final String REST = """
        routes: [{ name: r, to: p }]
        pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }] } }
        """;

    @TempDir
    static Path directory;
    private static TestCertificates certificates;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        certificates = TestCertificates.makeIn(directory);
    }

    /** A file with one TLS listener whose {@code tls:} mapping is {@code tls} (its lines indented by the caller). */
    private static L7Config parse(final String tls)
    {
        return L7ConfigLoader.parse("""
            listeners:
              - name: web
                address: 127.0.0.1:8443
                tls:
            %s""".formatted(tls.replace("DIR", directory.toString())) + REST, "l7.yaml");
    }

    private static ListenerTls tls(final String yaml)
    {
        return parse(yaml).listeners().getFirst().tls();
    }

    @Test
    void namesComeFromTheCertificatesAndTheDefaultsAreSafe()
    {
        final ListenerTls tls = tls("""
                  certificates:
                    - { cert: DIR/a.pem, key: DIR/a.key }
                    - { cert: DIR/b.pem, key: DIR/b.key }
            """);

        assertThat(tls.certificates()).extracting(CertificateFile::names)
            .containsExactly(List.of("a.example"), List.of("b.example", "*.wild.example"));
        assertThat(tls.certificates().getFirst().chain()).hasSize(1);
        assertThat(tls.alpn()).containsExactly("h2", "http/1.1");
        assertThat(tls.minVersion()).isEqualTo("1.2");
        assertThat(tls.ciphers()).as("the provider's default: ECDHE with AEADs only").isEmpty();
        assertThat(tls.groups()).containsExactly("X25519", "P-256", "P-384");
        assertThat(tls.strictSni()).isFalse();
        assertThat(tls.clientAuth()).isEqualTo(ListenerTls.ClientAuth.NONE);
        assertThat(tls.ticketKeys()).isNull();
        assertThat(tls.hsts()).isNull();
        assertThat(tls.where()).isEqualTo("l7.yaml:5: listeners[0].tls");
        assertThat(tls.certificates().get(1).where()).isEqualTo("l7.yaml:7: listeners[0].tls.certificates[1]");
    }

    @Test
    void everyKeyGiven()
    {
        final ListenerTls tls = tls("""
                  certificates:
                    - { cert: DIR/a.pem, key: DIR/a.key, names: [A.Example, "*.a.example"] }
                  sni: strict
                  alpn: [http/1.1]
                  min_version: "1.3"
                  ciphers: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
                  groups: [P-256, X25519]
                  client_auth: optional
                  client_ca: DIR/ca.pem
                  ticket_keys: DIR/tickets.key
                  hsts: "max-age=31536000; includeSubDomains"
            """);

        assertThat(tls.certificates().getFirst().names()).containsExactly("a.example", "*.a.example");
        assertThat(tls.strictSni()).isTrue();
        assertThat(tls.alpn()).containsExactly("http/1.1");
        assertThat(tls.minVersion()).isEqualTo("1.3");
        assertThat(tls.ciphers()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(tls.groups()).containsExactly("P-256", "X25519");
        assertThat(tls.clientAuth()).isEqualTo(ListenerTls.ClientAuth.OPTIONAL);
        assertThat(tls.clientCa().certificates()).hasSize(1);
        assertThat(tls.ticketKeys().keys()).as("96 bytes: two keys").hasSize(2);
        assertThat(tls.hsts()).isEqualTo("max-age=31536000; includeSubDomains");
        assertThat(tls.files()).containsExactly(certificates.file("a.pem"), certificates.file("a.key"), certificates.file("ca.pem"),
            certificates.file("tickets.key"));
    }

    @Test
    void aNameMayHaveAnRsaAndAnEcdsaCertificate()
    {
        final ListenerTls tls = tls("""
                  certificates:
                    - { cert: DIR/a.pem, key: DIR/a.key }
                    - { cert: DIR/a2.pem, key: DIR/a2.key }
                    - { cert: DIR/stapled-chain.pem, key: DIR/stapled.key, ocsp: DIR/stapled.ocsp }
            """);

        assertThat(tls.certificates()).extracting(CertificateFile::names)
            .containsExactly(List.of("a.example"), List.of("a.example"), List.of("stapled.example"));
        assertThat(tls.certificates().get(2).chain()).hasSize(2);
        assertThat(tls.certificates().get(2).ocsp().file()).isEqualTo(certificates.file("stapled.ocsp"));
        assertThat(tls.files()).containsExactly(certificates.file("a.pem"), certificates.file("a.key"),
            certificates.file("a2.pem"), certificates.file("a2.key"), certificates.file("stapled-chain.pem"),
            certificates.file("stapled.key"), certificates.file("stapled.ocsp"));
    }

    @Test
    void relativeFilesAreTheConfigurationFilesNeighbours() throws Exception
    {
        final Path file = directory.resolve("l7.yaml");
        Files.writeString(file, """
            listeners:
              - name: web
                address: 127.0.0.1:8443
                tls: { certificates: [{ cert: a.pem, key: a.key }] }
            """ + REST);

        assertThat(L7ConfigLoader.load(file).listeners().getFirst().tls().certificates().getFirst().certFile())
            .isEqualTo(certificates.file("a.pem"));
    }

    @Test
    void redirectHttpsOnACleartextListener()
    {
        final L7Config config = L7ConfigLoader.parse("""
            listeners:
              - { name: a, address: 127.0.0.1:80, redirect_https: true }
              - { name: b, address: 127.0.0.1:81, redirect_https: 8443 }
              - { name: c, address: 127.0.0.1:82, redirect_https: false }
            """ + REST, "l7.yaml");

        assertThat(config.listeners()).extracting(io.sluice.l7.config.Listener::redirectHttpsPort).containsExactly(443, 8443, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(final String description, final String tls, final String message)
    {
        assertThatThrownBy(() -> parse(tls))
            .isInstanceOf(ConfigException.class)
            .hasMessage(message.replace("DIR", directory.toString()));
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            arguments("a key that is not the certificate's", """
                      certificates:
                        - { cert: DIR/a.pem, key: DIR/a.key }
                        - { cert: DIR/b.pem, key: DIR/other.key }
                """,
                "l7.yaml:7: listeners[0].tls.certificates[1]: key DIR/other.key does not match certificate DIR/b.pem"),
            arguments("an RSA certificate with an EC key", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/b.key }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0]: key DIR/b.key does not match certificate DIR/a.pem"),
            arguments("an expired certificate", """
                      certificates: [{ cert: DIR/expired.pem, key: DIR/expired.key }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0]: certificate DIR/expired.pem (CN=expired) expired on 2020-01-02T00:00:00Z"),
            arguments("a missing certificate", """
                      certificates: [{ cert: DIR/missing.pem, key: DIR/a.key }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0]: certificate DIR/missing.pem: no such file"),
            arguments("a missing key", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/missing.key }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0]: key DIR/missing.key: no such file"),
            arguments("a key file that is a certificate", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.pem }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0]: key DIR/a.pem holds no PEM PRIVATE KEY block"),
            arguments("a certificate file that is a key", """
                      certificates: [{ cert: DIR/a.key, key: DIR/a.key }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0]: certificate DIR/a.key holds no PEM CERTIFICATE block"),
            arguments("no certificates", """
                      certificates: []
                """,
                "l7.yaml:5: listeners[0].tls.certificates: needs at least one certificate"),
            arguments("no certificates key", """
                      alpn: [h2]
                """,
                "l7.yaml:5: listeners[0].tls.certificates: missing"),
            arguments("an unknown key", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      protocols: [h2]
                """,
                "l7.yaml:6: listeners[0].tls.protocols: unknown key; allowed here: certificates, sni, alpn, min_version, ciphers,"
                    + " groups, client_auth, client_ca, ticket_keys, hsts"),
            arguments("a name served twice by ECDSA certificates", """
                      certificates:
                        - { cert: DIR/a2.pem, key: DIR/a2.key }
                        - { cert: DIR/b.pem, key: DIR/b.key, names: [a.example] }
                """,
                "l7.yaml:7: listeners[0].tls.certificates[1]: name 'a.example' is already served by DIR/a2.pem (a name may have"
                    + " one RSA and one ECDSA certificate)"),
            arguments("nginx's 80-byte ticket key", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      ticket_keys: DIR/tickets80.key
                """,
                "l7.yaml:6: listeners[0].tls.ticket_keys: ticket_keys DIR/tickets80.key is 80 bytes, nginx's 80-byte"
                    + " (AES-256) key form, which the native TLS engine cannot use: netty-tcnative's ticket callback takes a"
                    + " 16-byte HMAC key and an AES-128 key; give 48-byte keys (openssl rand 48)"),
            arguments("an unknown key in a certificate", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key, stapling: DIR/x.ocsp }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0].stapling: unknown key; allowed here: cert, key, names, ocsp"),
            arguments("a name that is not one", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key, names: ["a b"] }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0].names[0]: 'a b' is not a host name or a *.domain wildcard"),
            arguments("a wildcard not in the first label", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key, names: ["a.*.example"] }]
                """,
                "l7.yaml:5: listeners[0].tls.certificates[0].names[0]: 'a.*.example' is not a host name or a *.domain wildcard"),
            arguments("an unknown sni mode", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      sni: lax
                """,
                "l7.yaml:6: listeners[0].tls.sni: 'lax' is not default or strict"),
            arguments("TLS 1.1", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      min_version: "1.1"
                """,
                "l7.yaml:6: listeners[0].tls.min_version: '1.1' is not 1.2 or 1.3"),
            arguments("an ALPN protocol sluice does not speak", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      alpn: [h2, h3]
                """,
                "l7.yaml:6: listeners[0].tls.alpn[1]: 'h3' is not h2 or http/1.1"),
            arguments("an OpenSSL cipher name", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      ciphers: [ECDHE-RSA-AES128-GCM-SHA256]
                """,
                "l7.yaml:6: listeners[0].tls.ciphers[0]: 'ECDHE-RSA-AES128-GCM-SHA256' is not a cipher suite's IANA name"
                    + " (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)"),
            arguments("an unknown group", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      groups: [X448]
                """,
                "l7.yaml:6: listeners[0].tls.groups[0]: 'X448' is not X25519, P-256, P-384 or P-521"),
            arguments("client_auth required without a CA", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      client_auth: required
                """,
                "l7.yaml:5: listeners[0].tls.client_ca: missing; client_auth required needs the CAs client certificates are checked"
                    + " against"),
            arguments("a CA without client_auth", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      client_ca: DIR/ca.pem
                """,
                "l7.yaml:6: listeners[0].tls.client_ca: client_auth is none (the default): set it to optional or required, or remove"
                    + " client_ca"),
            arguments("a CA file that is not there", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      client_auth: required
                      client_ca: DIR/nothing.pem
                """,
                "l7.yaml:7: listeners[0].tls.client_ca: client_ca DIR/nothing.pem: no such file"),
            arguments("ticket keys of the wrong size", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      ticket_keys: DIR/a.key
                """,
                "l7.yaml:6: listeners[0].tls.ticket_keys: ticket_keys DIR/a.key is " + size("a.key")
                    + " bytes; it must hold one or more 48-byte keys (openssl rand 48)"),
            arguments("HSTS without max-age", """
                      certificates: [{ cert: DIR/a.pem, key: DIR/a.key }]
                      hsts: includeSubDomains
                """,
                "l7.yaml:6: listeners[0].tls.hsts: 'includeSubDomains' does not start with max-age= (max-age=31536000;"
                    + " includeSubDomains)"));
    }

    @Test
    void redirectHttpsIsForCleartextListeners()
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            listeners:
              - name: web
                address: 127.0.0.1:8443
                redirect_https: true
                tls: { certificates: [{ cert: DIR/a.pem, key: DIR/a.key }] }
            """.replace("DIR", directory.toString()) + REST, "l7.yaml"))
            .hasMessage("l7.yaml:4: listeners[0].redirect_https: redirects a cleartext listener to https; this listener has tls");
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            listeners: [{ name: web, address: 127.0.0.1:80, redirect_https: yes }]
            """ + REST, "l7.yaml"))
            .hasMessage("l7.yaml:1: listeners[0].redirect_https: 'yes' is not an integer");
    }

    private static long size(final String name)
    {
        try
        {
            return Files.size(directory.resolve(name));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
