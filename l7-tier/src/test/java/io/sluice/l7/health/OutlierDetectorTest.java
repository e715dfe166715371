package io.sluice.l7.health;

import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static io.sluice.l7.health.TestPools.picked;
import static io.sluice.l7.health.TestPools.unchecked;
import static org.assertj.core.api.Assertions.assertThat;

/** Passive ejection, and its carry-over across a reload, on a clock the test moves: no sockets, no sleeping. */
final class OutlierDetectorTest
{
    private final MovableClock clock = new MovableClock();

    @Test
    void ejectsAfterFiveFailuresInARowAndReturnsAfterTheBaseTime()
    {
        final PoolBalancer pool = unchecked(4);
        final OutlierDetector detector = new OutlierDetector(List.of(pool), null, clock);
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
        final OutlierDetector detector = new OutlierDetector(List.of(pool), null, clock);
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
        final OutlierDetector detector = new OutlierDetector(List.of(pool), null, clock);
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
        final OutlierDetector detector = new OutlierDetector(List.of(pool), null, clock);

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
        final OutlierDetector detector = new OutlierDetector(List.of(one, three), null, clock);

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
        final OutlierDetector detector = new OutlierDetector(List.of(pool), null, clock);
        pool.upstream("s1").healthy(false); // the active checks took it out

        fail(detector, pool.upstream("s0"), 10);

        assertThat(pool.upstream("s0").ejected()).isFalse();
        assertThat(picked(pool, 10)).containsExactly("s0");
    }

    @Test
    void aServerIsPickedOnlyWhenChecksAndEjectionBothLetIt()
    {
        final PoolBalancer pool = unchecked(2);
        final OutlierDetector detector = new OutlierDetector(List.of(pool), null, clock);
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
        final OutlierDetector detector = new OutlierDetector(List.of(ours), null, clock);

        fail(detector, before.upstream("s0"), 10);

        assertThat(before.upstream("s0").ejected()).isFalse();
        assertThat(detector.status(before.upstream("s0"))).isNull();
    }

    @Test
    void anEjectedServerThatStaysIsStillOutAfterAReloadUntilItsTimeIsUp()
    {
        final PoolBalancer before = unchecked(4);
        final OutlierDetector old = new OutlierDetector(List.of(before), null, clock);
        fail(old, before.upstream("s0"), 5);
        final long returnsAtMs = clock.millis() + OutlierDetector.BASE_EJECTION.toMillis();
        fail(old, before.upstream("s1"), 3);
        clock.advance(Duration.ofSeconds(10));

        final PoolBalancer after = unchecked(4); // the same servers, new objects: what a reload builds
        final OutlierDetector detector = new OutlierDetector(List.of(after), old, clock);
        final Upstream s0 = after.upstream("s0");

        assertThat(s0.ejected()).isTrue();
        assertThat(picked(after, 40)).containsExactlyInAnyOrder("s1", "s2", "s3");
        assertThat(detector.status(s0)).isEqualTo(new EjectionStatus(true, returnsAtMs, 1, 0));
        assertThat(detector.status(after.upstream("s1")).failuresInRow()).as("the failures in a row go on").isEqualTo(3);

        fail(detector, after.upstream("s1"), 2);
        assertThat(after.upstream("s1").ejected()).as("3 before the reload and 2 after make 5").isTrue();

        clock.advance(Duration.ofSeconds(20).minusMillis(1));
        detector.outcome(after.upstream("s2"), 200);
        assertThat(s0.ejected()).as("1 ms early").isTrue();
        clock.advance(Duration.ofMillis(1));
        detector.outcome(after.upstream("s2"), 200);
        assertThat(s0.ejected()).as("back when its ejection would have ended without the reload").isFalse();
    }

