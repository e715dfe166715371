package io.sluice.control.top;

import io.sluice.control.cnc.BgpState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopJsonTest
{
    @Test
    void everyRateIsPerSecondUnderItsName()
    {
        final String json = TopJson.write(TopRendererTest.snapshot());

        assertThat(json).startsWith("{\"taken_at_ms\":1796680800000,"
            + "\"forwarder\":{\"name\":\"/run/sluice (pid 4242)\",\"interval_s\":2.0,"
            + "\"vips\":[{\"vip\":\"198.18.1.1:80/tcp\",\"packets_per_s\":1000.0,\"bytes_per_s\":100000.0,\"reals\":["
            + "{\"real\":\"198.18.0.11\",\"packets_per_s\":750.0,\"bytes_per_s\":75000.0,\"share_percent\":75.0,"
            + "\"health\":\"up\"},");
        assertThat(json).contains("\"drops\":[{\"reason\":\"no-vip\",\"per_s\":0.0,\"total\":7}],\"new_flows_per_s\":20.0,");
        assertThat(json).contains("{\"socket\":1,\"rx_ring_full_per_s\":10.0,\"fill_ring_empty_per_s\":0.0}");
        assertThat(json).contains("\"l7\":{\"admin\":\"127.0.0.1:9901\",\"interval_s\":2.0,\"client_connections\":12,"
            + "\"backend_connections\":4,\"routes\":[{\"route\":\"api\",\"requests_per_s\":5.0,\"bytes_per_s\":4050.0,"
            + "\"responses_per_s\":{\"0\":0.0,\"1xx\":0.0,\"2xx\":4.0,\"3xx\":0.0,\"4xx\":0.0,\"5xx\":1.0}}");
        assertThat(json).contains("{\"server\":\"web/b1\",\"requests_per_s\":60.0,\"bytes_per_s\":750000.0,"
            + "\"responses_per_s\":{\"0\":0.0,\"1xx\":0.0,\"2xx\":60.0,\"3xx\":0.0,\"4xx\":0.0,\"5xx\":0.0},"
            + "\"in_flight\":3,\"health\":\"up\"}");
    }

    @Test
    void withBgpTheForwarderHasItsBgpStateAsStatsJsonHasIt()
    {
        assertThat(TopJson.write(TopRendererTest.withBgp())).contains("\"bgp\":{\"neighbors\":[{\"neighbor\":\"198.18.0.1\"," +
            "\"session\":\"established\",\"bfd\":\"up\",\"times_up\":2}],\"vips\":[{\"address\":\"198.18.1.1\"," +
            "\"state\":\"announced\"}],\"self_tests\":[],\"bird_restarts\":0}}");
        assertThat(TopJson.write(TopRendererTest.snapshot())).doesNotContain("bgp");
    }

    @Test
    void anUnreadableL7EndpointIsAnError()
    {
        final String json = TopJson.write(new TopSnapshot(null, null, null, "cannot read it", 5, BgpState.NONE));

        assertThat(json).isEqualTo("{\"taken_at_ms\":5,\"l7\":{\"error\":\"cannot read it\"}}");
    }
}
