package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.Checksums;
import org.agrona.MutableDirectBuffer;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_TCP;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_UDP;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The transport checksums of a {@link ParsedFlow}, for both IP versions: finishing a TCP or UDP
 * checksum its sender left to the hardware, computing one whole, patching one after an address
 * and a port changed (RFC 1624), and ICMP's. What differs by family is in the flow's
 * pseudo-header sum, the RFC 1624 update of an address (32 or 128 bits), and UDP's zero: an IPv4
 * UDP checksum of zero means the sender sent none and stays zero, while in IPv6 zero is invalid
 * (RFC 8200 8.1) and is patched like any other. Nothing here allocates.
 */
final class L4Checksums
{
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    private static final int ICMP_CHECKSUM_OFFSET = 2;

    private L4Checksums()
    {
    }

    /** Where the TCP or UDP checksum is, from the start of the transport header. */
    static int checksumOffset(final int protocol)
    {
        return protocol == IP_PROTOCOL_TCP ? TCP_CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET;
    }

    /**
     * Finishes the TCP or UDP checksum of the flow's frame when its sender left it to "the
     * hardware" (CHECKSUM_PARTIAL, as a veth sender does: containers are wired so). Such a field
     * holds only the folded pseudo-header sum; AF_XDP hands the frame over as it is, with no
     * flag, and a receiver drops it unfinished. So the field is compared with that sum, a few
     * additions over the address words the parse read, and where it matches the checksum is
     * computed whole: that is the right value whether or not the frame was really partial.
     *
     * @return whether it was finished.
     */
    static boolean finishIfPartial(final MutableDirectBuffer buffer, final ParsedFlow flow)
    {
        final int checksumAt = flow.l4Offset() + checksumOffset(flow.protocol());
        final long pseudoHeader = flow.pseudoHeaderSum();
        if ((buffer.getShort(checksumAt, BIG_ENDIAN) & 0xFFFF) != Checksums.fold(pseudoHeader))
        {
            return false;
        }
        write(buffer, flow, pseudoHeader);
        return true;
    }

    /** Computes the flow's TCP or UDP checksum whole, over the addresses its header carries now, and writes it. */
    static void write(final MutableDirectBuffer buffer, final ParsedFlow flow)
    {
        write(buffer, flow, flow.pseudoHeaderSum());
    }

    private static void write(final MutableDirectBuffer buffer, final ParsedFlow flow, final long pseudoHeader)
    {
        final int l4Offset = flow.l4Offset();
        final int checksumAt = l4Offset + checksumOffset(flow.protocol());
        buffer.putShort(checksumAt, (short)0);
        int checksum = Checksums.finish(Checksums.sum(buffer, l4Offset, flow.l4Length(), pseudoHeader));
        if (checksum == 0 && flow.protocol() == IP_PROTOCOL_UDP)
        {
            checksum = 0xFFFF; // RFC 768: a computed zero is sent as all ones; zero means "no checksum"
        }
        buffer.putShort(checksumAt, (short)checksum, BIG_ENDIAN);
    }

    /**
     * Patches the flow's TCP or UDP checksum after one of its addresses changed from {@code old}
     * to {@code new} and the port at {@code portAt} (0 source, 2 destination) to {@code port},
     * which this writes; for a quoted segment only when the quote reaches its checksum.
     */
    static void rewritePort(
        final MutableDirectBuffer buffer, final ParsedFlow flow, final long oldHigh, final long oldLow, final long newHigh,
        final long newLow, final int portAt, final int port)
    {
        final int l4Offset = flow.l4Offset();
        final int oldPort = buffer.getShort(l4Offset + portAt, BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(l4Offset + portAt, (short)port, BIG_ENDIAN);
        final boolean tcp = flow.protocol() == IP_PROTOCOL_TCP;
        final int checksumOffset = checksumOffset(flow.protocol());
        if (checksumOffset + 2 > flow.l4Length())
        {
            return; // a quote cut before the checksum
        }
        final int checksumAt = l4Offset + checksumOffset;
        final int checksum = buffer.getShort(checksumAt, BIG_ENDIAN) & 0xFFFF;
        if (!tcp && checksum == 0 && !flow.ipv6())
        {
            return;
        }
        final int addressPatched = flow.ipv6() ? Checksums.update128(checksum, oldHigh, oldLow, newHigh, newLow) :
            Checksums.update32(checksum, (int)oldLow, (int)newLow);
        final int patched = Checksums.update16(addressPatched, oldPort, port);
        buffer.putShort(checksumAt, (short)(!tcp && patched == 0 ? 0xFFFF : patched), BIG_ENDIAN);
    }

    /** Whether the ICMP message of the flow sums, with ICMPv6's pseudo-header, to all ones. */
    static boolean icmpValid(final MutableDirectBuffer buffer, final ParsedFlow flow)
    {
        return Checksums.fold(Checksums.sum(buffer, flow.l4Offset(), flow.l4Length(), flow.icmpPseudoHeaderSum())) == 0xFFFF;
    }

    /** Computes the ICMP checksum of the flow's message whole, over its header's current addresses for ICMPv6. */
    static void writeIcmp(final MutableDirectBuffer buffer, final ParsedFlow flow)
    {
        writeIcmp(buffer, flow.l4Offset(), flow.l4Length(), flow.icmpPseudoHeaderSum());
    }

    /** Computes the checksum of the ICMP message at {@code l4Offset} whole: {@code pseudoHeader} 0 for IPv4's ICMP. */
    static void writeIcmp(final MutableDirectBuffer buffer, final int l4Offset, final int l4Length, final long pseudoHeader)
    {
        buffer.putShort(l4Offset + ICMP_CHECKSUM_OFFSET, (short)0);
        buffer.putShort(l4Offset + ICMP_CHECKSUM_OFFSET,
            (short)Checksums.finish(Checksums.sum(buffer, l4Offset, l4Length, pseudoHeader)), BIG_ENDIAN);
    }
}
