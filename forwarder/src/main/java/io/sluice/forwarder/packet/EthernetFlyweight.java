package io.sluice.forwarder.packet;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.sluice.forwarder.packet.PacketConstants.ETHERNET_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.ETHER_TYPE_QINQ;
import static io.sluice.forwarder.packet.PacketConstants.ETHER_TYPE_VLAN;
import static io.sluice.forwarder.packet.PacketConstants.VLAN_TAG_LENGTH;

/**
 * An Ethernet header read and written in place. Made once, {@link #wrap wrapped} over each
 * frame; wrapping also walks up to two VLAN tags (802.1Q 0x8100, or an 802.1ad 0x88a8 service
 * tag followed by an optional 802.1Q tag) so that {@link #etherType()} is the EtherType of the
 * payload and {@link #payloadOffset()} points at it.
 *
 * <p>MAC addresses travel as a long holding the 48 bits in wire order, first byte most
 * significant: {@code 02:00:00:00:00:11} is {@code 0x0200_0000_0011L}.
 */
public final class EthernetFlyweight
{
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    /** What {@link #headerLength()} returns when the frame ends inside the header or its tags. */
    public static final int TRUNCATED = -1;

    private MutableDirectBuffer buffer;
    private int offset;
    private int length;
    private int headerLength;
    private int tagCount;
    private int etherType;

    /**
     * Points this flyweight at a frame and finds where its payload starts.
     *
     * @param length the bytes of the frame present in the buffer from {@code offset}.
     */
    public EthernetFlyweight wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        headerLength = TRUNCATED;
        tagCount = 0;
        etherType = 0;
        if (length < ETHERNET_HEADER_LENGTH)
        {
            return this;
        }

        int typeOffset = ETHER_TYPE_OFFSET;
        int type = readU16(typeOffset);
        if (type == ETHER_TYPE_QINQ || type == ETHER_TYPE_VLAN)
        {
            typeOffset += VLAN_TAG_LENGTH;
            if (length < typeOffset + 2)
            {
                return this;
            }
            tagCount = 1;
            type = readU16(typeOffset);
            if (type == ETHER_TYPE_VLAN)
            {
                typeOffset += VLAN_TAG_LENGTH;
                if (length < typeOffset + 2)
                {
                    return this;
                }
                tagCount = 2;
                type = readU16(typeOffset);
            }
        }
        etherType = type;
        headerLength = typeOffset + 2;
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

    public int length()
    {
        return length;
    }

    /** @return the bytes before the payload (14, 18 or 22), or {@link #TRUNCATED}. */
    public int headerLength()
    {
        return headerLength;
    }

    /** @return the number of VLAN tags walked (0, 1 or 2). */
    public int tagCount()
    {
        return tagCount;
    }

    /**
     * @return the payload's EtherType after any tags; a third tag's TPID when the frame has
     * more tags than the data path walks, 0 when truncated.
     */
    public int etherType()
    {
        return etherType;
    }

    /** @return the EtherType field right after the MACs: the outer tag's TPID on a tagged frame. */
    public int outerEtherType()
    {
        return readU16(ETHER_TYPE_OFFSET);
    }

    /** @return the 12-bit VLAN id of tag {@code index} (0 = outermost); only valid below {@link #tagCount()}. */
    public int vlanId(final int index)
    {
        return readU16(ETHER_TYPE_OFFSET + 2 + index * VLAN_TAG_LENGTH) & 0x0FFF;
    }

    /** @return the absolute offset in the buffer of the payload (the IP header). */
    public int payloadOffset()
    {
        return offset + headerLength;
    }

    /** @return the frame's bytes after the header (may include Ethernet padding). */
    public int payloadLength()
    {
        return length - headerLength;
    }

    public long destinationMac()
    {
        return readMac(offset + DESTINATION_OFFSET);
    }

    public EthernetFlyweight destinationMac(final long mac)
    {
        writeMac(offset + DESTINATION_OFFSET, mac);
        return this;
    }

    public long sourceMac()
    {
        return readMac(offset + SOURCE_OFFSET);
    }

    public EthernetFlyweight sourceMac(final long mac)
    {
        writeMac(offset + SOURCE_OFFSET, mac);
        return this;
    }

    private int readU16(final int relativeOffset)
    {
        return buffer.getShort(offset + relativeOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    private long readMac(final int index)
    {
        final long high = buffer.getInt(index, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long low = buffer.getShort(index + 4, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
        return (high << 16) | low;
    }

    private void writeMac(final int index, final long mac)
    {
        buffer.putInt(index, (int)(mac >>> 16), ByteOrder.BIG_ENDIAN);
        buffer.putShort(index + 4, (short)mac, ByteOrder.BIG_ENDIAN);
    }
}
