package io.sluice.lab.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Counters read out of an exposition as {@code sluice l7} writes it. */
class PrometheusSamplesTest
{
    private static final String EXPOSITION = """
        # HELP sluice_l7_tls_handshakes_total TLS handshakes with clients.
        # TYPE sluice_l7_tls_handshakes_total counter
        sluice_l7_tls_handshakes_total{result="ok",version="TLSv1.2",cipher="ECDHE",session="resumed"} 2
        sluice_l7_tls_handshakes_total{result="ok",version="TLSv1.3",cipher="TLS_AES_128_GCM_SHA256",session="full"} 7
        sluice_l7_tls_handshakes_total{result="ok",version="TLSv1.3",cipher="TLS_AES_128_GCM_SHA256",session="resumed"} 3
        sluice_l7_tls_handshakes_total{result="not_tls",version="",cipher="",session=""} 1
        sluice_l7_tls_handshakes_total_other{result="ok",session="resumed"} 100
        sluice_l7_tls_handshake_duration_seconds_count{session="resumed"} 5
        """;

    @Test
    void sumsTheSamplesOfOneFamilyThatHaveEveryLabel()
    {
        assertThat(PrometheusSamples.sum(EXPOSITION, "sluice_l7_tls_handshakes_total", "result=\"ok\"", "session=\"resumed\""))
            .isEqualTo(5);
        assertThat(PrometheusSamples.sum(EXPOSITION, "sluice_l7_tls_handshakes_total", "session=\"full\"")).isEqualTo(7);
        assertThat(PrometheusSamples.sum(EXPOSITION, "sluice_l7_tls_handshakes_total")).isEqualTo(13);
    }

    @Test
    void matchesLabelsWholeAndNothingWhenAbsent()
    {
        assertThat(PrometheusSamples.sum(EXPOSITION, "sluice_l7_tls_handshakes_total", "session=\"res\"")).isZero();
        assertThat(PrometheusSamples.sum(EXPOSITION, "sluice_l7_tls_handshakes_total", "result=\"o\"")).isZero();
        assertThat(PrometheusSamples.sum("", "sluice_l7_tls_handshakes_total")).isZero();
    }
}
