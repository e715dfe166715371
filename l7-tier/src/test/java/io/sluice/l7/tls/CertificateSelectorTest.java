package io.sluice.l7.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.sluice.l7.config.ListenerTls;
import io.sluice.l7.metrics.TlsMetrics;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The selector in a channel of its own, fed what a client sends in the pieces TCP may cut it
 * into: openssl's ClientHello a byte at a time, and split across two TLS records, is read whole
 * and handed to the chosen certificate's TLS handler, which answers it; a malformed one, plain
 * text, and silence past the handshake timeout each close the channel and are counted.
 */
@ExtendWith(LeakTracking.class)
class CertificateSelectorTest
{
    @TempDir
    static Path directory;
    private static ServerTls tls;
    private static TlsMetrics metrics;
    private static byte[] clientHello;

    private EmbeddedChannel channel;

    @BeforeAll
    static void build() throws Exception
    {
        TestCertificates.makeIn(directory);
        final ListenerTls config = TlsListeners.tls(directory, """
                    - { cert: DIR/a.pem, key: DIR/a.key }
                    - { cert: DIR/a2.pem, key: DIR/a2.key }
            """);
        metrics = new TlsMetrics();
        tls = ServerTls.build("web", config, metrics);
        clientHello = ClientHelloTest.fromOpenssl("-servername", "a.example", "-tls1_3");
    }

    @BeforeEach
    void channel()
    {
        channel = new EmbeddedChannel();
        tls.addTo(channel.pipeline());
    }

    @AfterEach
    void release()
    {
        channel.finishAndReleaseAll();
    }

    /** The ClientHello's handshake message in TLS records of at most {@code fragment} bytes each. */
    private static byte[] records(final int fragment)
    {
        final byte[] message = new byte[4 + clientHello.length];
        message[0] = 1;
        message[1] = (byte)(clientHello.length >> 16);
        message[2] = (byte)(clientHello.length >> 8);
        message[3] = (byte)clientHello.length;
        System.arraycopy(clientHello, 0, message, 4, clientHello.length);
        final ByteBuf records = Unpooled.buffer();
        for (int at = 0; at < message.length; at += fragment)
        {
            final int length = Math.min(fragment, message.length - at);
            records.writeByte(22).writeShort(0x0301).writeShort(length).writeBytes(message, at, length);
        }
        final byte[] bytes = new byte[records.readableBytes()];
        records.readBytes(bytes).release();
        return bytes;
    }

    private void feedByteByByte(final byte[] bytes)
    {
        for (final byte b : bytes)
        {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
    }

    @Test
    void aClientHelloByteByByteIsReadWholeAndAnswered()
    {
        feedByteByByte(records(16384));

        assertThat(channel.pipeline().get(CertificateSelector.class)).isNull();
        assertThat(channel.pipeline().get(SslHandler.class)).isNotNull();
        final ByteBuf serverHello = channel.readOutbound();
        assertThat(serverHello.getUnsignedByte(0)).as("a handshake record back").isEqualTo((short)22);
        serverHello.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aClientHelloSplitAcrossRecordsIsReadWhole()
    {
        channel.writeInbound(Unpooled.wrappedBuffer(records(100)));

        assertThat(channel.pipeline().get(SslHandler.class)).isNotNull();
        final ByteBuf serverHello = channel.readOutbound();
        assertThat(serverHello).isNotNull();
        serverHello.release();
    }

    @Test
    void aMalformedClientHelloClosesTheChannelAndIsCounted()
    {
        final long before = metrics.failures(TlsMetrics.Failure.MALFORMED_CLIENT_HELLO);
        final byte[] records = records(16384);
        records[9 + 34] = 33; // a 33-byte session id: too long

        feedByteByByte(records);

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.failures(TlsMetrics.Failure.MALFORMED_CLIENT_HELLO)).isEqualTo(before + 1);
    }

    @Test
    void aFirstRecordThatIsNoClientHelloIsMalformed()
    {
        final long before = metrics.failures(TlsMetrics.Failure.MALFORMED_CLIENT_HELLO);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {22, 3, 1, 0, 4, 2, 0, 0, 0})); // a ServerHello's header

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.failures(TlsMetrics.Failure.MALFORMED_CLIENT_HELLO)).isEqualTo(before + 1);
    }

    @Test
    void plainTextIsNotTls()
    {
        final long before = metrics.failures(TlsMetrics.Failure.NOT_TLS);

        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.failures(TlsMetrics.Failure.NOT_TLS)).isEqualTo(before + 1);
    }

    @Test
    void aClientHelloThatDoesNotComeInTimeIsCounted()
    {
        final long before = metrics.failures(TlsMetrics.Failure.TIMEOUT);
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(records(16384), 40)));

        channel.advanceTimeBy(ServerTls.HANDSHAKE_TIMEOUT_MILLIS + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.failures(TlsMetrics.Failure.TIMEOUT)).isEqualTo(before + 1);
    }
}