    @Test
    void theRunOfEjectionsGoesOnAcrossAReloadSoTheNextLastsTwiceAsLong()
    {
        final PoolBalancer before = unchecked(2);
        final OutlierDetector old = new OutlierDetector(List.of(before), null, clock);
        fail(old, before.upstream("s0"), 5);

        final PoolBalancer after = unchecked(2);
        final OutlierDetector detector = new OutlierDetector(List.of(after), old, clock);
        clock.advance(OutlierDetector.BASE_EJECTION);
        detector.outcome(after.upstream("s1"), 200);
        assertThat(after.upstream("s0").ejected()).isFalse();
        fail(detector, after.upstream("s0"), 5);

        assertThat(detector.status(after.upstream("s0")).ejections()).isEqualTo(2);
        assertThat(detector.status(after.upstream("s0")).untilEpochMs() - clock.millis()).as("twice the base time").isEqualTo(60_000);
    }

    @Test
    void serversThatLeftOrChangedAreForgottenAndNewOnesStartClean()
    {
        final PoolBalancer before = pool("p", server("s0", 10), server("s1", 11), server("s2", 12), server("s3", 13));
        final OutlierDetector old = new OutlierDetector(List.of(before), null, clock);
        fail(old, before.upstream("s0"), 5);
        fail(old, before.upstream("s1"), 5);
        fail(old, before.upstream("s2"), 4);
        fail(old, before.upstream("s3"), 4);

        final PoolBalancer after = pool("p", server("s0", 20), server("s2", 12), server("s4", 14), server("s5", 15));
        final PoolBalancer renamed = pool("q", server("s1", 11), server("s3", 13));
        final OutlierDetector detector = new OutlierDetector(List.of(after, renamed), old, clock);

        final EjectionStatus clean = new EjectionStatus(false, 0, 0, 0);
        assertThat(detector.status(after.upstream("s0"))).as("same name, another address: another server").isEqualTo(clean);
        assertThat(detector.status(after.upstream("s2")).failuresInRow()).as("stayed").isEqualTo(4);
        assertThat(detector.status(after.upstream("s4"))).as("new").isEqualTo(clean);
        assertThat(detector.status(renamed.upstream("s1"))).as("same name and address, another pool").isEqualTo(clean);
        assertThat(detector.status(renamed.upstream("s3"))).isEqualTo(clean);
        assertThat(detector.status(before.upstream("s1"))).as("the old configuration's servers are not this one's").isNull();
        assertThat(picked(after, 40)).containsExactlyInAnyOrder("s0", "s2", "s4", "s5");
        assertThat(picked(renamed, 10)).containsExactlyInAnyOrder("s1", "s3");
    }

    @Test
    void aSmallerPoolKeepsOutOnlyWhatItCanSpareAndAnEjectionDueBeforeTheReloadEnds()
    {
        final PoolBalancer before = unchecked(4);
        final OutlierDetector old = new OutlierDetector(List.of(before), null, clock);
        fail(old, before.upstream("s0"), 5);
        fail(old, before.upstream("s1"), 5);

        final PoolBalancer two = unchecked(2);
        final OutlierDetector detector = new OutlierDetector(List.of(two), old, clock);

        assertThat(two.upstreams()).extracting(Upstream::ejected).as("half of two is one").containsExactly(true, false);
        assertThat(detector.status(two.upstream("s1")).ejections()).as("back, its run kept").isEqualTo(1);

        clock.advance(OutlierDetector.BASE_EJECTION); // due back, but no report came to put it back
        final PoolBalancer again = unchecked(2);
        final OutlierDetector next = new OutlierDetector(List.of(again), detector, clock);

        assertThat(again.upstreams()).extracting(Upstream::ejected).containsExactly(false, false);
        assertThat(next.status(again.upstream("s0")).ejections()).isEqualTo(1);
    }

    private static PoolBalancer pool(final String name, final Server... servers)
    {
        return new PoolBalancer(new Pool(name, Pool.Balance.ROUND_ROBIN, null, null, List.of(servers), null));
    }

    /** A server at 198.18.0.{@code lastOctet}:8080, the addresses {@link TestPools#unchecked} uses from .10 on. */
    private static Server server(final String name, final int lastOctet)
    {
        return new Server(name, new InetSocketAddress("198.18.0." + lastOctet, 8080), 100);
    }

    private static void fail(final OutlierDetector detector, final Upstream upstream, final int times)
    {
        for (int i = 0; i < times; i++)
        {
            detector.outcome(upstream, 500);
        }
    }
}
