package io.sluice.forwarder.bgp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The control socket's protocol, against a stand-in that answers as BIRD 2.0.12 does. */
class BirdControlTest
{
    @TempDir
    Path dir;

    @Test
    void readsGreetingRepliesAndContinuationLines() throws Exception
    {
        final Path socket = dir.resolve("bird.ctl");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            server.bind(UnixDomainSocketAddress.of(socket));
            final CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> serve(server, List.of(
                "2002-Name       Proto      Table      State  Since         Info\n" +
                    "1002-device1    Device     ---        up     1796683196    \n" +
                    " vip_198_18_1_1 Static     master4    up     1796683196    \n" +
                    " peer_198_18_0_1 BGP        ---        up     1796683200    Established   \n0000 \n",
                "0011-vip_198_18_1_1: enabled\n0000 \n",
                "9001 syntax error, unexpected CF_SYM_UNDEFINED\n")));
            try (BirdControl control = BirdControl.connect(socket))
            {
                final BirdReply protocols = control.command("show protocols");
                assertThat(protocols.ok()).isTrue();
                assertThat(protocols.rows(1002)).hasSize(3);
                assertThat(protocols.rows(1002).get(2).strip().split("\\s+")).startsWith("peer_198_18_0_1", "BGP");

                assertThat(control.command("enable vip_198_18_1_1").text()).isEqualTo("vip_198_18_1_1: enabled");
                final BirdReply refused = control.command("disable nosuch");
                assertThat(refused.ok()).isFalse();
                assertThat(refused.text()).startsWith("syntax error");
            }
            assertThat(received.get()).containsExactly("show protocols", "enable vip_198_18_1_1", "disable nosuch");
        }
    }

    @Test
    void refusesASocketThatIsNotBirds() throws Exception
    {
        final Path socket = dir.resolve("other.ctl");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture.runAsync(() ->
            {
                try (SocketChannel client = server.accept())
                {
                    client.write(ByteBuffer.wrap("HELLO\n".getBytes(StandardCharsets.US_ASCII)));
                }
                catch (final IOException ignored)
                {
                    // the test sees the client's side
                }
            });
            assertThatThrownBy(() -> BirdControl.connect(socket)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a BIRD control socket line: 'HELLO'");
        }
    }

    /** Greets, then answers each command line with the next reply; returns the commands it read. */
    private static List<String> serve(final ServerSocketChannel server, final List<String> replies)
    {
        try (SocketChannel client = server.accept())
        {
            client.write(ByteBuffer.wrap("0001 BIRD 2.0.12 ready.\n".getBytes(StandardCharsets.US_ASCII)));
            final List<String> commands = new ArrayList<>();
            final StringBuilder line = new StringBuilder();
            final ByteBuffer in = ByteBuffer.allocate(256);
            while (commands.size() < replies.size() && client.read(in.clear()) > 0)
            {
                in.flip();
                while (in.hasRemaining())
                {
                    final char c = (char)in.get();
                    if (c != '\n')
                    {
                        line.append(c);
                        continue;
                    }
                    commands.add(line.toString());
                    line.setLength(0);
                    client.write(ByteBuffer.wrap(replies.get(commands.size() - 1).getBytes(StandardCharsets.US_ASCII)));
                }
            }
            return commands;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
