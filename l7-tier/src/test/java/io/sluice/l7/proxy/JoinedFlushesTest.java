package io.sluice.l7.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flushes of an HTTP/2 connection joined per pass of the event loop, counted where they
 * reach the socket's side of the pipeline: several streams' flushes outside a read go as one,
 * after the pass's other events (the embedded loop's pending tasks); inside a read they go once
 * at its end; a close or a full connection does not wait. Driven through the pipeline: the
 * embedded channel's own write and flush would run its pending tasks at once.
 */
@ExtendWith(LeakTracking.class)
class JoinedFlushesTest
{
    /** Counts the flushes that get past the handler under test (the socket's side of it). */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter
    {
        private int flushes;
        private List<String> events = new ArrayList<>();

        @Override
        public void flush(final ChannelHandlerContext ctx)
        {
            flushes++;
            events.add("flush");
            ctx.flush();
        }
    }

    private final FlushCounter counter = new FlushCounter();
    private final EmbeddedChannel connection = new EmbeddedChannel(counter, new JoinedFlushes());

    @Test
    void theFlushesOfOnePassOutsideAReadGoAsOneAfterItsOtherEvents()
    {
        connection.pipeline().write(Unpooled.wrappedBuffer(new byte[] {1}));
        connection.pipeline().write(Unpooled.wrappedBuffer(new byte[] {2}));
        connection.pipeline().flush();
        connection.pipeline().flush();
        connection.pipeline().flush();
        assertThat(counter.flushes).isZero();
        assertThat((Object)connection.readOutbound()).isNull();

        connection.runPendingTasks();

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(connection.outboundMessages()).hasSize(2);
        connection.runPendingTasks();
        assertThat(counter.flushes).as("nothing more to flush: no second flush").isEqualTo(1);
        connection.finishAndReleaseAll();
    }

    @Test
    void theFlushesInsideAReadGoOnceAtItsEnd()
    {
        connection.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
        connection.pipeline().write(Unpooled.wrappedBuffer(new byte[] {1}));
        connection.pipeline().flush();
        connection.pipeline().flush();
        assertThat(counter.flushes).isZero();

        connection.pipeline().fireChannelReadComplete();

        assertThat(counter.flushes).isEqualTo(1);
        connection.runPendingTasks();
        assertThat(counter.flushes).as("no task was needed in the read").isEqualTo(1);
        connection.finishAndReleaseAll();
    }

    @Test
    void aCloseFlushesWhatWaitsBeforeIt()
    {
        connection.pipeline().write(Unpooled.wrappedBuffer(new byte[] {1}));
        connection.pipeline().flush();

        connection.pipeline().close();

        assertThat(counter.flushes).isEqualTo(1);
        assertThat(connection.outboundMessages()).hasSize(1);
        connection.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatStopsBeingWritableIsFlushedAtOnce()
    {
        final List<String> events = new ArrayList<>();
        counter.events = events;
        connection.pipeline().addLast(new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelWritabilityChanged(final ChannelHandlerContext ctx)
            {
                events.add("writability changed");
            }
        });
        connection.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        connection.pipeline().flush();

        connection.pipeline().write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})); // over the high water mark

        assertThat(events).as("flushed before the unwritable connection told anyone, not by the task")
            .startsWith("flush", "writability changed");
        connection.finishAndReleaseAll();
    }
}
