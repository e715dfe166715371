package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.http.HttpBackend;
import io.sluice.lab.http.LoadReport;
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
 * A real whose server stops leaves its VIP within interval x fall + timeout, the VIP's traffic
 * goes to the others with no failed request, and the real comes back once its server answers
 * again. The VIP has backends of its own (port 8080) so stopping one touches no other test.
 */
@ExtendWith(LabExtension.class)
class HealthCheckLabIT
{
    private static final String VIP = LabFixture.VIPS.get(0);
    private static final int PORT = 8080;
    private static final int INTERVAL_MS = 500;
    private static final int TIMEOUT_MS = 300;
    private static final int RISE = 2;
    private static final int FALL = 2;
    /** interval x fall + timeout: the most a failing real may take to be marked down. */
    private static final long DETECTION_BOUND_MS = (long)INTERVAL_MS * FALL + TIMEOUT_MS;
    /** What polling `sluice real list` (a JVM start each) may add to the measured time. */
    private static final long OBSERVATION_SLACK_MS = 1_500;
    private static final Duration BACKEND_START_TIMEOUT = Duration.ofSeconds(30);
    private static final int REQUESTS = 60;

    @Test
    void aRealWhoseServerStopsLeavesWithinTheBoundAndComesBack(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> backends = new ArrayList<>();
        try
        {
            for (final String real : lab.realHosts())
            {
                backends.add(startBackend(fixture, real));
            }
            final String key = VIP + ":" + PORT + "/tcp";
            LabFixture.assertSucceeded(fixture.sluice("vip", "add", key, "--health",
                "http,path=/,interval=" + INTERVAL_MS + "ms,timeout=" + TIMEOUT_MS + "ms,rise=" + RISE + ",fall=" + FALL));
            for (int k = 1; k <= LabFixture.REALS; k++)
            {
                LabFixture.assertSucceeded(fixture.sluice("real", "add", key, Lab.realAddress(k)));
            }
            final String real2 = Lab.realAddress(2);
            awaitHealth(fixture, key, real2, "up", 5_000);
            final LoadReport before = fixture.load(VIP + ":" + PORT, REQUESTS);
            assertThat(before.failures()).isEmpty();
            assertThat(before.servedBy().keySet()).containsExactlyInAnyOrderElementsOf(lab.realHosts());

            final long stoppedAt = System.nanoTime();
            lab.stop(backends.get(1));
            final long tookMs = awaitHealth(fixture, key, real2, "down", 10_000) - stoppedAt;
            assertThat(tookMs / 1_000_000).as("ms until real 2 was down (bound %d ms + %d ms of polling)",
                DETECTION_BOUND_MS, OBSERVATION_SLACK_MS).isLessThanOrEqualTo(DETECTION_BOUND_MS + OBSERVATION_SLACK_MS);
            final LoadReport during = fixture.load(VIP + ":" + PORT, REQUESTS);
            assertThat(during.failures()).as("no request fails once the real is out").isEmpty();
            assertThat(during.servedBy().keySet()).containsExactlyInAnyOrder(Lab.realHost(1), Lab.realHost(3));

            backends.set(1, startBackend(fixture, Lab.realHost(2)));
            awaitHealth(fixture, key, real2, "up", 10_000);
            final String list = fixture.sluice("real", "list", key).stdout();
            assertThat(list).as("real list:%n%s", list).containsPattern(Pattern.quote(real2) + "\\s+\\d+\\s+up\\s+\\S+\\s+2\\n");
            final LoadReport after = fixture.load(VIP + ":" + PORT, REQUESTS);
            assertThat(after.failures()).isEmpty();
            assertThat(after.servedBy()).containsKey(Lab.realHost(2));
        }
        finally
        {
            for (final Process backend : backends)
            {
                lab.stop(backend);
            }
        }
    }

    private static Process startBackend(final LabFixture fixture, final String real)
    {
        final Process backend = fixture.lab().spawn(real, fixture.home().javaMain(HttpBackend.class.getName(),
            "--name", real, "--port", Integer.toString(PORT)));
        fixture.lab().awaitOutput(backend, HttpBackend.READY, BACKEND_START_TIMEOUT);
        return backend;
    }

    /** Polls `sluice real list` until the real shows {@code state}; @return System.nanoTime() then. */
    private static long awaitHealth(final LabFixture fixture, final String key, final String real, final String state, final long timeoutMs)
    {
        final Pattern row = Pattern.compile("^\\S+\\s+" + Pattern.quote(real) + "\\s+\\d+\\s+(\\S+)", Pattern.MULTILINE);
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        String last = "";
        while (System.nanoTime() < deadline)
        {
            final ExecResult list = fixture.sluice("real", "list", key);
            LabFixture.assertSucceeded(list);
            last = list.stdout();
            final Matcher matcher = row.matcher(last);
            if (matcher.find() && matcher.group(1).equals(state))
            {
                return System.nanoTime();
            }
        }
        throw new AssertionError("real " + real + " was not " + state + " within " + timeoutMs + " ms; last real list:\n" + last);
    }
}
