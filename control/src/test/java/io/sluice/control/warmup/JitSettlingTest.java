package io.sluice.control.warmup;

import io.sluice.control.warmup.JitSettling.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule that ends {@code --warm-up auto}, over sequences of once-a-second samples of the JIT's
 * total compilation time: it settles after three quiet seconds in a row (under 2 % of the wall
 * time), not before the minimum, and stops at the maximum while the JIT is still busy.
 */
class JitSettlingTest
{
    private static final WarmUpLength FIVE_TO_TWELVE = new WarmUpLength(Duration.ofSeconds(5), Duration.ofSeconds(12));

    @Test
    void settlesAfterThreeQuietSecondsInARow()
    {
        // compilation ms added in each second: busy, busy, then 10 ms a second (1 %)
        final JitSettling settling = new JitSettling(FIVE_TO_TWELVE);
        assertThat(verdicts(settling, 0, 400, 300, 200, 10, 10, 10, 10))
            .containsExactly(Verdict.GO_ON, Verdict.GO_ON, Verdict.GO_ON, Verdict.GO_ON, Verdict.GO_ON, Verdict.GO_ON,
                Verdict.SETTLED);
        assertThat(settling.why()).isEqualTo("the JIT settled after 6 s");
    }

    @Test
    void aBusySecondStartsTheCountAgain()
    {
        // quiet, quiet, a burst of 25 ms (2.5 %: a C2 compile of a large method), then quiet
        final JitSettling settling = new JitSettling(FIVE_TO_TWELVE);
        final List<Verdict> verdicts = verdicts(settling, 0, 500, 19, 19, 25, 19, 19, 19);
        assertThat(verdicts).hasSize(8).endsWith(Verdict.SETTLED);
        assertThat(verdicts.subList(0, 7)).containsOnly(Verdict.GO_ON);
        assertThat(settling.why()).isEqualTo("the JIT settled after 7 s");
    }

    @Test
    void quietBeforeTheMinimumGoesOnToIt()
    {
        final JitSettling settling = new JitSettling(FIVE_TO_TWELVE);
        final List<Verdict> verdicts = verdicts(settling, 0, 0, 0, 0, 0, 0, 0);
        assertThat(verdicts.subList(0, 5)).containsOnly(Verdict.GO_ON);
        assertThat(verdicts.getLast()).isEqualTo(Verdict.SETTLED);
        assertThat(settling.why()).isEqualTo("the JIT settled after 5 s");
    }

    @Test
    void stopsAtTheMaximumWhileTheJitIsStillCompiling()
    {
        final JitSettling settling = new JitSettling(FIVE_TO_TWELVE);
        final List<Verdict> verdicts = verdicts(settling, 0, 300, 300, 300, 300, 300, 300, 0, 0, 300, 0, 0, 50);
        assertThat(verdicts.getLast()).isEqualTo(Verdict.AT_MAXIMUM);
        assertThat(verdicts.subList(0, verdicts.size() - 1)).containsOnly(Verdict.GO_ON);
        assertThat(settling.why()).isEqualTo("reached the 12 s maximum with the JIT still compiling (5 % of the last second)");
    }

    /** Shares are of the wall time between samples, however late a sample comes. */
    @Test
    void measuresTheShareOverTheTimeBetweenSamples()
    {
        final JitSettling settling = new JitSettling(FIVE_TO_TWELVE);
        settling.sample(seconds(1), 1_000);
        assertThat(settling.sample(seconds(4), 1_090)).as("90 ms in 3 s is 3 %").isEqualTo(Verdict.GO_ON);
        assertThat(settling.sample(seconds(7), 1_156)).as("66 ms in 3 s is 2.2 %").isEqualTo(Verdict.GO_ON);
        settling.sample(seconds(10), 1_166);
        settling.sample(seconds(11), 1_167);
        assertThat(settling.sample(seconds(11) + 1, 1_167)).as("three quiet samples in a row").isEqualTo(Verdict.SETTLED);
    }

    /** One sample a second from 0 s: the first at the total given first, each next one that many milliseconds later. */
    private static List<Verdict> verdicts(final JitSettling settling, final long first, final long... added)
    {
        final List<Verdict> verdicts = new ArrayList<>();
        long total = first;
        verdicts.add(settling.sample(0, total));
        for (int i = 0; i < added.length; i++)
        {
            total += added[i];
            verdicts.add(settling.sample(seconds(i + 1), total));
            if (verdicts.getLast() != Verdict.GO_ON)
            {
                break;
            }
        }
        return verdicts;
    }

    private static long seconds(final long seconds)
    {
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
