package io.sluice.forwarder.packet;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.sluice.forwarder.packet.PacketConstants.IPV4_FLAG_DONT_FRAGMENT;
import static io.sluice.forwarder.packet.PacketConstants.IPV4_FLAG_MORE_FRAGMENTS;
import static io.sluice.forwarder.packet.PacketConstants.IPV4_FRAGMENT_OFFSET_MASK;

/**
 * An IPv4 header read and written in place. Wrapping checks nothing: the caller checks
 * {@link #length()} against {@link PacketConstants#IPV4_MIN_HEADER_LENGTH} before reading
 * fields, and validates version, IHL and total length in the order it wants to report them.
 * Addresses are ints as the wire carries them (network order read big-endian).
 */
public final class Ipv4Flyweight
{
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = Checksums.IPV4_CHECKSUM_OFFSET;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;

    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    /** @param length the bytes present in the buffer from {@code offset} (to the end of the frame). */
    public Ipv4Flyweight wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /** @return the bytes available from the start of the header to the end of the frame. */
    public int length()
    {
        return length;
    }

    public int version()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) >>> 4) & 0x0F;
    }

    /** @return the header length in 32-bit words (5 without options). */
    public int ihl()
    {
        return buffer.getByte(offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** @return the header length in bytes, IHL * 4. */
    public int headerLength()
    {
        return ihl() << 2;
    }

    public int typeOfService()
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    /** @return header and payload in bytes, as the header announces it. */
    public int totalLength()
    {
        return readU16(TOTAL_LENGTH_OFFSET);
    }

    public int identification()
    {
        return readU16(IDENTIFICATION_OFFSET);
    }

    /** @return the raw 16 bits: flags in the top three, fragment offset in the low thirteen. */
    public int flagsAndFragmentOffset()
    {
        return readU16(FLAGS_FRAGMENT_OFFSET);
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & IPV4_FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & IPV4_FLAG_MORE_FRAGMENTS) != 0;
    }

    /** @return the fragment offset in units of 8 bytes. */
    public int fragmentOffset()
    {
        return flagsAndFragmentOffset() & IPV4_FRAGMENT_OFFSET_MASK;
    }

    /** @return true for any fragment, first or later: MF set or a non-zero offset. */
    public boolean isFragment()
    {
        return (flagsAndFragmentOffset() & (IPV4_FLAG_MORE_FRAGMENTS | IPV4_FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl()
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    /** Writes the TTL without touching the checksum; see {@link #decrementTtl()}. */
    public Ipv4Flyweight ttl(final int ttl)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        return this;
    }

    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    public int checksum()
    {
        return readU16(CHECKSUM_OFFSET);
    }

    public Ipv4Flyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int sourceAddress()
    {
        return buffer.getInt(offset + SOURCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public int destinationAddress()
    {
        return buffer.getInt(offset + DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** Rewrites the destination address and patches the header checksum (RFC 1624). */
    public Ipv4Flyweight destinationAddress(final int address)
    {
        final int old = destinationAddress();
        buffer.putInt(offset + DESTINATION_OFFSET, address, ByteOrder.BIG_ENDIAN);
        checksum(Checksums.update32(checksum(), old, address));
        return this;
    }

    /** Rewrites the source address and patches the header checksum (RFC 1624). */
    public Ipv4Flyweight sourceAddress(final int address)
    {
        final int old = sourceAddress();
        buffer.putInt(offset + SOURCE_OFFSET, address, ByteOrder.BIG_ENDIAN);
        checksum(Checksums.update32(checksum(), old, address));
        return this;
    }

    /**
     * Takes one off the TTL as a router hop does and patches the checksum incrementally: TTL
     * and protocol share one 16-bit word, so only that word changes. The caller has checked
     * that the TTL is above 1.
     */
    public Ipv4Flyweight decrementTtl()
    {
        final int oldWord = readU16(TTL_OFFSET);
        final int newWord = oldWord - 0x0100;
        buffer.putShort(offset + TTL_OFFSET, (short)newWord, ByteOrder.BIG_ENDIAN);
        checksum(Checksums.update16(checksum(), oldWord, newWord));
        return this;
    }

    /** @return the checksum the header should carry, computed from scratch over IHL * 4 bytes. */
    public int computeChecksum()
    {
        return Checksums.ipv4HeaderChecksum(buffer, offset, headerLength());
    }

    public boolean checksumValid()
    {
        return Checksums.ipv4HeaderChecksumValid(buffer, offset, headerLength());
    }

    private int readU16(final int relativeOffset)
    {
        return buffer.getShort(offset + relativeOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
