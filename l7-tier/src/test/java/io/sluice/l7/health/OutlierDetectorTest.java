package io.sluice.l7.health;

import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.sluice.l7.health.TestPools.picked;
import static io.sluice.l7.health.TestPools.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

/** Passive ejection on a clock the test moves: no sockets, no sleeping. */
final class OutlierDetectorTest
{
    private final MovableClock clock = new MovableClock();

    @Test
    void ejectsAfterFiveFailuresInARowAndReturnsAfterTheBaseTime()
    {
        final PoolBalancer pool = unchecked(4);
        final OutlierDetector detector = new OutlierDetector(List.of(pool), clock);
        final Upstream s0 = pool.upstream("s0");

        fail(detector, s0, 4);
        detector.outcome(s0, 200); // breaks the run
        fail(detector, s0, 4);
        assertThat(s0.healthy()).isTrue();
        assertThat(detector.status(s0).failuresInRow()).isEqualTo(4);

        detector.outcome(s0, 502);

        assertThat(s0.healthy()).isFalse();
        assertThat(s0.ejected()).isTrue();
        assertThat(s0.passesChecks()).isTrue();
        assertThat(picked(pool, 40)).containsExactlyInAnyOrder("s1", "s2", "s3");
        assertThat(detector.status(s0)).isEqualTo(new EjectionStatus(true, clock.millis() + 30_000, 1, 0));

        clock.advance(OutlierDetector.BASE_EJECTION.minusMillis(1));
        detector.outcome(pool.upstream("s1"), 200);
        assertThat(s0.ejected()).as("1 ms early").isTrue();

        clock.advance(Duration.ofMillis(1));
        detector.outcome(pool.upstream("s1"), 200); // any report for the pool brings back whoever is due

        assertThat(s0.healthy()).isTrue();
        assertThat(picked(pool, 40)).containsExactlyInAnyOrder("s0", "s1", "s2", "s3");
        assertThat(detector.status(s0).ejected()).isFalse();
    }

    @Test
    void connectFailuresCountAndBrokenExchangesDoNotClearTheCount()
    {
        final PoolBalancer pool = unchecked(2);
        final OutlierDetector detector = new OutlierDetector(List.of(pool), clock);
        final Upstream s0 = pool.upstream("s0");

        detector.outcome(s0, OutlierDetector.CONNECT_FAILED);
        detector.outcome(s0, 503);
        detector.outcome(s0, OutlierDetector.NO_STATUS);
        detector.outcome(s0, OutlierDetector.CONNECT_FAILED);
        detector.outcome(s0, 404); // the server answered: a client error is no fault of the server's
        assertThat(detector.status(s0).failuresInRow()).isZero();

        fail(detector, s0, 2);
        detector.outcome(s0, OutlierDetector.NO_STATUS);
        fail(detector, s0, 3);

        assertThat(s0.ejected()).isTrue();
    }

    @Test
    void eachEjectionInARunLastsTwiceTheLastUpToFiveMinutes()
    {
        final PoolBalancer pool = unchecked(2);
        final OutlierDetector detector = new OutlierDetector(List.of(pool), clock);
        final Upstream s0 = pool.upstream("s0");

        final long[] expectedSeconds = {30, 60, 120, 240, 300, 300};
        for (int i = 0; i < expectedSeconds.length; i++)
        {
            fail(detector, s0, 5);
            final EjectionStatus status = detector.status(s0);
            assertThat(status.ejections()).isEqualTo(i + 1);
            assertThat(status.untilEpochMs() - clock.millis()).as("ejection " + (i + 1)).isEqualTo(expectedSeconds[i] * 1000);
            clock.advance(Duration.ofSeconds(expectedSeconds[i]));
            detector.outcome(pool.upstream("s1"), 200);
            assertThat(s0.ejected()).isFalse();
        }

        clock.advance(OutlierDetector.MAX_EJECTION); // five minutes in without an ejection: a new run
        fail(detector, s0, 5);

        assertThat(detector.status(s0).ejections()).isEqualTo(1);
        assertThat(detector.status(s0).untilEpochMs() - clock.millis()).isEqualTo(30_000);
    }

    @Test
    void neverEjectsMoreThanHalfOfAPool()
    {
        final PoolBalancer pool = unchecked(4);
        final OutlierDetector detector = new OutlierDetector(List.of(pool), clock);

        fail(detector, pool.upstream("s0"), 5);
        clock.advance(Duration.ofSeconds(10));
        fail(detector, pool.upstream("s1"), 5);
        fail(detector, pool.upstream("s2"), 8);

        assertThat(pool.upstreams()).extracting(Upstream::ejected).containsExactly(true, true, false, false);
        assertThat(picked(pool, 40)).containsExactlyInAnyOrder("s2", "s3");

        clock.advance(Duration.ofSeconds(20)); // s0 is due back
        detector.outcome(pool.upstream("s2"), 500); // s0 returns first, then s2 (still failing) takes its place

        assertThat(pool.upstreams()).extracting(Upstream::ejected).containsExactly(false, true, true, false);
    }

    @Test
    void aPoolOfOneIsNeverEjectedAndOfThreeAtMostOne()
    {
        final PoolBalancer one = unchecked(1);
        final PoolBalancer three = unchecked(3);
        final OutlierDetector detector = new OutlierDetector(List.of(one, three), clock);

        fail(detector, one.upstream("s0"), 20);
        fail(detector, three.upstream("s0"), 5);
        fail(detector, three.upstream("s1"), 5);

        assertThat(one.upstream("s0").ejected()).isFalse();
        assertThat(three.upstreams()).extracting(Upstream::ejected).containsExactly(true, false, false);
    }

    @Test
    void neverEjectsTheLastServerTakingRequests()
    {
        final PoolBalancer pool = unchecked(2);
        final OutlierDetector detector = new OutlierDetector(List.of(pool), clock);
        pool.upstream("s1").healthy(false); // the active checks took it out

        fail(detector, pool.upstream("s0"), 10);

        assertThat(pool.upstream("s0").ejected()).isFalse();
        assertThat(picked(pool, 10)).containsExactly("s0");
    }

    @Test
    void aServerIsPickedOnlyWhenChecksAndEjectionBothLetIt()
    {
        final PoolBalancer pool = unchecked(2);
        final OutlierDetector detector = new OutlierDetector(List.of(pool), clock);
        final Upstream s0 = pool.upstream("s0");

        fail(detector, s0, 5);
        s0.healthy(false); // and the checks fail it too
        clock.advance(OutlierDetector.BASE_EJECTION);
        detector.outcome(pool.upstream("s1"), 200);

        assertThat(s0.ejected()).isFalse();
        assertThat(s0.healthy()).as("back from ejection, still failing checks").isFalse();
        assertThat(picked(pool, 10)).containsExactly("s1");

        s0.healthy(true);
        assertThat(picked(pool, 10)).containsExactlyInAnyOrder("s0", "s1");
    }

    @Test
    void ignoresServersOfOtherConfigurations()
    {
        final PoolBalancer ours = unchecked(2);
        final PoolBalancer before = unchecked(2); // e.g. the configuration a reload replaced
        final OutlierDetector detector = new OutlierDetector(List.of(ours), clock);

        fail(detector, before.upstream("s0"), 10);

        assertThat(before.upstream("s0").ejected()).isFalse();
        assertThat(detector.status(before.upstream("s0"))).isNull();
    }

    private static void fail(final OutlierDetector detector, final Upstream upstream, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            detector.outcome(upstream, 500);
        }
    }
}
