package io.sluice.l7.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The ClientHello read strictly: what {@code openssl s_client} sends, caught on a plain socket,
 * read as it offers it; and hand-made ClientHellos with one thing wrong each, refused with the
 * reason.
 */
class ClientHelloTest
{
    @Test
    void readsATls13ClientHelloFromOpenssl() throws Exception
    {
        final ClientHello hello = parse(fromOpenssl("-servername", "A.Example", "-tls1_3", "-sigalgs",
            "ECDSA+SHA256:RSA-PSS+SHA256"));

        assertThat(hello.serverName()).isEqualTo("a.example");
        assertThat(hello.offersTls13()).isTrue();
        assertThat(hello.signatureSchemes()).contains(0x0403, 0x0804).doesNotContain(0x0503, 0x0401);
        assertThat(hello.groups()).contains(29, 23); // x25519, secp256r1
        assertThat(hello.cipherSuites()).contains(0x1301);
    }

    @Test
    void readsATls12ClientHelloWithoutAName() throws Exception
    {
        final ClientHello hello = parse(fromOpenssl("-noservername", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"));

        assertThat(hello.serverName()).isNull();
        assertThat(hello.offersTls13()).isFalse();
        assertThat(hello.cipherSuites()).contains(0xc02f).doesNotContain(0xc02b);
    }

    @Test
    void aClientHelloWithoutExtensionsOffersNothingToChooseBy()
    {
        final ClientHello hello = parse(new Hello().bytes(false));

        assertThat(hello.serverName()).isNull();
        assertThat(hello.signatureSchemes()).isNull();
        assertThat(hello.groups()).isNull();
        assertThat(hello.cipherSuites()).containsExactly(0x1301, 0xc02b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refuses(final String description, final byte[] body, final String reason)
    {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(MalformedClientHelloException.class).hasMessage(reason);
    }

    static Stream<Arguments> malformed()
    {
        final byte[] whole = new Hello().sni("a.example").bytes(true);
        final byte[] withTrailer = Arrays.copyOf(whole, whole.length + 1);
        return Stream.of(
            arguments("cut short", Arrays.copyOf(whole, whole.length - 1), "extensions is cut short"),
            arguments("a byte after the extensions", withTrailer, "extensions does not end where its container does"),
            arguments("cut in the random", Arrays.copyOf(whole, 20), "legacy_version and random is cut short"),
            arguments("a session id of 33 bytes", new Hello().sessionId(33).bytes(true), "legacy_session_id is 33 bytes"),
            arguments("no cipher suites", new Hello().suites().bytes(true),
                "cipher_suites is 0 bytes, not a non-empty list of 2-byte codes"),
            arguments("no null compression", new Hello().compression(1).bytes(true),
                "legacy_compression_methods lacks null compression"),
            arguments("an extension twice", new Hello().extension(13, 0, 2, 4, 3).extension(13, 0, 2, 4, 3).bytes(true),
                "extension 13 appears twice"),
            arguments("an extension longer than the rest", new Hello().rawExtensions(0, 13, 0, 9, 0, 2, 4, 3).bytes(true),
                "extension 13 is cut short"),
            arguments("an odd signature_algorithms", new Hello().extension(13, 0, 3, 4, 3, 5).bytes(true),
                "signature_algorithms is 3 bytes, not a non-empty list of 2-byte codes"),
            arguments("an empty signature_algorithms", new Hello().extension(13, 0, 0).bytes(true),
                "signature_algorithms is 0 bytes, not a non-empty list of 2-byte codes"),
            arguments("a list shorter than its extension", new Hello().extension(10, 0, 2, 0, 23, 0).bytes(true),
                "supported_groups's length does not fill its extension"),
            arguments("supported_versions with a length that overruns", new Hello().extension(43, 4, 3, 4).bytes(true),
                "supported_versions's length does not fill its extension"),
            arguments("two server names", new Hello().rawSni(0, 12, 0, 0, 3, 'a', '.', 'b', 0, 0, 3, 'c', '.', 'd').bytes(true),
                "server_name holds other than one host name of 1 to 255 bytes"),
            arguments("a name of another type", new Hello().rawSni(0, 6, 1, 0, 3, 'a', '.', 'b').bytes(true),
                "server_name's name is not a host_name"),
            arguments("an empty name", new Hello().rawSni(0, 3, 0, 0, 0).bytes(true),
                "server_name holds other than one host name of 1 to 255 bytes"),
            arguments("a name with a space", new Hello().sni("a b.example").bytes(true),
                "host_name holds a byte that is not in a host name"),
            arguments("a name with a NUL", new Hello().sni("a\0.example").bytes(true),
                "host_name holds a byte that is not in a host name"),
            arguments("a name with a trailing dot", new Hello().sni("a.example.").bytes(true), "host_name has an empty label"),
            arguments("a list longer than its extension", new Hello().rawSni(0, 9, 0, 0, 3, 'a', '.', 'b').bytes(true),
                "server_name_list is cut short"));
    }

    private static ClientHello parse(final byte[] body)
    {
        final ByteBuf buffer = Unpooled.wrappedBuffer(body);
        try
        {
            return ClientHello.parse(buffer);
        }
        finally
        {
            buffer.release();
        }
    }

    /** The body of the ClientHello {@code openssl s_client} sends with these options (a plain socket takes it, and closes). */
    static byte[] fromOpenssl(final String... options) throws Exception
    {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final CompletableFuture<byte[]> caught = CompletableFuture.supplyAsync(() -> read(server));
            final List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + server.getLocalPort()));
            command.addAll(List.of(options));
            Commands.run(command, "");
            return caught.join();
        }
    }

    /** One TLS record holding the whole ClientHello (openssl's fits one): its handshake message's body. */
    private static byte[] read(final ServerSocket server)
    {
        try (Socket client = server.accept())
        {
            final DataInputStream in = new DataInputStream(client.getInputStream());
            final byte[] header = in.readNBytes(5);
            final byte[] record = in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
            assertThat(record[0]).as("a ClientHello").isEqualTo((byte)1);
            final int length = ((record[1] & 0xff) << 16) | ((record[2] & 0xff) << 8) | (record[3] & 0xff);
            return Arrays.copyOfRange(record, 4, 4 + length);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** A ClientHello body made by hand: TLS 1.2's version, a zero random, two suites, null compression, given extensions. */
    private static final class Hello
    {
        private int sessionIdBytes;
        private int[] suites = {0x1301, 0xc02b};
        private int[] compressions = {0};
        private final ByteArrayOutputStream extensions = new ByteArrayOutputStream();

        Hello sessionId(final int bytes)
        {
            sessionIdBytes = bytes;
            return this;
        }

        Hello suites(final int... codes)
        {
            suites = codes;
            return this;
        }

        Hello compression(final int... methods)
        {
            compressions = methods;
            return this;
        }

        /** An extension of this type whose data is {@code data} (its length written for it). */
        Hello extension(final int type, final int... data)
        {
            return rawExtensions(type >> 8, type & 0xff, data.length >> 8, data.length & 0xff).raw(data);
        }

        Hello sni(final String name)
        {
            final byte[] ascii = name.getBytes(StandardCharsets.ISO_8859_1);
            final int[] data = new int[5 + ascii.length];
            data[0] = (ascii.length + 3) >> 8;
            data[1] = (ascii.length + 3) & 0xff;
            data[2] = 0;
            data[3] = ascii.length >> 8;
            data[4] = ascii.length & 0xff;
            for (int i = 0; i < ascii.length; i++)
            {
                data[5 + i] = ascii[i];
            }
            return extension(0, data);
        }

        /** A server_name extension whose data is {@code data} as given. */
        Hello rawSni(final int... data)
        {
            return extension(0, data);
        }

        /** Bytes put in the extensions block as they are. */
        Hello rawExtensions(final int... bytes)
        {
            return raw(bytes);
        }

        private Hello raw(final int... bytes)
        {
            for (final int b : bytes)
            {
                extensions.write(b);
            }
            return this;
        }

        byte[] bytes(final boolean withExtensions)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(3);
            out.write(3);
            out.writeBytes(new byte[32]);
            out.write(sessionIdBytes);
            out.writeBytes(new byte[sessionIdBytes]);
            out.write(suites.length * 2 >> 8);
            out.write(suites.length * 2 & 0xff);
            for (final int suite : suites)
            {
                out.write(suite >> 8);
                out.write(suite & 0xff);
            }
            out.write(compressions.length);
            for (final int method : compressions)
            {
                out.write(method);
            }
            if (withExtensions)
            {
                out.write(extensions.size() >> 8);
                out.write(extensions.size() & 0xff);
                out.writeBytes(extensions.toByteArray());
            }
            return out.toByteArray();
        }
    }
}
