package io.sluice.l7.health;

import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.config.Pool;

import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * The active checks of one server: a probe every interval on the server's event loop, each
 * result folded into its {@link ServerHealth}, whose verdict goes to the {@link Upstream}.
 */
final class ServerCheck implements Runnable
{
    private final Upstream upstream;
    private final HealthCheck check;
    /** The pool's protocol, which the check is spoken in. */
    private final Pool.Protocol protocol;
    private final Probe probe;
    private final InstantSource clock;
    /** Written on the loop, read by anyone (reports, the next configuration's checker). */
    private volatile ServerHealth health;
    private volatile boolean stopped;
    /** On the loop only: a check still running when the next is due makes that one skip. */
    private boolean checking;
    private ScheduledFuture<?> schedule;

    ServerCheck(final Upstream upstream, final HealthCheck check, final Pool.Protocol protocol, final Probe probe,
        final InstantSource clock, final ServerHealth health)
    {
        this.upstream = upstream;
        this.check = check;
        this.protocol = protocol;
        this.probe = probe;
        this.clock = clock;
        this.health = health;
        upstream.healthy(health.healthy());
    }

    void start(final long firstDelayMs)
    {
        schedule = probe.loop().scheduleAtFixedRate(this, firstDelayMs, check.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** No more checks; one in flight ends unheeded (within its timeout). */
    void stop()
    {
        stopped = true;
        if (schedule != null)
        {
            schedule.cancel(false);
        }
    }

    ServerHealth health()
    {
        return health;
    }

    InetSocketAddress address()
    {
        return probe.address();
    }

    HealthCheck check()
    {
        return check;
    }

    Pool.Protocol protocol()
    {
        return protocol;
    }

    @Override
    public void run()
    {
        if (stopped || checking)
        {
            return;
        }
        checking = true;
        probe.check(this::checked);
    }

    private void checked(final String failure)
    {
        checking = false;
        if (stopped)
        {
            return;
        }
        final ServerHealth next = health.after(failure, check.rise(), check.fall(), clock.millis());
        health = next;
        upstream.healthy(next.healthy());
    }
}
