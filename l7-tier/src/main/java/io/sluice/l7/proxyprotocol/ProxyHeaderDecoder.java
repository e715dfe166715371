package io.sluice.l7.proxyprotocol;

import io.netty.buffer.ByteBuf;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads a PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2), strictly.
 * sluice's own rather than Netty's {@code HAProxyMessageDecoder}, which lets through what the
 * specification does not (a v1 line of 108 bytes, ports such as {@code +80} or {@code 080}),
 * ignores a v2 TLV cut short and throws out of bounds, without closing the connection and
 * leaking the buffer it had retained, on a truncated SSL TLV.
 *
 * <ul>
 *   <li>v1: {@code PROXY TCP4|TCP6 SRC DST SPORT DPORT CRLF}, single spaces, at most 107 bytes
 *       with the CRLF, printable ASCII only, addresses as IP literals of the family named
 *       (dotted quads without leading zeros, IPv6 without zone or brackets), ports 0-65535 in
 *       decimal without a sign or leading zeros; {@code PROXY UNKNOWN} and whatever follows it on
 *       the line relays no connection.</li>
 *   <li>v2: the 12-byte signature, version 2, command LOCAL (relays nothing; the rest of the
 *       block is skipped, as the specification says) or PROXY, a known family and transport, an
 *       address block at least as long as the family needs, TLVs that fill the rest exactly (an
 *       SSL TLV's sub-TLVs as well), and a CRC32C TLV, when there is one, that matches.</li>
 * </ul>
 */
final class ProxyHeaderDecoder
{
    /** v1's longest line, CRLF included (the specification's figure, for {@code PROXY UNKNOWN} with IPv6 addresses). */
    static final int V1_MAX_BYTES = 107;
    static final int V2_FIXED_BYTES = 16;
    static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int COMMAND_LOCAL = 0;
    static final int COMMAND_PROXY = 1;
    static final int FAMILY_UNSPEC = 0;
    static final int FAMILY_INET = 1;
    static final int FAMILY_INET6 = 2;
    static final int FAMILY_UNIX = 3;
    static final int TRANSPORT_DGRAM = 2;
    static final int TLV_HEADER_BYTES = 3;
    static final int TYPE_CRC32C = 0x03;
    static final int TYPE_SSL = 0x20;
    /** An SSL TLV's client flags (1 byte) and verify result (4) before its sub-TLVs. */
    static final int SSL_FIXED_BYTES = 5;
    private static final int[] ADDRESS_BYTES = {0, 12, 36, 216};

    /** What the first bytes of a connection are. */
    enum Start
    {
        V1, V2,
        /** Not a PROXY protocol header. */
        NEITHER,
        /** Too few bytes yet to tell. */
        UNDECIDED
    }

    private ProxyHeaderDecoder()
    {
    }

    static Start start(final ByteBuf in)
    {
        final boolean v1 = prefixOf(V1_SIGNATURE, in);
        final boolean v2 = prefixOf(V2_SIGNATURE, in);
        if (v1)
        {
            return in.readableBytes() >= V1_SIGNATURE.length ? Start.V1 : Start.UNDECIDED;
        }
        if (v2)
        {
            return in.readableBytes() >= V2_SIGNATURE.length ? Start.V2 : Start.UNDECIDED;
        }
        return Start.NEITHER;
    }

    /** Whether the readable bytes (as many as there are, up to the signature's length) begin the signature. */
    private static boolean prefixOf(final byte[] signature, final ByteBuf in)
    {
        final int count = Math.min(signature.length, in.readableBytes());
        for (int i = 0; i < count; i++)
        {
            if (in.getByte(in.readerIndex() + i) != signature[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The header at the start of {@code in}, which {@link #start} found to be {@code version}'s;
     * the header's bytes are consumed.
     *
     * @return null when more bytes are needed (nothing consumed).
     * @throws MalformedProxyHeaderException when the bytes so far already break the specification.
     */
    static ProxyHeader decode(final Start version, final ByteBuf in)
    {
        return version == Start.V1 ? v1(in) : v2(in);
    }

    private static ProxyHeader v1(final ByteBuf in)
    {
        final int start = in.readerIndex();
        final int scan = Math.min(in.readableBytes(), V1_MAX_BYTES);
        for (int i = 0; i < scan; i++)
        {
            final byte b = in.getByte(start + i);
            if (b == '\r')
            {
                if (i + 1 == in.readableBytes())
                {
                    return null;
                }
                if (in.getByte(start + i + 1) != '\n')
                {
                    throw new MalformedProxyHeaderException("v1: a CR not followed by LF");
                }
                if (i + 2 > V1_MAX_BYTES)
                {
                    break;
                }
                final String line = in.toString(start, i, StandardCharsets.US_ASCII);
                in.skipBytes(i + 2);
                return v1Line(line);
            }
            if (b < 0x20 || b > 0x7E)
            {
                throw new MalformedProxyHeaderException("v1: byte 0x" + Integer.toHexString(b & 0xFF)
                    + " is not printable ASCII");
            }
        }
        if (in.readableBytes() >= V1_MAX_BYTES)
        {
            throw new MalformedProxyHeaderException("v1: no CRLF within " + V1_MAX_BYTES + " bytes");
        }
        return null;
    }

    private static ProxyHeader v1Line(final String line)
    {
        final String[] fields = line.split(" ", -1); // kept empty: two spaces in a row are refused, not merged
        if (fields.length >= 2 && fields[1].equals("UNKNOWN"))
        {
            return ProxyHeader.LOCAL; // "the receiver must ignore anything presented before the CRLF"
        }
        if (fields.length != 6 || !(fields[1].equals("TCP4") || fields[1].equals("TCP6")))
        {
            throw new MalformedProxyHeaderException("v1: '" + line + "' is not PROXY TCP4|TCP6 SRC DST SPORT DPORT");
        }
        final boolean ipv4 = fields[1].equals("TCP4");
        final InetAddress source = ipv4 ? ipv4(fields[2]) : ipv6(fields[2]);
        final InetAddress destination = ipv4 ? ipv4(fields[3]) : ipv6(fields[3]);
        return new ProxyHeader(new InetSocketAddress(source, port(fields[4])),
            new InetSocketAddress(destination, port(fields[5])));
    }

    private static InetAddress ipv4(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        final byte[] bytes = new byte[4];
        if (parts.length != bytes.length)
        {
            throw new MalformedProxyHeaderException("v1: '" + text + "' is not an IPv4 address");
        }
        for (int i = 0; i < bytes.length; i++)
        {
            final int value = decimal(parts[i], 255);
            if (value < 0)
            {
                throw new MalformedProxyHeaderException("v1: '" + text + "' is not an IPv4 address");
            }
            bytes[i] = (byte)value;
        }
        return address(bytes);
    }

    private static InetAddress ipv6(final String text)
    {
        if (!text.contains(":") || !text.chars().allMatch((c) -> c == ':' || c == '.' || Character.digit(c, 16) >= 0))
        {
            throw new MalformedProxyHeaderException("v1: '" + text + "' is not an IPv6 address");
        }
        try
        {
            return Inet6Address.ofLiteral(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new MalformedProxyHeaderException("v1: '" + text + "' is not an IPv6 address");
        }
    }

    private static int port(final String text)
    {
        final int port = decimal(text, 65535);
        if (port < 0)
        {
            throw new MalformedProxyHeaderException("v1: '" + text + "' is not a port (0-65535)");
        }
        return port;
    }

    /** Digits only, no leading zero, at most {@code max}; else -1. */
    private static int decimal(final String text, final int max)
    {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0'))
        {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    private static ProxyHeader v2(final ByteBuf in)
    {
        if (in.readableBytes() < V2_FIXED_BYTES)
        {
            return null;
        }
        final int start = in.readerIndex();
        final int versionCommand = in.getUnsignedByte(start + 12);
        if (versionCommand >> 4 != 2)
        {
            throw new MalformedProxyHeaderException("v2: version " + (versionCommand >> 4) + ", not 2");
        }
        final int command = versionCommand & 0x0F;
        if (command != COMMAND_LOCAL && command != COMMAND_PROXY)
        {
            throw new MalformedProxyHeaderException("v2: command " + command + " is neither LOCAL (0) nor PROXY (1)");
        }
        final int length = in.getUnsignedShort(start + 14);
        if (in.readableBytes() < V2_FIXED_BYTES + length)
        {
            return null;
        }
        if (command == COMMAND_LOCAL)
        {
            in.skipBytes(V2_FIXED_BYTES + length); // "discard the protocol block including the family which is ignored"
            return ProxyHeader.LOCAL;
        }
        final int familyTransport = in.getUnsignedByte(start + 13);
        final int family = familyTransport >> 4;
        if (family >= ADDRESS_BYTES.length || (familyTransport & 0x0F) > TRANSPORT_DGRAM)
        {
            throw new MalformedProxyHeaderException("v2: family and transport 0x" + Integer.toHexString(familyTransport)
                + " unknown");
        }
        final int addressBytes = ADDRESS_BYTES[family];
        if (length < addressBytes)
        {
            throw new MalformedProxyHeaderException("v2: " + length + " bytes after the header, the family's addresses need "
                + addressBytes);
        }
        final int end = start + V2_FIXED_BYTES + length;
        final int checksumAt = checkTlvs(in, start + V2_FIXED_BYTES + addressBytes, end, -1);
        if (checksumAt >= 0)
        {
            checkCrc32c(in, start, end, checksumAt);
        }
        final ProxyHeader header = switch (family)
        {
            case FAMILY_INET -> addresses(in, start + V2_FIXED_BYTES, 4);
            case FAMILY_INET6 -> addresses(in, start + V2_FIXED_BYTES, 16);
            default -> ProxyHeader.LOCAL; // UNSPEC or a Unix socket: no IP client to speak of, the connection's own stand
        };
        in.skipBytes(V2_FIXED_BYTES + length);
        return header;
    }

    private static ProxyHeader addresses(final ByteBuf in, final int at, final int size)
    {
        final byte[] source = new byte[size];
        final byte[] destination = new byte[size];
        in.getBytes(at, source);
        in.getBytes(at + size, destination);
        final int sourcePort = in.getUnsignedShort(at + 2 * size);
        final int destinationPort = in.getUnsignedShort(at + 2 * size + 2);
        return new ProxyHeader(new InetSocketAddress(address(source), sourcePort),
            new InetSocketAddress(address(destination), destinationPort));
    }

    /**
     * Walks the TLVs in {@code [from, end)}: each must fit, and together fill it exactly.
     *
     * @return where a CRC32C TLV's value is, or {@code checksumAt} when there is none.
     */
    private static int checkTlvs(final ByteBuf in, final int from, final int end, final int checksumAt)
    {
        int found = checksumAt;
        int at = from;
        while (at < end)
        {
            if (end - at < TLV_HEADER_BYTES)
            {
                throw new MalformedProxyHeaderException("v2: " + (end - at) + " bytes left over after the TLVs");
            }
            final int type = in.getUnsignedByte(at);
            final int length = in.getUnsignedShort(at + 1);
            final int value = at + TLV_HEADER_BYTES;
            if (length > end - value)
            {
                throw new MalformedProxyHeaderException("v2: TLV 0x" + Integer.toHexString(type) + " of " + length
                    + " bytes runs past the header's end");
            }
            if (type == TYPE_CRC32C)
            {
                if (length != 4 || found >= 0)
                {
                    throw new MalformedProxyHeaderException("v2: a CRC32C TLV of " + length + " bytes, or a second one");
                }
                found = value;
            }
            else if (type == TYPE_SSL)
            {
                if (length < SSL_FIXED_BYTES)
                {
                    throw new MalformedProxyHeaderException("v2: an SSL TLV of " + length + " bytes");
                }
                found = checkTlvs(in, value + SSL_FIXED_BYTES, value + length, found);
            }
            at = value + length;
        }
        return found;
    }

    /** The checksum is of the whole header with its own four bytes zero. */
    private static void checkCrc32c(final ByteBuf in, final int start, final int end, final int checksumAt)
    {
        final byte[] header = new byte[end - start];
        in.getBytes(start, header);
        final long expected = in.getUnsignedInt(checksumAt);
        Arrays.fill(header, checksumAt - start, checksumAt - start + 4, (byte)0);
        final CRC32C crc = new CRC32C();
        crc.update(header);
        if (crc.getValue() != expected)
        {
            throw new MalformedProxyHeaderException("v2: the CRC32C TLV does not match the header");
        }
    }

    private static InetAddress address(final byte[] bytes)
    {
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex); // only for a length other than 4 or 16, which the callers never give
        }
    }
}
