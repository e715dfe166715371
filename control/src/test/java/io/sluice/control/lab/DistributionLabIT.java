package io.sluice.control.lab;

import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** TCP connections to a VIP succeed and Maglev spreads them over every real. */
@ExtendWith(LabExtension.class)
class DistributionLabIT
{
    private static final String VIP = LabFixture.VIPS.get(0);
    private static final int CONNECTIONS = 300;

    @Test
    void connectionsToTheVipSucceedAndSpreadOverEveryReal(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final String key = fixture.configureVip(VIP, LabFixture.REALS);

        final LoadReport report = fixture.load(VIP, CONNECTIONS);

        assertThat(report.failures()).as("failed requests").isEmpty();
        assertThat(report.ok()).isEqualTo(CONNECTIONS);
        assertThat(report.servedBy().keySet()).containsExactlyInAnyOrderElementsOf(fixture.lab().realHosts());
        for (final String real : fixture.lab().realHosts())
        {
            // Equal weights: 100 each expected; with 300 random source ports one standard
            // deviation is about 8, so 15 % (45) and 60 % (180) are many deviations away.
            assertThat(report.servedBy(real)).as("connections served by %s of %s", real, report.servedBy())
                .isBetween(CONNECTIONS * 15L / 100, CONNECTIONS * 60L / 100);
        }
        final ExecResult stats = fixture.sluice("stats");
        LabFixture.assertSucceeded(stats);
        assertThat(stats.stdout()).contains(key);
    }
}
