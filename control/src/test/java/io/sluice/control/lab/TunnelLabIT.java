package io.sluice.control.lab;

import io.sluice.control.SluiceCli;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tunnel-mode VIP end to end: the forwarder sends each request to its real inside IPv4-in-IPv4,
 * `sluice decap` on the real strips the outer header in XDP (the lab kernel has no ipip module,
 * so without it nothing would arrive), the real answers the client directly, and the backend
 * sees the client's own address. Backends of its own (port 8081) keep it apart from other tests.
 */
@ExtendWith(LabExtension.class)
class TunnelLabIT
{
    private static final String VIP = LabFixture.VIPS.get(2);
    private static final int PORT = 8081;
    private static final int REQUESTS = 90;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void requestsReachEveryRealThroughTheTunnelWithTheClientsAddress(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> started = new ArrayList<>();
        final List<Process> decaps = new ArrayList<>();
        try
        {
            for (final String real : lab.realHosts())
            {
                final Process decap = lab.spawn(real, fixture.home().javaMain(SluiceCli.class.getName(), "decap", "--iface", "eth0"));
                started.add(decap);
                decaps.add(decap);
                lab.awaitOutput(decap, "stripping IPv4-in-IPv4", START_TIMEOUT);
                final Process backend = lab.spawn(real, fixture.home().javaMain(HttpBackend.class.getName(),
                    "--name", real, "--port", Integer.toString(PORT)));
                started.add(backend);
                lab.awaitOutput(backend, HttpBackend.READY, START_TIMEOUT);
            }
            final String key = VIP + ":" + PORT + "/tcp";
            LabFixture.assertSucceeded(fixture.sluice("vip", "add", key, "--mode", "tunnel"));
            for (int k = 1; k <= LabFixture.REALS; k++)
            {
                LabFixture.assertSucceeded(fixture.sluice("real", "add", key, Lab.realAddress(k)));
            }

            final LoadReport report = fixture.load(VIP + ":" + PORT, REQUESTS);

            assertThat(report.failures()).as("failed requests").isEmpty();
            assertThat(report.ok()).isEqualTo(REQUESTS);
            assertThat(report.servedBy().keySet()).containsExactlyInAnyOrderElementsOf(lab.realHosts());
            assertThat(report.clientAddresses().keySet()).as("the address the backends saw")
                .containsExactly(lab.address(Lab.CLIENT));

            // The requests really came through the tunnel: each real's decap stripped its share.
            long decapsulated = 0;
            for (final Process decap : decaps)
            {
                lab.stop(decap);
                final Matcher counts = Pattern.compile("stopping; (\\d+) decapsulated").matcher(lab.output(decap));
                assertThat(counts.find()).as("decap's last line:%n%s", lab.output(decap)).isTrue();
                decapsulated += Long.parseLong(counts.group(1));
            }
            assertThat(decapsulated).as("packets decapsulated on the reals").isGreaterThanOrEqualTo(3L * REQUESTS);
        }
        finally
        {
            for (final Process process : started)
            {
                lab.stop(process);
            }
        }
    }
}
