package io.sluice.l7.proxyprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.sluice.l7.config.Pool;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headers sent to backends, byte for byte as the specification lays them out, and read back
 * by the strict parser; the TLS TLVs from given values (a TLS client connection is set up in
 * {@link ClientTlsTest}).
 */
class ProxyHeaderEncoderTest
{
    private static final InetSocketAddress CLIENT = new InetSocketAddress("198.18.0.7", 51234);
    private static final InetSocketAddress LISTENER = new InetSocketAddress("198.18.1.1", 443);
    private static final InetSocketAddress CLIENT6 = new InetSocketAddress("2001:2::7", 51234);

    @Test
    void v1NamesTheClientAndTheListener()
    {
        assertThat(text(encode(Pool.SendProxy.V1, CLIENT, LISTENER, null))).isEqualTo("PROXY TCP4 198.18.0.7 198.18.1.1 51234 443\r\n");
        assertThat(text(encode(Pool.SendProxy.V1, CLIENT6, new InetSocketAddress("2001:2:0:1::1", 80), null)))
            .isEqualTo("PROXY TCP6 2001:2::7 2001:2:0:1::1 51234 80\r\n");
        assertThat(text(encode(Pool.SendProxy.V1, CLIENT, new InetSocketAddress("2001:2:0:1::1", 80), null)))
            .as("mixed families: both as IPv6").isEqualTo("PROXY TCP6 ::ffff:198.18.0.7 2001:2:0:1::1 51234 80\r\n");
        assertThat(text(encode(Pool.SendProxy.V1, null, null, null))).isEqualTo("PROXY UNKNOWN\r\n");
    }

    @Test
    void v2WithoutTlsIsTheAddressBlockAlone()
    {
        assertThat(hex(encode(Pool.SendProxy.V2, CLIENT, LISTENER, null)))
            .isEqualTo("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c" + "c6120007" + "c6120101" + "c822" + "01bb");
        assertThat(hex(encode(Pool.SendProxy.V2, null, null, null))).isEqualTo("0d0a0d0a000d0a515549540a" + "20" + "00" + "0000");
    }

    @Test
    void v2CarriesTheClientsTlsAsTlvs()
    {
        final ClientTls tls = new ClientTls("h2", "api.example", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "client-1", true);
        final ByteBuf header = encode(Pool.SendProxy.V2, CLIENT, LISTENER, tls);
        final String expectedSsl = "05" + "00000000" + "210007" + hexOf("TLSv1.3") + "220008" + hexOf("client-1") + "230016"
            + hexOf("TLS_AES_128_GCM_SHA256");
        final String expectedTlvs = "010002" + hexOf("h2") + "02000b" + hexOf("api.example") + "20" + String.format("%04x",
            expectedSsl.length() / 2) + expectedSsl;
        assertThat(hex(header)).isEqualTo("0d0a0d0a000d0a515549540a" + "21" + "11" + String.format("%04x", 12 + expectedTlvs.length() / 2)
            + "c6120007" + "c6120101" + "c822" + "01bb" + expectedTlvs);
    }

    @Test
    void v2WithoutAClientCertificateSaysSoAndSendsNoCn()
    {
        final ClientTls tls = new ClientTls(null, null, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", null, false);
        final String ssl = "01" + "00000001" + "210007" + hexOf("TLSv1.2") + "230027" + hexOf("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(hex(encode(Pool.SendProxy.V2, CLIENT, LISTENER, tls))).endsWith("20" + String.format("%04x", ssl.length() / 2) + ssl);
    }

    @Test
    void whatIsSentReadsBackAsTheSameAddresses()
    {
        final ClientTls tls = new ClientTls("http/1.1", "a.example", "TLSv1.3", "TLS_AES_256_GCM_SHA384", "cn", true);
        for (final Pool.SendProxy version : Pool.SendProxy.values())
        {
            for (final InetSocketAddress client : new InetSocketAddress[] {CLIENT, CLIENT6})
            {
                final ByteBuf header = encode(version, client, client == CLIENT ? LISTENER : new InetSocketAddress("2001:2::1", 8443), tls);
                try
                {
                    final ProxyHeader read = ProxyHeaderDecoder.decode(ProxyHeaderDecoder.start(header), header);
                    assertThat(read.source()).isEqualTo(client);
                    assertThat(header.isReadable()).isFalse();
                }
                finally
                {
                    header.release();
                }
            }
            final ByteBuf local = encode(version, null, null, null);
            assertThat(ProxyHeaderDecoder.decode(ProxyHeaderDecoder.start(local), local)).isEqualTo(ProxyHeader.LOCAL);
            local.release();
        }
    }

    private static ByteBuf encode(final Pool.SendProxy version, final InetSocketAddress source, final InetSocketAddress destination,
        final ClientTls tls)
    {
        return ProxyHeaderEncoder.encode(version, ByteBufAllocator.DEFAULT, source, destination, tls);
    }

    private static String text(final ByteBuf bytes)
    {
        try
        {
            return bytes.toString(StandardCharsets.US_ASCII);
        }
        finally
        {
            bytes.release();
        }
    }

    private static String hex(final ByteBuf bytes)
    {
        try
        {
            return ByteBufUtil.hexDump(bytes);
        }
        finally
        {
            bytes.release();
        }
    }

    private static String hexOf(final String text)
    {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }
}
