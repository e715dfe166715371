package io.sluice.lab.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadReportTest
{
    private final LoadReport report = new LoadReport(10, 8,
        Map.of("real1", 6L, "real2", 2L), Map.of("198.18.0.100", 8L), Map.of("timed out: connect", 2L));

    @Test
    void jsonRoundTrips()
    {
        assertThat(LoadReport.fromJson(report.toJson())).isEqualTo(report);
        assertThat(report.toJson()).contains("\"failed\":2");
    }

    @Test
    void sharesAreOfAnsweredRequests()
    {
        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.percent(report.servedBy("real1"))).isEqualTo(75.0);
        assertThat(report.servedBy("real9")).isZero();
        assertThat(report.toText()).contains("real1").contains("75.0%").contains("timed out: connect");
    }

    @Test
    void rejectsJsonOfAnotherShape()
    {
        assertThatThrownBy(() -> LoadReport.fromJson("{\"requests\":1}")).hasMessageContaining("'ok'");
        assertThatThrownBy(() -> LoadReport.fromJson(
            "{\"requests\":1,\"ok\":1,\"servedBy\":{\"real1\":\"x\"},\"clientAddresses\":{},\"failures\":{}}"))
            .hasMessageContaining("non-number");
    }
}
