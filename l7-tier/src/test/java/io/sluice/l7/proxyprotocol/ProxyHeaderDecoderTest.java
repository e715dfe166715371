package io.sluice.l7.proxyprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The strict parser against the specification (proxy-protocol.txt): each well-formed header fed
 * whole and byte by byte, with the bytes after it left for the next handler; each malformed one
 * refused with its reason, however it is split.
 */
class ProxyHeaderDecoderTest
{
    private static final String SIGNATURE = "0d0a0d0a000d0a515549540a";
    private static final String AFTER = "GET / HTTP/1.1\r\n";

    static Stream<Arguments> wellFormed()
    {
        return Stream.of(
            Arguments.of("v1 TCP4", ascii("PROXY TCP4 198.18.0.7 198.18.1.1 51234 443\r\n"),
                header("198.18.0.7", 51234, "198.18.1.1", 443)),
            Arguments.of("v1 TCP6", ascii("PROXY TCP6 2001:2::7 2001:2:0:1::1 51234 80\r\n"),
                header("2001:2::7", 51234, "2001:2:0:1::1", 80)),
            Arguments.of("v1 ports 0 and 65535", ascii("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n"),
                header("0.0.0.0", 0, "255.255.255.255", 65535)),
            Arguments.of("v1 UNKNOWN alone", ascii("PROXY UNKNOWN\r\n"), ProxyHeader.LOCAL),
            Arguments.of("v1 UNKNOWN, the rest ignored", ascii("PROXY UNKNOWN ffff:f...f:ffff 1.2.3.4 x y\r\n"), ProxyHeader.LOCAL),
            Arguments.of("v1 of exactly 107 bytes", ascii("PROXY UNKNOWN " + "x".repeat(107 - 16) + "\r\n"), ProxyHeader.LOCAL),
            Arguments.of("v2 TCP over IPv4", hex(SIGNATURE + "21" + "11" + "000c" + "c6120007" + "c6120101" + "c822" + "01bb"),
                header("198.18.0.7", 51234, "198.18.1.1", 443)),
            Arguments.of("v2 TCP over IPv6", hex(SIGNATURE + "21" + "21" + "0024" + "20010002000000000000000000000007"
                + "20010002000000010000000000000001" + "c822" + "0050"), header("2001:2::7", 51234, "2001:2:0:1::1", 80)),
            Arguments.of("v2 UDP over IPv4", hex(SIGNATURE + "21" + "12" + "000c" + "c6120007" + "c6120101" + "c822" + "01bb"),
                header("198.18.0.7", 51234, "198.18.1.1", 443)),
            Arguments.of("v2 with TLVs (ALPN h2, AUTHORITY a.b, NOOP)", hex(SIGNATURE + "21" + "11" + "001a" + "c6120007" + "c6120101"
                + "c822" + "01bb" + "0100026832" + "020003612e62" + "040000"), header("198.18.0.7", 51234, "198.18.1.1", 443)),
            Arguments.of("v2 with an SSL TLV and sub-TLVs", hex(SIGNATURE + "21" + "11" + "001d" + "c6120007" + "c6120101" + "c822"
                + "01bb" + "20000e" + "05" + "00000000" + "220003" + "636e31" + "040000"), header("198.18.0.7", 51234, "198.18.1.1", 443)),
            Arguments.of("v2 LOCAL", hex(SIGNATURE + "20" + "00" + "0000"), ProxyHeader.LOCAL),
            Arguments.of("v2 LOCAL with a block, skipped", hex(SIGNATURE + "20" + "11" + "0003" + "ffffff"), ProxyHeader.LOCAL),
            Arguments.of("v2 PROXY, family UNSPEC", hex(SIGNATURE + "21" + "00" + "0000"), ProxyHeader.LOCAL),
            Arguments.of("v2 PROXY, a Unix socket", hex(SIGNATURE + "21" + "31" + "00d8" + "00".repeat(216)), ProxyHeader.LOCAL),
            Arguments.of("v2 with a CRC32C that matches", withCrc32c(SIGNATURE + "21" + "11" + "0013" + "c6120007" + "c6120101"
                + "c822" + "01bb" + "030004" + "00000000"), header("198.18.0.7", 51234, "198.18.1.1", 443)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void readsAWellFormedHeaderAndLeavesWhatFollows(final String name, final byte[] header, final ProxyHeader expected)
    {
        final ByteBuf whole = Unpooled.buffer().writeBytes(header).writeBytes(ascii(AFTER));
        try
        {
            assertThat(decode(whole)).isEqualTo(expected);
            assertThat(whole.toString(StandardCharsets.US_ASCII)).isEqualTo(AFTER);
        }
        finally
        {
            whole.release();
        }
        final ByteBuf growing = Unpooled.buffer();
        try
        {
            for (int i = 0; i < header.length - 1; i++)
            {
                growing.writeByte(header[i]);
                assertThat(decode(growing)).as("after %d of %d bytes", i + 1, header.length).isNull();
                assertThat(growing.readerIndex()).isZero();
            }
            growing.writeByte(header[header.length - 1]);
            assertThat(decode(growing)).isEqualTo(expected);
            assertThat(growing.isReadable()).isFalse();
        }
        finally
        {
            growing.release();
        }
    }

    static Stream<Arguments> malformed()
    {
        return Stream.of(
            Arguments.of("v1 cut short (no ports)", ascii("PROXY TCP4 198.18.0.7 198.18.1.1\r\n"), "is not PROXY TCP4|TCP6"),
            Arguments.of("v1 of 108 bytes", ascii("PROXY UNKNOWN " + "x".repeat(108 - 16) + "\r\n"), "no CRLF within 107 bytes"),
            Arguments.of("v1 with no CRLF in 107 bytes", ascii("PROXY TCP4 " + "1".repeat(200)), "no CRLF within 107 bytes"),
            Arguments.of("v1 ended by LF alone", ascii("PROXY TCP4 198.18.0.7 198.18.1.1 1 2\n"), "not printable ASCII"),
            Arguments.of("v1 CR without LF", ascii("PROXY TCP4 198.18.0.7 198.18.1.1 1 2\rX"), "a CR not followed by LF"),
            Arguments.of("v1 two spaces", ascii("PROXY TCP4  198.18.0.7 198.18.1.1 1 2\r\n"), "is not PROXY TCP4|TCP6"),
            Arguments.of("v1 TCP5", ascii("PROXY TCP5 198.18.0.7 198.18.1.1 1 2\r\n"), "is not PROXY TCP4|TCP6"),
            Arguments.of("v1 lower case", ascii("PROXY tcp4 198.18.0.7 198.18.1.1 1 2\r\n"), "is not PROXY TCP4|TCP6"),
            Arguments.of("v1 leading zero in an address", ascii("PROXY TCP4 198.018.0.7 198.18.1.1 1 2\r\n"), "not an IPv4 address"),
            Arguments.of("v1 IPv4 of three parts", ascii("PROXY TCP4 198.18.7 198.18.1.1 1 2\r\n"), "not an IPv4 address"),
            Arguments.of("v1 IPv4 part over 255", ascii("PROXY TCP4 198.18.0.256 198.18.1.1 1 2\r\n"), "not an IPv4 address"),
            Arguments.of("v1 IPv6 under TCP4", ascii("PROXY TCP4 2001:2::7 198.18.1.1 1 2\r\n"), "not an IPv4 address"),
            Arguments.of("v1 IPv4 under TCP6", ascii("PROXY TCP6 198.18.0.7 2001:2::1 1 2\r\n"), "not an IPv6 address"),
            Arguments.of("v1 IPv6 with a zone", ascii("PROXY TCP6 fe80::1%eth0 2001:2::1 1 2\r\n"), "not an IPv6 address"),
            Arguments.of("v1 IPv6 in brackets", ascii("PROXY TCP6 [2001:2::7] 2001:2::1 1 2\r\n"), "not an IPv6 address"),
            Arguments.of("v1 IPv6 with too many groups", ascii("PROXY TCP6 1:2:3:4:5:6:7:8:9 2001:2::1 1 2\r\n"), "not an IPv6 address"),
            Arguments.of("v1 port with a sign", ascii("PROXY TCP4 198.18.0.7 198.18.1.1 +80 2\r\n"), "is not a port"),
            Arguments.of("v1 port with a leading zero", ascii("PROXY TCP4 198.18.0.7 198.18.1.1 080 2\r\n"), "is not a port"),
            Arguments.of("v1 port over 65535", ascii("PROXY TCP4 198.18.0.7 198.18.1.1 65536 2\r\n"), "is not a port"),
            Arguments.of("v1 a NUL", ascii("PROXY TCP4 198.18.0.7\0 198.18.1.1 1 2\r\n"), "not printable ASCII"),
            Arguments.of("v2 version 1", hex(SIGNATURE + "11" + "11" + "000c" + "c6120007c6120101c82201bb"), "version 1, not 2"),
            Arguments.of("v2 version 3", hex(SIGNATURE + "31" + "11" + "000c" + "c6120007c6120101c82201bb"), "version 3, not 2"),
            Arguments.of("v2 command 2", hex(SIGNATURE + "22" + "11" + "000c" + "c6120007c6120101c82201bb"), "command 2"),
            Arguments.of("v2 family 4", hex(SIGNATURE + "21" + "41" + "000c" + "c6120007c6120101c82201bb"), "family and transport 0x41"),
            Arguments.of("v2 transport 3", hex(SIGNATURE + "21" + "13" + "000c" + "c6120007c6120101c82201bb"), "family and transport 0x13"),
            Arguments.of("v2 IPv4 block too short", hex(SIGNATURE + "21" + "11" + "000b" + "c6120007c6120101c82201"), "need 12"),
            Arguments.of("v2 IPv6 block too short", hex(SIGNATURE + "21" + "21" + "000c" + "c6120007c6120101c82201bb"), "need 36"),
            Arguments.of("v2 a byte left over after the addresses", hex(SIGNATURE + "21" + "11" + "000d" + "c6120007c6120101c82201bb00"),
                "1 bytes left over"),
            Arguments.of("v2 TLV past the end", hex(SIGNATURE + "21" + "11" + "0010" + "c6120007c6120101c82201bb" + "010005" + "68"),
                "runs past the header's end"),
            Arguments.of("v2 SSL TLV too short", hex(SIGNATURE + "21" + "11" + "0011" + "c6120007c6120101c82201bb" + "200002" + "0500"),
                "an SSL TLV of 2 bytes"),
            Arguments.of("v2 SSL sub-TLV past its end", hex(SIGNATURE + "21" + "11" + "0018" + "c6120007c6120101c82201bb" + "200009"
                + "0500000000" + "220009" + "61"), "runs past the header's end"),
            Arguments.of("v2 CRC32C that does not match", hex(SIGNATURE + "21" + "11" + "0013" + "c6120007c6120101c82201bb" + "030004"
                + "12345678"), "CRC32C TLV does not match"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesAMalformedHeaderWithItsReason(final String name, final byte[] header, final String reason)
    {
        final ByteBuf whole = Unpooled.wrappedBuffer(header);
        try
        {
            assertThatThrownBy(() -> decode(whole)).isInstanceOf(MalformedProxyHeaderException.class).hasMessageContaining(reason);
        }
        finally
        {
            whole.release();
        }
    }

    @Test
    void tellsAHeaderFromOtherBytesByAsFewAsItTakes()
    {
        assertThat(start("P")).isEqualTo(ProxyHeaderDecoder.Start.UNDECIDED);
        assertThat(start("PROXY")).isEqualTo(ProxyHeaderDecoder.Start.UNDECIDED);
        assertThat(start("PROXY ")).isEqualTo(ProxyHeaderDecoder.Start.V1);
        assertThat(start("PRI * HTTP/2.0")).as("the HTTP/2 preface").isEqualTo(ProxyHeaderDecoder.Start.NEITHER);
        assertThat(start("POST / HTTP/1.1")).isEqualTo(ProxyHeaderDecoder.Start.NEITHER);
        assertThat(start("PROXYX")).isEqualTo(ProxyHeaderDecoder.Start.NEITHER);
        assertThat(start("\r\n\r\n")).isEqualTo(ProxyHeaderDecoder.Start.UNDECIDED);
        assertThat(start("\r\n\r\nGET")).as("a bad v2 signature").isEqualTo(ProxyHeaderDecoder.Start.NEITHER);
        final ByteBuf v2 = Unpooled.wrappedBuffer(hex(SIGNATURE));
        assertThat(ProxyHeaderDecoder.start(v2)).isEqualTo(ProxyHeaderDecoder.Start.V2);
        v2.release();
    }

    private static ProxyHeaderDecoder.Start start(final String text)
    {
        final ByteBuf bytes = Unpooled.wrappedBuffer(ascii(text));
        try
        {
            return ProxyHeaderDecoder.start(bytes);
        }
        finally
        {
            bytes.release();
        }
    }

    private static ProxyHeader decode(final ByteBuf in)
    {
        final ProxyHeaderDecoder.Start start = ProxyHeaderDecoder.start(in);
        return start == ProxyHeaderDecoder.Start.UNDECIDED ? null : ProxyHeaderDecoder.decode(start, in);
    }

    static ProxyHeader header(final String source, final int sourcePort, final String destination, final int destinationPort)
    {
        return new ProxyHeader(new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort));
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(final String digits)
    {
        return HexFormat.of().parseHex(digits);
    }

    /** The header with its CRC32C TLV's value (its last four bytes) filled in. */
    private static byte[] withCrc32c(final String digits)
    {
        final byte[] header = hex(digits);
        final CRC32C crc = new CRC32C();
        crc.update(header);
        final long value = crc.getValue();
        for (int i = 0; i < 4; i++)
        {
            header[header.length - 4 + i] = (byte)(value >>> (24 - 8 * i));
        }
        return header;
    }
}
