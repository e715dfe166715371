package io.sluice.l7.filter.compress;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A thread's idle encoders: kept by level, the most recent first, a bounded few, and its own. */
class IdleEncodersTest
{
    private static final int IDLE_PER_LEVEL = 3;

    private final List<String> ended = new ArrayList<>();
    private final IdleEncoders<String> idle = new IdleEncoders<>(9, IDLE_PER_LEVEL, ended::add);

    @Test
    void aThreadWithNoneIdleGetsNone()
    {
        assertThat(idle.take(6)).isNull();
    }

    @Test
    void oneGivenBackIsTakenAgainAtItsLevelOnly()
    {
        idle.giveBack(6, "a");

        assertThat(idle.take(1)).isNull();
        assertThat(idle.take(6)).isEqualTo("a");
        assertThat(idle.take(6)).isNull();
    }

    @Test
    void pastTheBoundOneGivenBackIsEnded()
    {
        for (int i = 0; i < IDLE_PER_LEVEL + 2; i++)
        {
            idle.giveBack(6, "e" + i);
        }

        assertThat(idle.idleCount(6)).isEqualTo(IDLE_PER_LEVEL);
        assertThat(ended).containsExactly("e" + IDLE_PER_LEVEL, "e" + (IDLE_PER_LEVEL + 1));
        assertThat(idle.take(6)).as("the most recent, whose memory is warmest").isEqualTo("e" + (IDLE_PER_LEVEL - 1));
    }

    @Test
    void anotherThreadHasItsOwn() throws InterruptedException
    {
        idle.giveBack(6, "mine");
        final AtomicReference<String> taken = new AtomicReference<>("not run");
        final Thread other = new Thread(() -> taken.set(idle.take(6)));
        other.start();
        other.join();

        assertThat(taken.get()).isNull();
        assertThat(idle.take(6)).isEqualTo("mine");
    }
}
