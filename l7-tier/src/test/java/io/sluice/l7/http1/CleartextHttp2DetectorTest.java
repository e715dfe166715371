package io.sluice.l7.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.proxy.LeakTracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Which protocol a connection is left with, from its first bytes however they are split. */
@ExtendWith(LeakTracking.class)
final class CleartextHttp2DetectorTest
{
    private final Http1ServerCodec codec = new Http1ServerCodec(RequestLimits.DEFAULTS);
    private final HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, (protocol) -> null);
    /** Stands for the HTTP/2 handler: keeps the bytes it is given. */
    private final ChannelInboundHandlerAdapter http2 = new ChannelInboundHandlerAdapter()
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            received.writeBytes((ByteBuf)msg);
            ReferenceCountUtil.release(msg);
        }
    };
    private final ByteBuf received = Unpooled.buffer();
    private final EmbeddedChannel channel = new EmbeddedChannel(new CleartextHttp2Detector(codec, upgrade, http2));

    private void write(final String text)
    {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    @Test
    void thePrefaceInPiecesLeavesOnlyTheHttp2HandlerWithEveryByte()
    {
        write("PRI * HTTP/2.0\r\n");
        assertThat(channel.pipeline().get(Http1ServerCodec.class)).as("undecided").isSameAs(codec);

        write("\r\nSM\r\n\r\nframes");

        assertThat(channel.pipeline().get(Http1ServerCodec.class)).isNull();
        assertThat(channel.pipeline().get(HttpServerUpgradeHandler.class)).isNull();
        assertThat(channel.pipeline().get(CleartextHttp2Detector.class)).isNull();
        assertThat(received.toString(StandardCharsets.ISO_8859_1)).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nframes");
        received.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anHttp1RequestGoesToTheCodecWithTheBytesAlreadyRead()
    {
        write("P");
        write("OST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");

        assertThat(channel.pipeline().get(CleartextHttp2Detector.class)).isNull();
        assertThat(channel.pipeline().get(Http1ServerCodec.class)).isSameAs(codec);
        final HttpRequest request = channel.readInbound();
        assertThat(request.method().name() + " " + request.uri()).isEqualTo("POST /p");
        assertThat(channel.<Object>readInbound()).isInstanceOf(LastHttpContent.class);
        assertThat(received.readableBytes()).isZero();
        received.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
