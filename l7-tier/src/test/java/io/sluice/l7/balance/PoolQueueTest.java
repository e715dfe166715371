package io.sluice.l7.balance;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sluice.l7.balance.Pools.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits on requests in flight and the pool's queue, exactly: N in flight, the next queued,
 * served in arrival order as slots free, pinned requests waiting for their server, the pool's own
 * limit, the queue's size and timeout, leaving it, a reload that keeps the counts, and many
 * threads at once that never see more than N in flight. The waiters' event loop is an embedded
 * one, so its tasks and timers run when the test says.
 */
final class PoolQueueTest
{
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final List<String> heard = new ArrayList<>();

    @AfterEach
    void close()
    {
        loop.finishAndReleaseAll();
    }

    private static Server server(final String name, final int maxRequests)
    {
        return new Server(name, new InetSocketAddress("198.18.0." + (name.charAt(0) - 'a' + 10), 8080), 100, maxRequests);
    }

    private static Pool pool(final Pool.Sticky sticky, final int maxRequests, final int queueSize, final Server... servers)
    {
        return new Pool("p", Pool.Balance.ROUND_ROBIN, null, sticky, List.of(servers), null, null, Pool.Protocol.HTTP1,
            maxRequests, new Pool.Queue(queueSize, Duration.ofMillis(500)));
    }

    /** A listener that writes down what it hears, as "name admitted on server" or "name timed out". */
    private QueueListener listener(final String name)
    {
        return new QueueListener()
        {
            @Override
            public void admitted(final Pick pick)
            {
                heard.add(name + " admitted on " + pick.upstream().name());
            }

            @Override
            public void queueTimedOut()
            {
                heard.add(name + " timed out");
            }
        };
    }

    private QueuedRequest enqueue(final PoolBalancer balancer, final Pick chosen, final String name)
    {
        return balancer.enqueue(chosen, request(), null, listener(name), loop.eventLoop());
    }

