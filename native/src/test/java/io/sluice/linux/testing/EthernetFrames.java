package io.sluice.linux.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds Ethernet/IPv4/UDP frames for tests, with a correct IPv4 header checksum (UDP checksum 0). */
public final class EthernetFrames
{
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;

    private EthernetFrames()
    {
    }

    /** An untagged IPv4/UDP frame. */
    public static byte[] udp(
        final long destinationMac, final long sourceMac, final int sourceIp, final int destinationIp,
        final int sourcePort, final int destinationPort, final byte[] payload)
    {
        return udp(destinationMac, sourceMac, -1, 0, sourceIp, destinationIp, sourcePort, destinationPort, payload);
    }

    /**
     * @param tagTpid -1 for no VLAN tag, else the tag's TPID (0x8100 or 0x88a8), with {@code tagTci}.
     */
    public static byte[] udp(
        final long destinationMac, final long sourceMac, final int tagTpid, final int tagTci,
        final int sourceIp, final int destinationIp, final int sourcePort, final int destinationPort, final byte[] payload)
    {
        final int tagBytes = tagTpid < 0 ? 0 : 4;
        final ByteBuffer frame = ByteBuffer.allocate(14 + tagBytes + 20 + 8 + payload.length).order(ByteOrder.BIG_ENDIAN);
        putMac(frame, destinationMac);
        putMac(frame, sourceMac);
        if (tagTpid >= 0)
        {
            frame.putShort((short)tagTpid).putShort((short)tagTci);
        }
        frame.putShort((short)ETHERTYPE_IPV4);
        final int ipStart = frame.position();
        frame.put((byte)0x45).put((byte)0).putShort((short)(20 + 8 + payload.length));
        frame.putShort((short)0x1234).putShort((short)0x4000);
        frame.put((byte)64).put((byte)17).putShort((short)0);
        frame.putInt(sourceIp).putInt(destinationIp);
        frame.putShort(ipStart + 10, ipv4Checksum(frame, ipStart));
        frame.putShort((short)sourcePort).putShort((short)destinationPort).putShort((short)(8 + payload.length)).putShort((short)0);
        frame.put(payload);
        return frame.array();
    }

    /** A frame of the given ethertype with filler after the Ethernet header (ARP, IPv6, ...). */
    public static byte[] other(final long destinationMac, final long sourceMac, final int ethertype, final int bodyLength)
    {
        final ByteBuffer frame = ByteBuffer.allocate(14 + bodyLength).order(ByteOrder.BIG_ENDIAN);
        putMac(frame, destinationMac);
        putMac(frame, sourceMac);
        frame.putShort((short)ethertype);
        return frame.array();
    }

    private static void putMac(final ByteBuffer frame, final long mac)
    {
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            frame.put((byte)(mac >>> shift));
        }
    }

    private static short ipv4Checksum(final ByteBuffer frame, final int start)
    {
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += frame.getShort(start + i) & 0xFFFF;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (short)~sum;
    }
}
