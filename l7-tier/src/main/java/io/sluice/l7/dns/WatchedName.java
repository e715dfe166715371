package io.sluice.l7.dns;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.l7.config.DnsSettings;
import io.sluice.l7.metrics.DnsStats;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One name the pools' servers use, looked up again each time its answer's TTL runs out. Its state changes on the
 * discovery's event loop only; the addresses and counts are read from any thread (the pools being served again, a
 * scrape), so they are volatile, written by that one thread.
 */
final class WatchedName
{
    private final String name;
    private final ServerDiscovery discovery;
    private final EventLoop loop;
    /** The last good answer's addresses; empty until the name first resolves. */
    private volatile List<InetAddress> addresses;
    private volatile long lookups;
    private volatile long failures;
    /** Whether the last lookup failed: a line is written when that changes, not on every retry. */
    private boolean failing;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> next;

    /** @param first the lookup that found the name in the configuration (counted as its first). */
    WatchedName(final String name, final ServerDiscovery discovery, final EventLoop loop, final Answer first)
    {
        this.name = name;
        this.discovery = discovery;
        this.loop = loop;
        this.addresses = first.addresses();
        this.lookups = 1;
        this.failures = first.succeeded() ? 0 : 1;
        this.failing = !first.succeeded();
        loop.execute(() -> lookUpAfter(first));
    }

    List<InetAddress> addresses()
    {
        return addresses;
    }

    DnsStats stats()
    {
        return new DnsStats(name, lookups, failures, addresses.size());
    }

    /** No more lookups; one in flight is ignored when it ends. */
    void stop()
    {
        stopped = true;
        final ScheduledFuture<?> scheduled = next;
        if (scheduled != null)
        {
            scheduled.cancel(false);
        }
    }

    /** Schedules the next lookup: when the answer's TTL runs out (bounded), or after min_ttl when it failed. */
    private void lookUpAfter(final Answer answer)
    {
        if (stopped)
        {
            return;
        }
        final DnsSettings settings = discovery.lookup().settings();
        final long delayMs = answer.succeeded()
            ? Math.clamp(answer.ttlSeconds() * 1000, settings.minTtl().toMillis(), settings.maxTtl().toMillis())
            : settings.minTtl().toMillis();
        next = loop.schedule(this::lookUp, delayMs, TimeUnit.MILLISECONDS);
    }

    private void lookUp()
    {
        if (stopped)
        {
            return;
        }
        final NameLookup using = discovery.lookup();
        final Future<Answer> answer = using.lookUp(name);
        answer.addListener(done ->
        {
            if (using == discovery.lookup())
            {
                answered(answer.getNow());
            }
            else
            {
                lookUp(); // a reload changed dns: while it was asked (and closed its resolver): ask the new one
            }
        });
    }

    private static String count(final List<InetAddress> addresses)
    {
        return addresses.size() == 1 ? "1 address" : addresses.size() + " addresses";
    }

    private void answered(final Answer answer)
    {
        if (stopped)
        {
            return;
        }
        lookups++; // one writer, this loop: volatile is enough
        if (answer.succeeded())
        {
            if (failing)
            {
                discovery.say(name + " resolves: " + count(answer.addresses()));
                failing = false;
            }
            if (!answer.addresses().equals(addresses))
            {
                addresses = answer.addresses();
                discovery.answerChanged();
            }
        }
        else
        {
            failures++;
            if (!failing)
            {
                discovery.say(name + " did not resolve (" + answer.failure() + "); keeping its last " + count(addresses)
                    + ", trying again every " + discovery.lookup().settings().minTtl().toSeconds() + " s");
                failing = true;
            }
        }
        lookUpAfter(answer);
    }
}
