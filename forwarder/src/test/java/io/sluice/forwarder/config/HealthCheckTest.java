package io.sluice.forwarder.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HealthCheckTest
{
    @Test
    void defaultsFillWhatIsNotSaidAndTheFormatReadsBack()
    {
        final HealthCheck tcp = HealthCheck.parse("tcp");
        assertThat(tcp).isEqualTo(new HealthCheck(HealthCheck.Kind.TCP, "/", 200, null, 2000, 1000, 2, 3));
        final HealthCheck http = HealthCheck.parse("http,path=/healthz,status=204,body=ok,interval=500ms,timeout=200,rise=1,fall=5");
        assertThat(http).isEqualTo(new HealthCheck(HealthCheck.Kind.HTTP, "/healthz", 204, "ok", 500, 200, 1, 5));
        for (final HealthCheck check : new HealthCheck[]{ tcp, http, HealthCheck.NONE, HealthCheck.parse("http,interval=3s") })
        {
            assertThat(HealthCheck.parse(check.format())).isEqualTo(check);
        }
        assertThat(HealthCheck.parse("http,interval=500ms").timeoutMs()).as("the timeout never exceeds the interval").isEqualTo(500);
        assertThat(HealthCheck.NONE.enabled()).isFalse();
    }

    @Test
    void badSettingsAreRefusedNamingThem()
    {
        assertRefused("ping", "unknown health check 'ping' (expected none, tcp or http[,key=value...])");
        assertRefused("tcp,path=/x", "health check setting 'path' applies to http checks only");
        assertRefused("http,rise", "health check setting 'rise' is not key=value");
        assertRefused("http,color=red", "unknown health check setting 'color' (expected path, status, body, interval, timeout, rise or fall)");
        assertRefused("http,interval=10ms", "health check interval 10ms is outside 100ms-1h");
        assertRefused("http,interval=1s,timeout=2s", "health check timeout 2000ms must be from 1ms to the interval (1000ms)");
        assertRefused("http,fall=0", "health check rise and fall must be 1-100, not 2 and 0");
        assertRefused("http,status=999", "health check status 999 is not an HTTP status (100-599)");
        assertRefused("http,path=healthz", "health check path 'healthz' must start with '/'");
        assertRefused("http,interval=soon", "health check interval 'soon' is not a duration (e.g. 500ms or 2s)");
    }

    @Test
    void theConfigurationTextKeepsTheCheck()
    {
        final VipKey key = VipKey.parse("198.18.1.1:80/tcp");
        final ForwarderConfig config = ForwarderConfig.EMPTY.addVip(
            new VipSpec(key, ForwardingMode.DSR, SchedulerKind.MAGLEV, HealthCheck.parse("http,path=/up,fall=2")));
        final String text = ConfigText.format(config);
        assertThat(text).contains("vip add 198.18.1.1:80/tcp --mode dsr --scheduler maglev --health http,path=/up,status=200,interval=2000ms,timeout=1000ms,rise=2,fall=2\n");
        assertThat(ConfigText.parse(text, "test").find(key).spec()).isEqualTo(config.find(key).spec());
        assertThat(ConfigText.format(ForwarderConfig.EMPTY.addVip(new VipSpec(key, ForwardingMode.DSR, SchedulerKind.MAGLEV))))
            .as("a VIP without a check is written as before").doesNotContain("--health");
    }

    private static void assertRefused(final String text, final String message)
    {
        assertThatThrownBy(() -> HealthCheck.parse(text)).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
