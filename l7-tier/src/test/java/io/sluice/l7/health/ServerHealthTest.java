package io.sluice.l7.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class ServerHealthTest
{
    private static final int RISE = 2;
    private static final int FALL = 3;

    @Test
    void startsHealthyWithNoHistory()
    {
        final ServerHealth health = ServerHealth.unchecked(1000);

        assertThat(health).isEqualTo(new ServerHealth(true, 0, 0, 1000, 0, null));
    }

    @Test
    void fallsAfterFallFailuresInARowOnly()
    {
        ServerHealth health = ServerHealth.unchecked(0)
            .after("status 500", RISE, FALL, 1)
            .after("status 500", RISE, FALL, 2)
            .after(null, RISE, FALL, 3) // a pass breaks the run
            .after("status 500", RISE, FALL, 4)
            .after("status 503", RISE, FALL, 5);
        assertThat(health.healthy()).isTrue();
        assertThat(health.failuresInRow()).isEqualTo(2);

        health = health.after("connection refused", RISE, FALL, 6);

        assertThat(health).isEqualTo(new ServerHealth(false, 0, 3, 6, 1, "connection refused"));
    }

    @Test
    void risesAfterRisePassesAndKeepsTheLastFailure()
    {
        ServerHealth health = new ServerHealth(false, 0, 7, 10, 1, "status 500").after(null, RISE, FALL, 20);
        assertThat(health.healthy()).isFalse();
        assertThat(health.passesInRow()).isEqualTo(1);

        health = health.after(null, RISE, FALL, 30);

        assertThat(health).isEqualTo(new ServerHealth(true, 2, 0, 30, 2, "status 500"));
        assertThat(health.after(null, RISE, FALL, 40)).isEqualTo(new ServerHealth(true, 3, 0, 30, 2, "status 500"));
    }

    @Test
    void riseAndFallOfOneActAtOnce()
    {
        final ServerHealth down = ServerHealth.unchecked(0).after("timeout after 30 ms", 1, 1, 5);
        assertThat(down.healthy()).isFalse();
        assertThat(down.after(null, 1, 1, 6).healthy()).isTrue();
    }

    @Test
    void countsSaturate()
    {
        final ServerHealth health = new ServerHealth(true, Integer.MAX_VALUE, 0, 0, 0, null).after(null, RISE, FALL, 1);
        assertThat(health.passesInRow()).isEqualTo(Integer.MAX_VALUE);
    }
}
