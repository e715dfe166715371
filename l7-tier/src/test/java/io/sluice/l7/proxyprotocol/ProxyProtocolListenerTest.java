package io.sluice.l7.proxyprotocol;

import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.metrics.ProxyProtocolOutcome;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.RawHttp;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener with {@code proxy_protocol}, over raw sockets from several loopback addresses:
 * 127.0.0.2 is the trusted balancer in front, 127.0.0.1 an ordinary client. What a trusted
 * header names is the client the backend hears of (X-Forwarded-For); what else begins a
 * connection is refused, counted, and never reaches the backend.
 */
@ExtendWith(LeakTracking.class)
class ProxyProtocolListenerTest
{
    private static final String TRUSTED = "127.0.0.2";
    private static final String UNTRUSTED = "127.0.0.1";
    private static final String REQUEST = "GET /x HTTP/1.1\r\nHost: test\r\n\r\n";
    private static final String V2_SIGNATURE = "0d0a0d0a000d0a515549540a";

    private final TestBackend backend = new TestBackend("b");
    private final int port = ChildServer.freePort();
    private final int lenientPort = ChildServer.freePort();
    private final L7Server server = sluice("""
        listeners:
          - name: web
            address: 127.0.0.1:%d
            proxy_protocol: { trusted: [%s, "2001:db8::/32"] }
          - name: lenient
            address: 127.0.0.1:%d
            proxy_protocol: { trusted: ["127.0.0.0/31", "127.0.0.2/32"], required: false }
        timeouts: { request_header: 500ms }
        """.formatted(port, TRUSTED, lenientPort), backend);

    /** sluice with these listeners (and whatever else the text sets) sending every request to {@code backend}. */
    static L7Server sluice(final String listeners, final TestBackend backend)
    {
        return sluice(listeners, backend, null);
    }

    /** @param accessLog where the access log goes (closed with the server), or null for none. */
    static L7Server sluice(final String listeners, final TestBackend backend, final AccessLog accessLog)
    {
        return new L7Server(config(listeners, backend), Transport.best(), 1, accessLog, () ->
        {
            throw new IllegalArgumentException("not started from a file");
        });
    }

    private static L7Config config(final String listeners, final TestBackend backend)
    {
        return L7ConfigLoader.parse(listeners + """
            routes: [ { name: all, to: app } ]
            pools:
              app:
                servers: [ { name: b, address: "127.0.0.1:%d" } ]
            """.formatted(backend.address().getPort()), "pp.yaml");
    }

    @AfterEach
    void close()
    {
        server.close();
        backend.close();
    }

    @Test
    void aTrustedV1HeaderNamesTheClient() throws IOException
    {
        try (Socket socket = connect(TRUSTED, port))
        {
            RawHttp.send(socket, "PROXY TCP4 198.51.100.7 198.18.1.1 40000 443\r\n" + REQUEST);
            assertThat(RawHttp.read(socket).status()).isEqualTo(200);
            assertThat(RawHttp.get(socket, "/again").status()).as("the same connection, the same client").isEqualTo(200);
        }
        assertThat(backend.seen).extracting((request) -> request.headers().get("x-forwarded-for"))
            .containsExactly("198.51.100.7", "198.51.100.7");
        assertThat(count(ProxyProtocolOutcome.ACCEPTED)).isEqualTo(1);
        assertThat(server.metrics().prometheusText()).contains("sluice_l7_proxy_protocol_total{result=\"accepted\"} 1");
    }

