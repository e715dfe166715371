package io.sluice.control.top;

import io.sluice.l7.metrics.ConnectionSide;
import io.sluice.l7.metrics.L7Metrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads what the L7 tier's own metrics write, so a change of their names shows here rather than as an empty screen. */
class L7SampleTest
{
    static final String STATUS = """
        {"draining":false,"listeners":[{"name":"web","address":"0.0.0.0:80","bound":"0.0.0.0:80"}],
         "routes":[{"name":"api","to":[{"pool":"backends","weight":1}]}],
         "pools":[{"name":"backends","balance":"round-robin","hash_on":null,"sticky_cookie":null,"health_check":{"kind":"http"},
           "servers":[{"name":"b1","address":"10.0.0.1:80","weight":1,"healthy":true,"ejected":false,"in_flight":3},
                      {"name":"b2","address":"10.0.0.2:80","weight":1,"healthy":false,"ejected":true,"in_flight":0},
                      {"name":"b3","address":"10.0.0.3:80","weight":1,"healthy":false,"ejected":false,"in_flight":0}]}],
         "refused_requests":{"total":0,"by_reason":{}},"certificates":[]}
        """;

    @Test
    void routesServersClassesAndConnectionsAreReadFromTheTiersOwnMetrics()
    {
        final L7Metrics metrics = new L7Metrics();
        final L7Sample before = L7Sample.parse(metrics.prometheusText(), STATUS, 0);
        for (int i = 0; i < 8; i++)
        {
            metrics.exchangeFinished("api", "backends", "b1", 200, 10, 1_000, 1_000_000);
        }
        metrics.exchangeFinished("api", "backends", "b1", 503, 10, 50, 1_000_000);
        metrics.exchangeFinished("api", "backends", null, 503, 10, 50, 1_000_000);
        metrics.exchangeFinished(null, null, null, 404, 0, 0, 1_000_000);
        metrics.connectionOpened(ConnectionSide.CLIENT);
        metrics.connectionOpened(ConnectionSide.CLIENT);
        metrics.connectionOpened(ConnectionSide.BACKEND);

        final L7Sample after = L7Sample.parse(metrics.prometheusText(), STATUS, 2 * Samples.SECOND_NS);
        final L7Rates rates = L7Rates.between("127.0.0.1:9901", before, after);

        assertThat(rates.clientConnections()).isEqualTo(2);
        assertThat(rates.backendConnections()).isEqualTo(1);
        assertThat(rates.routes()).extracting(L7Rates.ExchangeRates::name).containsExactlyInAnyOrder("api", "(no route)");
        final L7Rates.ExchangeRates api =
            rates.routes().stream().filter((route) -> route.name().equals("api")).findFirst().orElseThrow();
        assertThat(api.requestsPerS()).isEqualTo(5.0);
        assertThat(api.perS("2xx")).isEqualTo(4.0);
        assertThat(api.perS("5xx")).isEqualTo(1.0);
        assertThat(api.bytesPerS()).isEqualTo(4_050.0);
        assertThat(rates.servers()).extracting(L7Rates.ExchangeRates::name)
            .containsExactly("backends/b1", "backends/b2", "backends/b3", "backends/(none up)");
        assertThat(rates.servers()).extracting(L7Rates.ExchangeRates::health).containsExactly("up", "ejected", "down", "-");
        final L7Rates.ExchangeRates b1 = rates.servers().getFirst();
        assertThat(b1.requestsPerS()).isEqualTo(4.5);
        assertThat(b1.inFlight()).isEqualTo(3);
        assertThat(rates.servers().get(3).perS("5xx")).isEqualTo(0.5);
    }

    @Test
    void labelValuesAreUnescaped()
    {
        final List<PrometheusSamples.Sample> samples = PrometheusSamples.parse("""
            # HELP x A family.
            # TYPE x counter
            x{route="a \\"quoted\\" \\\\ name",class="2xx"} 12
            y 3.5
            """);

        assertThat(samples).hasSize(2);
        assertThat(samples.get(0).label("route")).isEqualTo("a \"quoted\" \\ name");
        assertThat(samples.get(0).label("class")).isEqualTo("2xx");
        assertThat(samples.get(0).value()).isEqualTo(12.0);
        assertThat(samples.get(1).labels()).isEmpty();
        assertThat(samples.get(1).value()).isEqualTo(3.5);
    }

    @Test
    void whatIsNotAnAdminEndpointsAnswerIsRefused()
    {
        assertThatThrownBy(() -> L7Sample.parse("<html>", STATUS, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> L7Sample.parse("", "[]", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
