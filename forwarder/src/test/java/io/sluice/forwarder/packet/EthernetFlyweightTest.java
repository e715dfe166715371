package io.sluice.forwarder.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

final class EthernetFlyweightTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final EthernetFlyweight ethernet = new EthernetFlyweight();

    @Test
    void readsAndWritesMacsInWireOrder()
    {
        final byte[] macs = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55, (byte)0xAA, (byte)0xBB, (byte)0xCC, (byte)0xDD, (byte)0xEE, (byte)0xFF};
        buffer.putBytes(10, macs);
        ethernet.wrap(buffer, 10, 60);
        assertThat(ethernet.destinationMac()).isEqualTo(0x0211_2233_4455L);
        assertThat(ethernet.sourceMac()).isEqualTo(0xAABB_CCDD_EEFFL);

        ethernet.destinationMac(0x0200_0000_0011L).sourceMac(0xFEDC_BA98_7654L);
        assertThat(buffer.getByte(10)).isEqualTo((byte)0x02);
        assertThat(buffer.getByte(15)).isEqualTo((byte)0x11);
        assertThat(buffer.getByte(16)).isEqualTo((byte)0xFE);
        assertThat(buffer.getByte(21)).isEqualTo((byte)0x54);
        assertThat(buffer.getByte(9)).as("nothing written before the frame").isZero();
        assertThat(buffer.getShort(22)).as("nothing written after the MACs").isZero();
    }

    @Test
    void untaggedFrame()
    {
        etherTypeAt(12, PacketConstants.ETHER_TYPE_IPV4);
        ethernet.wrap(buffer, 0, 60);
        assertThat(ethernet.headerLength()).isEqualTo(14);
        assertThat(ethernet.tagCount()).isZero();
        assertThat(ethernet.etherType()).isEqualTo(PacketConstants.ETHER_TYPE_IPV4);
        assertThat(ethernet.payloadOffset()).isEqualTo(14);
        assertThat(ethernet.payloadLength()).isEqualTo(46);
    }

    @Test
    void singleVlanTag()
    {
        etherTypeAt(12, PacketConstants.ETHER_TYPE_VLAN);
        etherTypeAt(14, 0x0123);
        etherTypeAt(16, PacketConstants.ETHER_TYPE_IPV4);
        ethernet.wrap(buffer, 0, 60);
        assertThat(ethernet.headerLength()).isEqualTo(18);
        assertThat(ethernet.tagCount()).isOne();
        assertThat(ethernet.vlanId(0)).isEqualTo(0x123);
        assertThat(ethernet.outerEtherType()).isEqualTo(PacketConstants.ETHER_TYPE_VLAN);
        assertThat(ethernet.etherType()).isEqualTo(PacketConstants.ETHER_TYPE_IPV4);
    }

    @Test
    void qinq()
    {
        etherTypeAt(12, PacketConstants.ETHER_TYPE_QINQ);
        etherTypeAt(14, 0xE00A); // priority bits set, VLAN 10
        etherTypeAt(16, PacketConstants.ETHER_TYPE_VLAN);
        etherTypeAt(18, 20);
        etherTypeAt(20, PacketConstants.ETHER_TYPE_IPV4);
        ethernet.wrap(buffer, 0, 60);
        assertThat(ethernet.headerLength()).isEqualTo(22);
        assertThat(ethernet.tagCount()).isEqualTo(2);
        assertThat(ethernet.vlanId(0)).isEqualTo(10);
        assertThat(ethernet.vlanId(1)).isEqualTo(20);
        assertThat(ethernet.etherType()).isEqualTo(PacketConstants.ETHER_TYPE_IPV4);
    }

    @Test
    void aThirdTagIsReportedAsTheEtherType()
    {
        etherTypeAt(12, PacketConstants.ETHER_TYPE_QINQ);
        etherTypeAt(16, PacketConstants.ETHER_TYPE_VLAN);
        etherTypeAt(20, PacketConstants.ETHER_TYPE_VLAN);
        etherTypeAt(24, PacketConstants.ETHER_TYPE_IPV4);
        ethernet.wrap(buffer, 0, 60);
        assertThat(ethernet.tagCount()).isEqualTo(2);
        assertThat(ethernet.etherType()).isEqualTo(PacketConstants.ETHER_TYPE_VLAN);
    }

    @Test
    void truncatedHeadersAndTags()
    {
        etherTypeAt(12, PacketConstants.ETHER_TYPE_IPV4);
        assertThat(ethernet.wrap(buffer, 0, 13).headerLength()).isEqualTo(EthernetFlyweight.TRUNCATED);
        assertThat(ethernet.wrap(buffer, 0, 14).headerLength()).isEqualTo(14);

        etherTypeAt(12, PacketConstants.ETHER_TYPE_VLAN);
        etherTypeAt(16, PacketConstants.ETHER_TYPE_VLAN);
        etherTypeAt(20, PacketConstants.ETHER_TYPE_IPV4);
        assertThat(ethernet.wrap(buffer, 0, 17).headerLength()).isEqualTo(EthernetFlyweight.TRUNCATED);
        assertThat(ethernet.wrap(buffer, 0, 21).headerLength()).isEqualTo(EthernetFlyweight.TRUNCATED);
        assertThat(ethernet.wrap(buffer, 0, 22).headerLength()).isEqualTo(22);
        assertThat(ethernet.wrap(buffer, 0, 0).etherType()).isZero();
    }

    private void etherTypeAt(final int index, final int value)
    {
        buffer.putShort(index, (short)value, ByteOrder.BIG_ENDIAN);
    }
}