    @Test
    void aTrustedV2HeaderNamesTheClientInPiecesToo() throws IOException, InterruptedException
    {
        final byte[] header = ProxyHeaderDecoderTest.hex(V2_SIGNATURE + "21" + "21" + "0024" + "20010db8000000000000000000000007"
            + "20010db8000000000000000000000001" + "9c40" + "01bb");
        try (Socket socket = connect(TRUSTED, port))
        {
            for (final byte b : header)
            {
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
                Thread.sleep(1);
            }
            RawHttp.send(socket, REQUEST);
            assertThat(RawHttp.read(socket).status()).isEqualTo(200);
        }
        assertThat(backend.seen.getFirst().headers().get("x-forwarded-for")).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void aV2LocalHeaderKeepsTheConnectionsOwnAddress() throws IOException
    {
        try (Socket socket = connect(TRUSTED, port))
        {
            socket.getOutputStream().write(ProxyHeaderDecoderTest.hex(V2_SIGNATURE + "20" + "00" + "0000"));
            RawHttp.send(socket, REQUEST);
            assertThat(RawHttp.read(socket).status()).isEqualTo(200);
        }
        assertThat(backend.seen.getFirst().headers().get("x-forwarded-for")).isEqualTo(TRUSTED);
        assertThat(count(ProxyProtocolOutcome.LOCAL)).isEqualTo(1);
    }

    @Test
    void aHeaderFromAPeerNotTrustedIsRefusedNeverBelieved() throws IOException
    {
        try (Socket socket = connect(UNTRUSTED, port))
        {
            RawHttp.send(socket, "PROXY TCP4 198.51.100.7 198.18.1.1 40000 443\r\n" + REQUEST);
            assertClosedWithoutAnswer(socket);
        }
        try (Socket socket = connect(UNTRUSTED, port))
        {
            socket.getOutputStream().write(ProxyHeaderDecoderTest.hex(V2_SIGNATURE + "20" + "00" + "0000"));
            assertClosedWithoutAnswer(socket);
        }
        assertThat(backend.seen).isEmpty();
        assertThat(count(ProxyProtocolOutcome.UNTRUSTED)).isEqualTo(2);
    }

    @Test
    void aPeerNotTrustedIsAnOrdinaryClient() throws IOException
    {
        try (Socket socket = connect(UNTRUSTED, port))
        {
            assertThat(RawHttp.get(socket, "/x").status()).isEqualTo(200);
        }
        assertThat(backend.seen.getFirst().headers().get("x-forwarded-for")).isEqualTo(UNTRUSTED);
        for (final ProxyProtocolOutcome outcome : ProxyProtocolOutcome.values())
        {
            assertThat(count(outcome)).as(outcome.label()).isZero();
        }
    }

    static Stream<Arguments> refused()
    {
        return Stream.of(
            Arguments.of("truncated v1", "PROXY TCP4 198.51.100.7 198.18.1.1\r\n".getBytes(StandardCharsets.US_ASCII),
                ProxyProtocolOutcome.MALFORMED),
            Arguments.of("v1 over 107 bytes", ("PROXY UNKNOWN " + "x".repeat(100) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                ProxyProtocolOutcome.MALFORMED),
            Arguments.of("v1 with a port of 65536", "PROXY TCP4 198.51.100.7 198.18.1.1 65536 443\r\n".getBytes(StandardCharsets.US_ASCII),
                ProxyProtocolOutcome.MALFORMED),
            Arguments.of("v2 with a bad signature", ProxyHeaderDecoderTest.hex("0d0a0d0a000d0a515549550a" + "21" + "11" + "000c"
                + "c6336407c6120101" + "9c4001bb"), ProxyProtocolOutcome.MISSING),
            Arguments.of("v2 too short for its family", ProxyHeaderDecoderTest.hex(V2_SIGNATURE + "21" + "11" + "0008"
                + "c6336407c6120101"), ProxyProtocolOutcome.MALFORMED),
            Arguments.of("v2 TLV past its end", ProxyHeaderDecoderTest.hex(V2_SIGNATURE + "21" + "11" + "0010"
                + "c6336407c6120101" + "9c4001bb" + "200005" + "01"), ProxyProtocolOutcome.MALFORMED),
            Arguments.of("a request with no header", REQUEST.getBytes(StandardCharsets.US_ASCII), ProxyProtocolOutcome.MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aTrustedPeersBadStartIsRefusedAndCounted(final String name, final byte[] start, final ProxyProtocolOutcome outcome)
        throws IOException
    {
        try (Socket socket = connect(TRUSTED, port))
        {
            socket.getOutputStream().write(start);
            socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            assertClosedWithoutAnswer(socket);
        }
        assertThat(backend.seen).isEmpty();
        assertThat(count(outcome)).isEqualTo(1);
    }

    @Test
    void aHeaderNotWholeWithinTheRequestHeaderTimeoutIsRefused() throws IOException
    {
        try (Socket socket = connect(TRUSTED, port))
        {
            RawHttp.send(socket, "PROXY TCP4 198.51.");
            final long start = System.nanoTime();
            assertClosedWithoutAnswer(socket);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, 3_000L);
        }
        assertThat(count(ProxyProtocolOutcome.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void whereNotRequiredATrustedPeerMayComeWithOrWithoutAHeader() throws IOException
    {
        try (Socket socket = connect(TRUSTED, lenientPort))
        {
            assertThat(RawHttp.get(socket, "/plain").status()).isEqualTo(200);
        }
        try (Socket socket = connect(TRUSTED, lenientPort))
        {
            RawHttp.send(socket, "PROXY TCP4 198.51.100.8 198.18.1.1 40000 443\r\n" + REQUEST);
            assertThat(RawHttp.read(socket).status()).isEqualTo(200);
        }
        assertThat(backend.seen).extracting((request) -> request.headers().get("x-forwarded-for"))
            .containsExactly(TRUSTED, "198.51.100.8");
        assertThat(count(ProxyProtocolOutcome.NONE)).isEqualTo(1);
        assertThat(count(ProxyProtocolOutcome.ACCEPTED)).isEqualTo(1);
    }

    @Test
    void aReloadChangesWhomAListenerBelievesForTheConnectionsAfterIt() throws IOException
    {
        try (Socket before = connect(UNTRUSTED, port))
        {
            assertThat(RawHttp.get(before, "/before").status()).as("accepted before the reload").isEqualTo(200);
            server.reload(config("""
                listeners:
                  - name: web
                    address: 127.0.0.1:%d
                    proxy_protocol: { trusted: [%s] }
                """.formatted(port, UNTRUSTED), backend));
            assertThat(RawHttp.get(before, "/accepted-before").status()).as("its listener's policy when it was accepted").isEqualTo(200);
        }
        try (Socket after = connect(UNTRUSTED, port))
        {
            RawHttp.send(after, "PROXY TCP4 198.51.100.9 198.18.1.1 40000 443\r\n" + REQUEST);
            assertThat(RawHttp.read(after).status()).isEqualTo(200);
        }
        assertThat(backend.seen).extracting((request) -> request.headers().get("x-forwarded-for"))
            .containsExactly(UNTRUSTED, UNTRUSTED, "198.51.100.9");
    }

    private long count(final ProxyProtocolOutcome outcome)
    {
        return server.metrics().proxyProtocolCount(outcome);
    }

    private static Socket connect(final String from, final int port) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** The proxy closed the connection and sent nothing (a reset, when it closed with our bytes unread, is as good). */
    static void assertClosedWithoutAnswer(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        try
        {
            assertThat(in.read()).isEqualTo(-1);
        }
        catch (final SocketException reset)
        {
            assertThat(reset.getMessage()).contains("reset");
        }
    }
}
