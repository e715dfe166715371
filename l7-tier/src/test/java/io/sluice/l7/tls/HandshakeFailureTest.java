package io.sluice.l7.tls;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.sluice.l7.metrics.TlsMetrics.Failure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.channels.ClosedChannelException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** What a failed handshake is counted as, from what the TLS handlers and engines throw (BoringSSL's messages and the JDK's). */
class HandshakeFailureTest
{
    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("failures")
    void countedAs(final Throwable thrown, final Failure expected)
    {
        assertThat(HandshakeObserver.failure(thrown)).isEqualTo(expected);
    }

    static Stream<Arguments> failures()
    {
        return Stream.of(
            arguments(new NotSslRecordException("not an SSL/TLS record: 474554"), Failure.NOT_TLS),
            arguments(new DecoderException(new NotSslRecordException("not an SSL/TLS record")), Failure.NOT_TLS),
            arguments(new SniRefusedException(null), Failure.SNI_REFUSED),
            arguments(new MalformedClientHelloException("extension 13 appears twice"), Failure.MALFORMED_CLIENT_HELLO),
            arguments(new DecoderException(new TooLongFrameException("ClientHello length exceeds 65536: 70000")),
                Failure.MALFORMED_CLIENT_HELLO),
            arguments(new SslHandshakeTimeoutException("handshake timed out after 10000ms"), Failure.TIMEOUT),
            arguments(new ClosedChannelException(), Failure.CLOSED),
            arguments(new SSLHandshakeException("error:10000418:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE"),
                Failure.NO_CLIENT_CERTIFICATE),
            arguments(new SSLHandshakeException("Empty client certificate chain"), Failure.NO_CLIENT_CERTIFICATE),
            arguments(new SSLHandshakeException("error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED"),
                Failure.BAD_CLIENT_CERTIFICATE),
            arguments(new SSLHandshakeException("PKIX path building failed"), Failure.BAD_CLIENT_CERTIFICATE),
            arguments(new SSLHandshakeException("General OpenSslEngine problem").initCause(
                new java.security.cert.CertificateException("Extended key usage does not permit use for TLS client authentication")),
                Failure.BAD_CLIENT_CERTIFICATE),
            arguments(new SSLHandshakeException("error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER"),
                Failure.NO_COMMON_PARAMETERS),
            arguments(new SSLHandshakeException("error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL"),
                Failure.NO_COMMON_PARAMETERS),
            arguments(new SSLHandshakeException("error:10000089:SSL routines:OPENSSL_internal:DECODE_ERROR"), Failure.FAILED));
    }
}
