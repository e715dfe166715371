package io.sluice.linux.bpf;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Builds untagged Ethernet/IPv6 frames for the packet program tests, with correct UDP, TCP and
 * ICMPv6 checksums, so a frame is one a kernel would take too. Tests use addresses from
 * 2001:2::/48 (RFC 5180, for benchmarking) only.
 */
public final class Ipv6Frames
{
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int HEADER_LENGTH = 40;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;
    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int DESTINATION_OPTIONS = 60;

    static final long DST_MAC = 0x0200_c612_0002L;
    static final long SRC_MAC = 0x0200_c612_0064L;

    private Ipv6Frames()
    {
    }

    /** An IPv6 address as the two longs sluice's APIs take: its first and its last 8 bytes, read big-endian. */
    public record Address(long high, long low)
    {
        public static Address of(final String literal)
        {
            final ByteBuffer bytes = ByteBuffer.wrap(InetAddress.ofLiteral(literal).getAddress());
            if (bytes.capacity() != 16)
            {
                throw new IllegalArgumentException("not an IPv6 literal: " + literal);
            }
            return new Address(bytes.getLong(), bytes.getLong());
        }
    }

    /** A frame with {@code body} after the fixed header, its checksum (if any) left as given. */
    public static byte[] packet(final Address source, final Address destination, final int nextHeader, final byte[] body)
    {
        final ByteBuffer frame = ByteBuffer.allocate(14 + HEADER_LENGTH + body.length);
        putMac(frame, DST_MAC);
        putMac(frame, SRC_MAC);
        frame.putShort((short)ETHERTYPE_IPV6)
            .putInt(0x6000_0000)
            .putShort((short)body.length).put((byte)nextHeader).put((byte)64)
            .putLong(source.high()).putLong(source.low())
            .putLong(destination.high()).putLong(destination.low())
            .put(body);
        return frame.array();
    }

    public static byte[] udp(
        final Address source, final Address destination, final int sourcePort, final int destinationPort, final byte[] payload)
    {
        final ByteBuffer udp = ByteBuffer.allocate(8 + payload.length)
            .putShort((short)sourcePort).putShort((short)destinationPort)
            .putShort((short)(8 + payload.length)).putShort((short)0)
            .put(payload);
        return withChecksum(source, destination, UDP, udp.array(), 6);
    }

    /** A SYN with a 20-byte header. */
    public static byte[] tcp(final Address source, final Address destination, final int sourcePort, final int destinationPort)
    {
        final ByteBuffer tcp = ByteBuffer.allocate(20)
            .putShort((short)sourcePort).putShort((short)destinationPort)
            .putInt(1).putInt(0)
            .putShort((short)0x5002).putShort((short)65535)
            .putInt(0);
        return withChecksum(source, destination, TCP, tcp.array(), 16);
    }

    /** An ICMPv6 message: type, code, checksum, then {@code rest} (identifier and sequence, or the error's word and quote). */
    public static byte[] icmpv6(final Address source, final Address destination, final int type, final int code, final byte[] rest)
    {
        final ByteBuffer icmp = ByteBuffer.allocate(4 + rest.length)
            .put((byte)type).put((byte)code).putShort((short)0)
            .put(rest);
        return withChecksum(source, destination, ICMPV6, icmp.array(), 2);
    }

    /**
     * The frame with an 8-byte extension header of {@code type} inserted after the fixed header
     * (options headers padded with PadN; a fragment header says "first fragment, more follow").
     */
    public static byte[] withExtensionHeader(final byte[] frame, final int type)
    {
        final int ip = 14;
        final byte[] header = new byte[8];
        header[0] = frame[ip + 6];
        switch (type)
        {
            case HOP_BY_HOP, DESTINATION_OPTIONS ->
            {
                header[2] = 1;
                header[3] = 4;
            }
            case FRAGMENT ->
            {
                header[3] = 1;
                header[7] = 0x2a;
            }
            default ->
            {
                // a routing header with no segments left: all zeros but the next header
            }
        }
        final byte[] longer = new byte[frame.length + 8];
        System.arraycopy(frame, 0, longer, 0, ip + HEADER_LENGTH);
        System.arraycopy(header, 0, longer, ip + HEADER_LENGTH, 8);
        System.arraycopy(frame, ip + HEADER_LENGTH, longer, ip + HEADER_LENGTH + 8, frame.length - ip - HEADER_LENGTH);
        longer[ip + 6] = (byte)type;
        final int payloadLength = ((frame[ip + 4] & 0xFF) << 8 | frame[ip + 5] & 0xFF) + 8;
        longer[ip + 4] = (byte)(payloadLength >>> 8);
        longer[ip + 5] = (byte)payloadLength;
        return longer;
    }

    private static byte[] withChecksum(
        final Address source, final Address destination, final int nextHeader, final byte[] body, final int checksumOffset)
    {
        final ByteBuffer pseudo = ByteBuffer.allocate(40 + body.length + 1)
            .putLong(source.high()).putLong(source.low())
            .putLong(destination.high()).putLong(destination.low())
            .putInt(body.length).putInt(nextHeader)
            .put(body);
        int sum = 0;
        for (int i = 0; i + 1 < pseudo.capacity(); i += 2)
        {
            sum += pseudo.getShort(i) & 0xFFFF;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        final int sum16 = ~sum & 0xFFFF;
        final int checksum = sum16 == 0 && nextHeader == UDP ? 0xFFFF : sum16; // UDP's 0 means "none"
        body[checksumOffset] = (byte)(checksum >>> 8);
        body[checksumOffset + 1] = (byte)checksum;
        return packet(source, destination, nextHeader, body);
    }

    private static void putMac(final ByteBuffer frame, final long mac)
    {
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            frame.put((byte)(mac >>> shift));
        }
    }
}
