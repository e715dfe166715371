package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP connections to a VIP succeed, from a client whose checksums veth leaves unfinished, and
 * Maglev spreads them over every real.
 */
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
        // The lab's hosts keep veth's checksum offload, so the client's segments reach the
        // forwarder unfinished on either I/O path; had they gone on so, no request would succeed.
        assertThat(number(stats.stdout(), "^partial \\(veth senders\\) finished\\s+(\\d+)$"))
            .as("partial checksums finished in:%n%s", stats.stdout()).isGreaterThanOrEqualTo(CONNECTIONS);
        if (LabFixture.IO.equals("xdp"))
        {
            assertKernelCountedWhatTheWorkersReceived(fixture);
        }
        else
        {
            assertThat(stats.stdout()).doesNotContain("AF_XDP");
        }
    }

    /**
     * On AF_XDP every packet the workers received was redirected by the XDP program first; its
     * counters are copied into the control file once a second, so they catch up within one.
     */
    private static void assertKernelCountedWhatTheWorkersReceived(final LabFixture fixture)
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        String text;
        long redirected;
        long workerRx;
        do
        {
            final ExecResult stats = fixture.sluice("stats");
            LabFixture.assertSucceeded(stats);
            text = stats.stdout();
            redirected = number(text, "^xdp redirected\\s+(\\d+)$");
            workerRx = sum(text, "^\\d+\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+$");
        }
        while (redirected < workerRx && System.nanoTime() < deadline && pause());
        assertThat(workerRx).as("workers' rx in:%n%s", text).isGreaterThanOrEqualTo(CONNECTIONS * 3L);
        assertThat(redirected).as("xdp redirected in:%n%s", text).isGreaterThanOrEqualTo(workerRx);
        assertThat(number(text, "^xsk rx-ring-full\\s+(\\d+)$")).as("RX ring overruns").isZero();
    }

    private static long number(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** The sum of the first group over every line that matches (the workers' table rows). */
    private static long sum(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        long total = 0;
        while (matcher.find())
        {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }

    private static boolean pause()
    {
        try
        {
            Thread.sleep(200);
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
