package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.PacketConstants;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds test frames fluently, Katran fixture style: Ethernet with any VLAN tags, IPv4 with
 * options, flags, fragment offset and TTL, or IPv6 with a hop limit (the TTL's setter) and a
 * flow label, then TCP, UDP or ICMP (ICMPv6 over IPv6) with a payload. Checksums (IPv4 header,
 * TCP/UDP/ICMPv6 with the pseudo-header, ICMP) are computed from scratch unless a test
 * overrides a field to make the frame wrong on purpose.
 *
 * <p>Mutable; {@link #copy()} derives a variant, e.g. the frame expected after a rewrite.
 */
public final class PacketBuilder
{
    private static final int NO_L4 = 0;

    private long destinationMac;
    private long sourceMac;
    private int[] tagTpids = new int[0];
    private int[] tagIds = new int[0];
    private int etherType = PacketConstants.ETHER_TYPE_IPV4;
    private boolean hasIpv4;
    private int version = PacketConstants.IPV4_VERSION;
    private int ihlOverride = -1;
    private int tos;
    private int identification = 0x1234;
    private int flags = PacketConstants.IPV4_FLAG_DONT_FRAGMENT;
    private int fragmentOffset;
    private int ttl = 64;
    private int protocol = -1;
    private byte[] options = new byte[0];
    private int totalLengthOverride = -1;
    private int sourceAddress;
    private int destinationAddress;
    private int l4Protocol = NO_L4;
    private int sourcePort;
    private int destinationPort;
    private int tcpFlags = PacketConstants.TCP_SYN;
    private int sequence = 0x0102_0304;
    private int acknowledgment;
    private byte[] payload = new byte[0];
    private int l4CutTo = -1;
    private int padTo;
    private boolean hasIpv6;
    private byte[] source6 = new byte[16];
    private byte[] destination6 = new byte[16];
    private int flowLabel;
    private int icmpType = -1;
    private int icmpCode;
    private int icmpRest = 0x4242_0001;
    private boolean partialChecksum;

    private PacketBuilder()
    {
    }

    /** Starts a frame from {@code source} to {@code destination} MAC (48 bits, wire order). */
    public static PacketBuilder ethernet(final long destination, final long source)
    {
        final PacketBuilder builder = new PacketBuilder();
        builder.destinationMac = destination;
        builder.sourceMac = source;
        return builder;
    }

    public PacketBuilder copy()
    {
        final PacketBuilder copy = new PacketBuilder();
        copy.destinationMac = destinationMac;
        copy.sourceMac = sourceMac;
        copy.tagTpids = tagTpids.clone();
        copy.tagIds = tagIds.clone();
        copy.etherType = etherType;
        copy.hasIpv4 = hasIpv4;
        copy.version = version;
        copy.ihlOverride = ihlOverride;
        copy.tos = tos;
        copy.identification = identification;
        copy.flags = flags;
        copy.fragmentOffset = fragmentOffset;
        copy.ttl = ttl;
        copy.protocol = protocol;
        copy.options = options.clone();
        copy.totalLengthOverride = totalLengthOverride;
        copy.sourceAddress = sourceAddress;
        copy.destinationAddress = destinationAddress;
        copy.l4Protocol = l4Protocol;
        copy.sourcePort = sourcePort;
        copy.destinationPort = destinationPort;
        copy.tcpFlags = tcpFlags;
        copy.sequence = sequence;
        copy.acknowledgment = acknowledgment;
        copy.payload = payload.clone();
        copy.l4CutTo = l4CutTo;
        copy.padTo = padTo;
        copy.hasIpv6 = hasIpv6;
        copy.source6 = source6.clone();
        copy.destination6 = destination6.clone();
        copy.flowLabel = flowLabel;
        copy.icmpType = icmpType;
        copy.icmpCode = icmpCode;
        copy.icmpRest = icmpRest;
        copy.partialChecksum = partialChecksum;
        return copy;
    }

    public PacketBuilder macs(final long destination, final long source)
    {
        destinationMac = destination;
        sourceMac = source;
        return this;
    }

    /** Adds a tag inside those already added (the first call makes the outermost tag). */
    public PacketBuilder tag(final int tpid, final int vlanId)
    {
        tagTpids = Arrays.copyOf(tagTpids, tagTpids.length + 1);
        tagIds = Arrays.copyOf(tagIds, tagIds.length + 1);
        tagTpids[tagTpids.length - 1] = tpid;
        tagIds[tagIds.length - 1] = vlanId;
        return this;
    }

    /** An 802.1Q tag. */
    public PacketBuilder vlan(final int vlanId)
    {
        return tag(PacketConstants.ETHER_TYPE_VLAN, vlanId);
    }

    /** An 802.1ad service tag outside an 802.1Q customer tag. */
    public PacketBuilder qinq(final int serviceVlanId, final int customerVlanId)
    {
        return tag(PacketConstants.ETHER_TYPE_QINQ, serviceVlanId).vlan(customerVlanId);
    }

    /** The EtherType after the tags; IPv4 unless changed, the payload is then {@link #payload} raw. */
    public PacketBuilder etherType(final int type)
    {
        etherType = type;
        return this;
    }

    public PacketBuilder ipv4(final String source, final String destination)
    {
        hasIpv4 = true;
        sourceAddress = Ipv4.parse(source);
        destinationAddress = Ipv4.parse(destination);
        return this;
    }

    /** IPv6 (EtherType 0x86DD) from {@code source} to {@code destination}; {@link #ttl} sets the hop limit. */
    public PacketBuilder ipv6(final String source, final String destination)
    {
        hasIpv4 = false;
        hasIpv6 = true;
        etherType = PacketConstants.ETHER_TYPE_IPV6;
        version = PacketConstants.IPV6_VERSION;
        source6 = IpAddress.parse(source).bytes();
        destination6 = IpAddress.parse(destination).bytes();
        return this;
    }

    /** {@link #ipv6} or {@link #ipv4}, for a test that runs for both IP versions. */
    public PacketBuilder ip(final boolean ipv6, final String source, final String destination)
    {
        return ipv6 ? ipv6(source, destination) : ipv4(source, destination);
    }

    public PacketBuilder flowLabel(final int value)
    {
        flowLabel = value;
        return this;
    }

    /**
     * An ICMP (ICMPv6 over IPv6) message of this type and code, the header's last 4 bytes
     * {@code rest} (an echo's identifier and sequence, an error's unused word or MTU), then the
     * payload.
     */
    public PacketBuilder icmp(final int type, final int code, final int rest)
    {
        l4Protocol = hasIpv6 ? PacketConstants.IP_PROTOCOL_ICMPV6 : PacketConstants.IP_PROTOCOL_ICMP;
        icmpType = type;
        icmpCode = code;
        icmpRest = rest;
        return this;
    }

    public PacketBuilder version(final int value)
    {
        version = value;
        return this;
    }

    /** Writes this IHL instead of the one the options imply. */
    public PacketBuilder ihl(final int value)
    {
        ihlOverride = value;
        return this;
    }

    public PacketBuilder tos(final int value)
    {
        tos = value;
        return this;
    }

    public PacketBuilder identification(final int value)
    {
        identification = value;
        return this;
    }

    /** Clears DF (the default has DF set, as Linux sends TCP). */
    public PacketBuilder noFlags()
    {
        flags = 0;
        return this;
    }

    public PacketBuilder moreFragments()
    {
        flags |= PacketConstants.IPV4_FLAG_MORE_FRAGMENTS;
        return this;
    }

    /** @param units in 8-byte units, as the header carries it. */
    public PacketBuilder fragmentOffset(final int units)
    {
        fragmentOffset = units;
        return this;
    }

    public PacketBuilder ttl(final int value)
    {
        ttl = value;
        return this;
    }

    /** Writes this protocol number instead of the L4 header's. */
    public PacketBuilder protocol(final int value)
    {
        protocol = value;
        return this;
    }

    /** IP options, padded by the caller to a multiple of 4 bytes. */
    public PacketBuilder options(final byte... bytes)
    {
        options = bytes.clone();
        return this;
    }

    /** Writes this total length instead of the real one. */
    public PacketBuilder totalLength(final int value)
    {
        totalLengthOverride = value;
        return this;
    }

    public PacketBuilder tcp(final int source, final int destination)
    {
        l4Protocol = PacketConstants.IP_PROTOCOL_TCP;
        sourcePort = source;
        destinationPort = destination;
        return this;
    }

    public PacketBuilder tcpFlags(final int value)
    {
        tcpFlags = value;
        return this;
    }

    public PacketBuilder sequence(final int value)
    {
        sequence = value;
        return this;
    }

    public PacketBuilder acknowledgment(final int value)
    {
        acknowledgment = value;
        return this;
    }

    public PacketBuilder udp(final int source, final int destination)
    {
        l4Protocol = PacketConstants.IP_PROTOCOL_UDP;
        sourcePort = source;
        destinationPort = destination;
        return this;
    }

    /** An echo request: ICMP type 8, or ICMPv6 type 128 over IPv6. */
    public PacketBuilder icmpEcho()
    {
        return icmp(hasIpv6 ? 128 : 8, 0, 0x4242_0001);
    }

    /**
     * Whether the TCP or UDP checksum field holds only the folded pseudo-header sum, as a sender
     * that leaves the checksum to the hardware (veth's CHECKSUM_PARTIAL) sends it; else (the
     * default) the full checksum.
     */
    public PacketBuilder partialChecksum(final boolean partial)
    {
        partialChecksum = partial;
        return this;
    }

    public boolean partialChecksum()
    {
        return partialChecksum;
    }

    public PacketBuilder payload(final byte... bytes)
    {
        payload = bytes.clone();
        return this;
    }

    public PacketBuilder payload(final String text)
    {
        return payload(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Keeps only the first {@code bytes} of the L4 header and payload; the IP total length says so. */
    public PacketBuilder cutL4To(final int bytes)
    {
        l4CutTo = bytes;
        return this;
    }

    /** Pads the frame with zeros up to {@code frameLength} (Ethernet's 60-byte minimum, say). */
    public PacketBuilder padTo(final int frameLength)
    {
        padTo = frameLength;
        return this;
    }

    public byte[] build()
    {
        final byte[] l3 = hasIpv4 ? ipv4Packet() : hasIpv6 ? ipv6Packet() : payload;
        final int headerLength = PacketConstants.ETHERNET_HEADER_LENGTH + tagTpids.length * PacketConstants.VLAN_TAG_LENGTH;
        final int frameLength = Math.max(headerLength + l3.length, padTo);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[frameLength]);
        putMac(frame, 0, destinationMac);
        putMac(frame, 6, sourceMac);
        int index = 12;
        for (int i = 0; i < tagTpids.length; i++)
        {
            frame.putShort(index, (short)tagTpids[i], ByteOrder.BIG_ENDIAN);
            frame.putShort(index + 2, (short)tagIds[i], ByteOrder.BIG_ENDIAN);
            index += PacketConstants.VLAN_TAG_LENGTH;
        }
        frame.putShort(index, (short)etherType, ByteOrder.BIG_ENDIAN);
        frame.putBytes(index + 2, l3);
        return frame.byteArray();
    }

    /** The built frame cut to its first {@code length} bytes, as a short capture would be. */
    public byte[] buildTruncated(final int length)
    {
        return Arrays.copyOf(build(), length);
    }

    private byte[] ipv4Packet()
    {
        byte[] l4 = l4Segment();
        if (l4CutTo >= 0)
        {
            l4 = Arrays.copyOf(l4, l4CutTo);
        }
        final int headerLength = PacketConstants.IPV4_MIN_HEADER_LENGTH + options.length;
        final int totalLength = headerLength + l4.length;
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[totalLength]);
        final int ihl = ihlOverride >= 0 ? ihlOverride : headerLength / 4;
        packet.putByte(0, (byte)((version << 4) | (ihl & 0x0F)));
        packet.putByte(1, (byte)tos);
        packet.putShort(2, (short)(totalLengthOverride >= 0 ? totalLengthOverride : totalLength), ByteOrder.BIG_ENDIAN);
        packet.putShort(4, (short)identification, ByteOrder.BIG_ENDIAN);
        packet.putShort(6, (short)(flags | fragmentOffset), ByteOrder.BIG_ENDIAN);
        packet.putByte(8, (byte)ttl);
        packet.putByte(9, (byte)(protocol >= 0 ? protocol : l4Protocol));
        packet.putInt(12, sourceAddress, ByteOrder.BIG_ENDIAN);
        packet.putInt(16, destinationAddress, ByteOrder.BIG_ENDIAN);
        packet.putBytes(20, options);
        packet.putShort(10, (short)Checksums.ipv4HeaderChecksum(packet, 0, headerLength), ByteOrder.BIG_ENDIAN);
        packet.putBytes(headerLength, l4);
        return packet.byteArray();
    }

    private byte[] ipv6Packet()
    {
        byte[] l4 = l4Segment();
        if (l4CutTo >= 0)
        {
            l4 = Arrays.copyOf(l4, l4CutTo);
        }
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[PacketConstants.IPV6_HEADER_LENGTH + l4.length]);
        packet.putInt(0, (version << 28) | (tos << 20) | (flowLabel & 0xF_FFFF), ByteOrder.BIG_ENDIAN);
        packet.putShort(4, (short)(totalLengthOverride >= 0 ? totalLengthOverride : l4.length), ByteOrder.BIG_ENDIAN);
        packet.putByte(6, (byte)(protocol >= 0 ? protocol : l4Protocol));
        packet.putByte(7, (byte)ttl);
        packet.putBytes(8, source6);
        packet.putBytes(24, destination6);
        packet.putBytes(PacketConstants.IPV6_HEADER_LENGTH, l4);
        return packet.byteArray();
    }

    private byte[] l4Segment()
    {
        final int headerLength;
        final int checksumOffset;
        switch (l4Protocol)
        {
            case PacketConstants.IP_PROTOCOL_TCP ->
            {
                headerLength = PacketConstants.TCP_MIN_HEADER_LENGTH;
                checksumOffset = 16;
            }
            case PacketConstants.IP_PROTOCOL_UDP ->
            {
                headerLength = PacketConstants.UDP_HEADER_LENGTH;
                checksumOffset = 6;
            }
            case PacketConstants.IP_PROTOCOL_ICMP, PacketConstants.IP_PROTOCOL_ICMPV6 ->
            {
                headerLength = 8;
                checksumOffset = 2;
            }
            default ->
            {
                return payload.clone();
            }
        }
        final UnsafeBuffer segment = new UnsafeBuffer(new byte[headerLength + payload.length]);
        switch (l4Protocol)
        {
            case PacketConstants.IP_PROTOCOL_TCP ->
            {
                segment.putShort(0, (short)sourcePort, ByteOrder.BIG_ENDIAN);
                segment.putShort(2, (short)destinationPort, ByteOrder.BIG_ENDIAN);
                segment.putInt(4, sequence, ByteOrder.BIG_ENDIAN);
                segment.putInt(8, acknowledgment, ByteOrder.BIG_ENDIAN);
                segment.putByte(12, (byte)((headerLength / 4) << 4));
                segment.putByte(13, (byte)tcpFlags);
                segment.putShort(14, (short)64240, ByteOrder.BIG_ENDIAN);
            }
            case PacketConstants.IP_PROTOCOL_UDP ->
            {
                segment.putShort(0, (short)sourcePort, ByteOrder.BIG_ENDIAN);
                segment.putShort(2, (short)destinationPort, ByteOrder.BIG_ENDIAN);
                segment.putShort(4, (short)segment.capacity(), ByteOrder.BIG_ENDIAN);
            }
            default ->
            {
                segment.putByte(0, (byte)(icmpType >= 0 ? icmpType : 8)); // an echo request unless set
                segment.putByte(1, (byte)icmpCode);
                segment.putInt(4, icmpRest, ByteOrder.BIG_ENDIAN);
            }
        }
        segment.putBytes(headerLength, payload);

        long sum = 0;
        if (hasIpv6)
        {
            final UnsafeBuffer addresses = new UnsafeBuffer(new byte[32]);
            addresses.putBytes(0, source6);
            addresses.putBytes(16, destination6);
            sum = Checksums.sum(addresses, 0, 32, l4Protocol + segment.capacity());
        }
        else if (l4Protocol != PacketConstants.IP_PROTOCOL_ICMP)
        {
            sum += (sourceAddress >>> 16) + (sourceAddress & 0xFFFF);
            sum += (destinationAddress >>> 16) + (destinationAddress & 0xFFFF);
            sum += l4Protocol + segment.capacity();
        }
        int checksum = Checksums.finish(Checksums.sum(segment, 0, segment.capacity(), sum));
        if (checksum == 0 && l4Protocol == PacketConstants.IP_PROTOCOL_UDP)
        {
            checksum = 0xFFFF; // RFC 768: a computed zero is sent as all ones
        }
        if (partialChecksum && (l4Protocol == PacketConstants.IP_PROTOCOL_TCP || l4Protocol == PacketConstants.IP_PROTOCOL_UDP))
        {
            checksum = Checksums.fold(sum);
        }
        segment.putShort(checksumOffset, (short)checksum, ByteOrder.BIG_ENDIAN);
        return segment.byteArray();
    }

    private static void putMac(final UnsafeBuffer frame, final int index, final long mac)
    {
        frame.putInt(index, (int)(mac >>> 16), ByteOrder.BIG_ENDIAN);
        frame.putShort(index + 4, (short)mac, ByteOrder.BIG_ENDIAN);
    }
}
