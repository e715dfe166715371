package io.sluice.l7.upstream;

import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelPromise;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;

/**
 * A stream being opened, as the channel future an exchange waits on for any backend connection:
 * once it succeeds its channel is the stream's (before, the connection's). It listens to the
 * stream bootstrap itself, so opening a stream makes no other object.
 */
final class StreamOpening extends DefaultChannelPromise implements FutureListener<Http2StreamChannel>
{
    private final Http2Upstream connection;
    private Channel stream;

    StreamOpening(final Http2Upstream connection, final Channel parent)
    {
        super(parent);
        this.connection = connection;
    }

    @Override
    public Channel channel()
    {
        final Channel opened = stream;
        return opened != null ? opened : super.channel();
    }

    @Override
    public void operationComplete(final Future<Http2StreamChannel> opened)
    {
        if (opened.isSuccess())
        {
            stream = opened.getNow();
            connection.streamOpened(stream);
            setSuccess();
        }
        else
        {
            connection.streamNotOpened();
            setFailure(opened.cause());
        }
    }
}
