package io.sluice.l7.tls;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Whether a ClientHello can take an ECDSA certificate on P-256, by the rules of TLS 1.3 and of TLS 1.2. */
class EcdsaCurveTest
{
    private static final int[] SUITES = EcdsaCurve.ecdsaSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"));

    @ParameterizedTest(name = "{0}")
    @MethodSource("hellos")
    void p256(final String description, final ClientHello hello, final boolean accepted)
    {
        assertThat(EcdsaCurve.P_256.acceptedBy(hello, SUITES)).isEqualTo(accepted);
    }

    static Stream<Arguments> hellos()
    {
        final int[] tls13Suites = {0x1301};
        return Stream.of(
            arguments("1.3 with ecdsa_secp256r1_sha256", hello(true, tls13Suites, new int[] {0x0804, 0x0403}, null), true),
            arguments("1.3 with only P-384's scheme", hello(true, tls13Suites, new int[] {0x0503, 0x0804}, null), false),
            arguments("1.3 without signature_algorithms", hello(true, tls13Suites, null, null), false),
            arguments("1.2 with an ECDHE-ECDSA suite",
                hello(false, new int[] {0xc02f, 0xc02b}, new int[] {0x0403}, new int[] {23}), true),
            arguments("1.2 with one the context has not enabled", hello(false, new int[] {0xc02c}, null, null), false),
            arguments("1.2 with RSA suites only", hello(false, new int[] {0xc02f}, new int[] {0x0403}, null), false),
            arguments("1.2 with P-384's scheme (any curve's in 1.2)",
                hello(false, new int[] {0xc02b}, new int[] {0x0503}, null), true),
            arguments("1.2 with RSA signatures only", hello(false, new int[] {0xc02b}, new int[] {0x0804, 0x0401}, null), false),
            arguments("1.2 without P-256 among its groups", hello(false, new int[] {0xc02b}, null, new int[] {29, 24}), false),
            arguments("1.2 without extensions (RFC 5246's defaults)", hello(false, new int[] {0xc02b}, null, null), true));
    }

    private static ClientHello hello(final boolean tls13, final int[] suites, final int[] schemes, final int[] groups)
    {
        return new ClientHello(null, tls13, suites, schemes, groups);
    }
}
