package io.sluice.l7.health;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.function.Consumer;

/**
 * One check in progress, on its server's event loop. It ends exactly once, whoever ends it first
 * (the response handler, a failed connect, a closed connection, the timer), and its connection is
 * closed when it does: one connection per check, never reused.
 */
final class CheckAttempt
{
    private final Consumer<String> done;
    private Channel channel;
    private ScheduledFuture<?> timer;
    private boolean ended;

    /** @param done told once: null for a pass, else why it failed. */
    CheckAttempt(final Consumer<String> done)
    {
        this.done = done;
    }

    /** The connection the check runs on; set when it is made, so ending closes it. */
    void channel(final Channel channel)
    {
        this.channel = channel;
    }

    void timer(final ScheduledFuture<?> timer)
    {
        this.timer = timer;
    }

    boolean ended()
    {
        return ended;
    }

    void pass()
    {
        end(null);
    }

    void fail(final String reason)
    {
        end(reason);
    }

    private void end(final String failure)
    {
        if (ended)
        {
            return;
        }
        ended = true;
        if (timer != null)
        {
            timer.cancel(false);
        }
        if (channel != null)
        {
            channel.close();
        }
        done.accept(failure);
    }
}
