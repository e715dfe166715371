package io.sluice.l7.tls.ocsp;

import io.sluice.l7.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Responses made by Debian's {@code openssl ocsp} from a CA's index.txt, checked against the
 * certificates they are (or are not) for: good ones signed by the CA or by its delegated
 * responder pass; a revoked certificate, another certificate's response, one signed by a
 * stranger or by a certificate not delegated to sign OCSP, and one checked before its
 * thisUpdate or after its nextUpdate (the clock moved, as a day's wait would) are refused, each
 * in one line naming the file.
 */
class OcspStapleTest
{
    @TempDir
    static Path directory;
    private static TestCertificates certificates;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        certificates = TestCertificates.makeIn(directory);
    }

    private static OcspStaple check(final String ocsp, final String chain, final Instant now) throws Exception
    {
        return OcspStaple.check(certificates.file(ocsp), Files.readAllBytes(certificates.file(ocsp)), certificates.file(chain),
            chain(chain), now);
    }

    private static List<X509Certificate> chain(final String file) throws Exception
    {
        final List<X509Certificate> chain = new ArrayList<>();
        for (final var certificate : CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificates.file(file)))))
        {
            chain.add((X509Certificate)certificate);
        }
        return chain;
    }

    @Test
    void aGoodResponseFromTheCaOrItsDelegatedResponderIsStapledUntilItsNextUpdate() throws Exception
    {
        final Instant now = Instant.now();
        for (final String ocsp : List.of("stapled.ocsp", "stapled-delegated.ocsp"))
        {
            final OcspStaple staple = check(ocsp, "stapled-chain.pem", now);

            assertThat(staple.der()).as(ocsp).isEqualTo(Files.readAllBytes(certificates.file(ocsp)));
            assertThat(staple.thisUpdate()).as(ocsp).isBetween(now.minusSeconds(600), now);
            assertThat(Duration.between(staple.thisUpdate(), staple.nextUpdate())).as("openssl ocsp -ndays 1")
                .isEqualTo(Duration.ofDays(1));
        }
    }

    @Test
    void aResponseIsRefusedBeforeItsThisUpdateAndFromItsNextUpdate() throws Exception
    {
        final OcspStaple staple = check("stapled.ocsp", "stapled-chain.pem", Instant.now());

        assertThatThrownBy(() -> check("stapled.ocsp", "stapled-chain.pem", staple.nextUpdate()))
            .hasMessage("ocsp " + certificates.path("stapled.ocsp") + " expired at " + staple.nextUpdate() + " (nextUpdate)");
        assertThatThrownBy(() -> check("stapled.ocsp", "stapled-chain.pem", staple.thisUpdate().minusSeconds(1)))
            .hasMessage("ocsp " + certificates.path("stapled.ocsp") + " is not current until " + staple.thisUpdate()
                + " (thisUpdate)");
    }

    @Test
    void aRevokedCertificatesResponseIsRefused()
    {
        assertThatThrownBy(() -> check("revoked.ocsp", "revoked-chain.pem", Instant.now()))
            .hasMessageMatching("ocsp \\S+/revoked\\.ocsp says certificate \\S+/revoked-chain\\.pem \\(serial 0x1002\\)"
                + " was revoked at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(final String description, final String ocsp, final String chain, final String message)
    {
        assertThatThrownBy(() -> check(ocsp, chain, Instant.now()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message.replace("DIR", directory.toString()));
    }

    static Stream<Arguments> refusals()
    {
        final String stapled = "certificate DIR/stapled-chain.pem (serial 0x1001)";
        return Stream.of(
            arguments("another certificate's", "revoked.ocsp", "stapled-chain.pem",
                "ocsp DIR/revoked.ocsp is for another certificate (serial 0x1002), not " + stapled),
            arguments("signed by another CA", "stapled-stranger.ocsp", "stapled-chain.pem",
                "ocsp DIR/stapled-stranger.ocsp is not signed by CN=sluice test CA, the issuer of " + stapled
                    + ", nor by an OCSP responder it delegated to"),
            arguments("signed by a certificate the CA issued, but not for OCSP", "stapled-undelegated.ocsp", "stapled-chain.pem",
                "ocsp DIR/stapled-undelegated.ocsp is not signed by CN=sluice test CA, the issuer of " + stapled
                    + ", nor by an OCSP responder it delegated to"),
            arguments("a chain without the issuer", "stapled.ocsp", "stapled.pem",
                "ocsp DIR/stapled.ocsp cannot be checked: certificate DIR/stapled.pem (serial 0x1001) is not followed by its"
                    + " issuer's certificate in its file (append the CA's certificate)"),
            arguments("a PEM file", "ca.pem", "stapled-chain.pem",
                "ocsp DIR/ca.pem is not a DER OCSP response: OCSPResponse has tag 0x2d, not 0x30"));
    }

    @Test
    void aResponseCutShortOrWithBytesAfterItIsRefused() throws Exception
    {
        final byte[] der = Files.readAllBytes(certificates.file("stapled.ocsp"));
        final Path cut = directory.resolve("cut.ocsp");
        final List<X509Certificate> chain = chain("stapled-chain.pem");

        assertThatThrownBy(() -> OcspStaple.check(cut, Arrays.copyOf(der, der.length - 1), certificates.file("stapled-chain.pem"),
            chain, Instant.now())).hasMessage("ocsp " + cut + " is not a DER OCSP response: OCSPResponse is cut short");
        assertThatThrownBy(() -> OcspStaple.check(cut, Arrays.copyOf(der, der.length + 1), certificates.file("stapled-chain.pem"),
            chain, Instant.now()))
            .hasMessage("ocsp " + cut + " is not a DER OCSP response: OCSPResponse is followed by other bytes (1)");
        // the delegated responder's response: every byte is structure, signed by the responder, or in the responder's
        // certificate, which the CA signed; any one changed is refused, never taken nor thrown other than as a refusal
        final byte[] delegated = Files.readAllBytes(certificates.file("stapled-delegated.ocsp"));
        for (int i = 0; i < delegated.length; i += 3)
        {
            final byte[] flipped = delegated.clone();
            flipped[i] ^= 0x10;
            assertThatThrownBy(() -> OcspStaple.check(cut, flipped, certificates.file("stapled-chain.pem"), chain, Instant.now()))
                .as("byte " + i).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ocsp " + cut + " ");
        }
    }
}