    @Test
    void nInFlightThenTheRestWaitAndAreServedInArrivalOrder()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(null, 0, 10, server("a", 2)));
        final Upstream a = balancer.upstream("a");
        assertThat(balancer.begin(a.pick(), request(), null)).isSameAs(a.pick());
        assertThat(balancer.begin(a.pick(), request(), null)).isSameAs(a.pick());
        assertThat(balancer.begin(a.pick(), request(), null)).as("the third finds no room").isNull();

        final QueuedRequest first = enqueue(balancer, a.pick(), "first");
        final QueuedRequest second = enqueue(balancer, a.pick(), "second");
        final QueuedRequest third = enqueue(balancer, a.pick(), "third");
        assertThat(List.of(first.outcome(), second.outcome(), third.outcome())).containsOnly(QueuedRequest.Outcome.WAITING);
        assertThat(balancer.waiting()).isEqualTo(3);
        assertThat(balancer.begin(a.pick(), request(), null)).as("none overtakes those waiting").isNull();

        balancer.end(a);
        loop.runPendingTasks();
        assertThat(heard).containsExactly("first admitted on a");
        assertThat(a.inFlight()).isEqualTo(2);
        balancer.end(a);
        balancer.end(a);
        loop.runPendingTasks();
        assertThat(heard).containsExactly("first admitted on a", "second admitted on a", "third admitted on a");
        assertThat(balancer.waiting()).isZero();
        assertThat(a.inFlight()).isEqualTo(2);
        assertThat(balancer.inFlight()).isEqualTo(2);
    }

    @Test
    void aFullServerIsPassedOverForOneWithRoomWhenTheRequestIsNotPinned()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(null, 0, 10, server("a", 1), server("b", 1)));
        final Upstream a = balancer.upstream("a");
        assertThat(balancer.begin(a.pick(), request(), null).upstream().name()).isEqualTo("a");

        assertThat(balancer.begin(a.pick(), request(), null).upstream().name()).isEqualTo("b");
        assertThat(balancer.begin(a.pick(), request(), null)).as("both full").isNull();
    }

    @Test
    void aStickyRequestWaitsForItsServerWhileOthersGoWhereThereIsRoom()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(new Pool.Sticky("lb"), 0, 10, server("a", 1), server("b", 1)));
        final Upstream a = balancer.upstream("a");
        assertThat(balancer.begin(a.pick(), request(), null)).isSameAs(a.pick());

        assertThat(balancer.begin(a.pick(), request(), null)).as("its cookie names a, which is full").isNull();
        final QueuedRequest pinned = enqueue(balancer, a.pick(), "pinned");
        assertThat(pinned.outcome()).isEqualTo(QueuedRequest.Outcome.WAITING);
        loop.runPendingTasks();
        assertThat(heard).as("b's room is not its").isEmpty();

        balancer.end(a);
        loop.runPendingTasks();
        assertThat(heard).containsExactly("pinned admitted on a");
        assertThat(balancer.upstream("b").inFlight()).isZero();
    }

    @Test
    void anUnpinnedWaiterBehindAPinnedOneTakesAnotherServersFreedSlot()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(new Pool.Sticky("lb"), 0, 10, server("a", 1), server("b", 1)));
        final Upstream a = balancer.upstream("a");
        final Upstream b = balancer.upstream("b");
        balancer.begin(a.pick(), request(), null);
        balancer.begin(b.pick(), request(), null);
        enqueue(balancer, a.pick(), "pinned to a");
        enqueue(balancer, a.pickSettingCookie(), "free");

        balancer.end(b);
        loop.runPendingTasks();

        assertThat(heard).containsExactly("free admitted on b");
        assertThat(balancer.waiting()).isEqualTo(1);
    }

    @Test
    void thePoolsLimitHoldsOverItsServers()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(null, 2, 10, server("a", 0), server("b", 0)));
        final Upstream a = balancer.upstream("a");
        assertThat(balancer.begin(a.pick(), request(), null)).isNotNull();
        assertThat(balancer.begin(a.pick(), request(), null)).isNotNull();
        assertThat(balancer.begin(a.pick(), request(), null)).isNull();
        enqueue(balancer, a.pick(), "third");

        balancer.end(a);
        loop.runPendingTasks();

        assertThat(heard).containsExactly("third admitted on a");
        assertThat(balancer.inFlight()).isEqualTo(2);
    }

    @Test
    void overTheQueuesSizeARequestIsRefusedAndPastItsTimeoutOneLeaves()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(null, 0, 1, server("a", 1)));
        final Upstream a = balancer.upstream("a");
        balancer.begin(a.pick(), request(), null);
        final QueuedRequest waiting = enqueue(balancer, a.pick(), "waiting");

        assertThat(enqueue(balancer, a.pick(), "refused").outcome()).isEqualTo(QueuedRequest.Outcome.REFUSED);
        assertThat(balancer.waiting()).isEqualTo(1);

        loop.advanceTimeBy(499, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
        assertThat(heard).isEmpty();
        loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
        assertThat(heard).containsExactly("waiting timed out");
        assertThat(waiting.outcome()).isEqualTo(QueuedRequest.Outcome.LEFT);
        assertThat(balancer.waiting()).isZero();

        balancer.end(a);
        assertThat(a.inFlight()).isZero();
        assertThat(balancer.inFlight()).isZero();
    }

    @Test
    void aRequestThatLeavesWaitingOrBeforeItHeardOfItsSlotHoldsNone()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(null, 0, 10, server("a", 1)));
        final Upstream a = balancer.upstream("a");
        balancer.begin(a.pick(), request(), null);
        final QueuedRequest gone = enqueue(balancer, a.pick(), "gone");
        final QueuedRequest late = enqueue(balancer, a.pick(), "late");

        balancer.leave(gone);
        assertThat(balancer.waiting()).isEqualTo(1);
        balancer.end(a); // the slot goes to "late", which leaves before its loop tells it
        assertThat(late.outcome()).isEqualTo(QueuedRequest.Outcome.ADMITTED);
        balancer.leave(late);
        loop.runPendingTasks();
        loop.advanceTimeBy(1, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();

        assertThat(heard).as("neither is told anything").isEmpty();
        assertThat(a.inFlight()).isZero();
        assertThat(balancer.inFlight()).isZero();
        assertThat(balancer.waiting()).isZero();
    }

    @Test
    void aReloadKeepsTheCountsAndTheQueueAndALowerLimitDropsNothing()
    {
        final PoolBalancer before = new PoolBalancer(pool(null, 0, 10, server("a", 2)));
        final Upstream oldA = before.upstream("a");
        before.begin(oldA.pick(), request(), null);
        before.begin(oldA.pick(), request(), null);
        enqueue(before, oldA.pick(), "waiting");

        final PoolBalancer after = new PoolBalancer(pool(null, 0, 10, server("a", 1)), before);
        after.serve();
        final Upstream newA = after.upstream("a");
        assertThat(newA.inFlight()).as("the same server's count").isEqualTo(2);
        assertThat(after.waiting()).isEqualTo(1);

        before.end(oldA);
        loop.runPendingTasks();
        assertThat(heard).as("1 in flight: the new limit is reached").isEmpty();
        before.end(oldA);
        loop.runPendingTasks();
        assertThat(heard).containsExactly("waiting admitted on a");
        assertThat(newA.inFlight()).isEqualTo(1);
        assertThat(after.begin(newA.pick(), request(), null)).isNull();
    }

    @Test
    void aRaisedLimitAdmitsWaitingRequestsWhenTheNewConfigurationServes()
    {
        final PoolBalancer before = new PoolBalancer(pool(null, 0, 10, server("a", 1)));
        final Upstream oldA = before.upstream("a");
        before.begin(oldA.pick(), request(), null);
        enqueue(before, oldA.pick(), "waiting");

        final PoolBalancer after = new PoolBalancer(pool(null, 0, 10, server("a", 2)), before);
        loop.runPendingTasks();
        assertThat(heard).as("nothing changes before it serves").isEmpty();
        after.serve();
        loop.runPendingTasks();

        assertThat(heard).containsExactly("waiting admitted on a");
        assertThat(after.upstream("a").inFlight()).isEqualTo(2);
    }

    @Test
    void manyEventLoopsAtOnceNeverHaveMoreThanTheLimitInFlightAndEndAtZero() throws Exception
    {
        final int limit = 3;
        final int loops = 4;
        final int requestsPerLoop = 2_000;
        final PoolBalancer balancer = new PoolBalancer(new Pool("p", Pool.Balance.LEAST_REQUEST, null, null,
            List.of(server("a", limit), server("b", limit)), null, null, Pool.Protocol.HTTP1, 5, new Pool.Queue(100_000,
            Duration.ofMinutes(1))));
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final AtomicInteger overServerLimit = new AtomicInteger();
        final List<String> refused = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(loops * requestsPerLoop);
        final List<EventLoop> threads = new ArrayList<>();
        for (int i = 0; i < loops; i++)
        {
            threads.add(new DefaultEventLoop());
        }
        try
        {
            for (final EventLoop thread : threads)
            {
                thread.execute(() ->
                {
                    for (int r = 0; r < requestsPerLoop; r++)
                    {
                        final Slot slot = new Slot(balancer, thread, inFlight, mostInFlight, overServerLimit, done, refused);
                        slot.start();
                    }
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).as("every request ended").isTrue();
        }
        finally
        {
            threads.forEach((thread) -> thread.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        }
        assertThat(refused).isEmpty();
        assertThat(mostInFlight.get()).isLessThanOrEqualTo(5);
        assertThat(overServerLimit.get()).isZero();
        assertThat(balancer.inFlight()).isZero();
        assertThat(balancer.waiting()).isZero();
        assertThat(balancer.upstreams()).allSatisfy((upstream) -> assertThat(upstream.inFlight()).isZero());
    }

    /** One request of the threaded test: takes a slot or waits for one, holds it for a moment on its loop, ends it. */
    private record Slot(PoolBalancer balancer, EventLoop loop, AtomicInteger inFlight, AtomicInteger mostInFlight,
        AtomicInteger overServerLimit, CountDownLatch done, List<String> refused) implements QueueListener
    {
        void start()
        {
            final Pick chosen = balancer.pick(request(), null);
            final Pick taken = balancer.begin(chosen, request(), null);
            if (taken != null)
            {
                admitted(taken);
                return;
            }
            final QueuedRequest queued = balancer.enqueue(chosen, request(), null, this, loop);
            if (queued.outcome() == QueuedRequest.Outcome.ADMITTED)
            {
                admitted(queued.admitted());
            }
            else if (queued.outcome() != QueuedRequest.Outcome.WAITING)
            {
                refused.add(queued.outcome().toString());
            }
        }

        @Override
        public void admitted(final Pick pick)
        {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            if (pick.upstream().inFlight() > pick.upstream().server().maxRequests())
            {
                overServerLimit.incrementAndGet();
            }
            loop.execute(() ->
            {
                inFlight.decrementAndGet();
                balancer.end(pick.upstream());
                done.countDown();
            });
        }

        @Override
        public void queueTimedOut()
        {
            refused.add("timed out");
        }
    }
}
