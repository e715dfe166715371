package io.sluice.forwarder.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

final class Ipv4FlyweightTest
{
    /**
     * 198.19.0.1 -> 198.18.1.1, TTL 64, DF, id 0x1234, total length 40, as scapy builds it; the TCP
     * flags turned from SYN into SYN-ACK afterwards (the TCP checksum is not rechecked here).
     */
    private static final byte[] HEADER_AND_TCP = {
        0x45, 0x00, 0x00, 0x28, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, (byte)0x9b, 0x74,
        (byte)0xc6, 0x13, 0x00, 0x01, (byte)0xc6, 0x12, 0x01, 0x01,
        (byte)0x9c, 0x40, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
        0x50, 0x12, (byte)0xfa, (byte)0xf0, (byte)0x87, 0x33, 0x00, 0x00
    };
    private static final int OFFSET = 3;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();

    @Test
    void readsEveryField()
    {
        wrap();
        assertThat(ipv4.version()).isEqualTo(4);
        assertThat(ipv4.ihl()).isEqualTo(5);
        assertThat(ipv4.headerLength()).isEqualTo(20);
        assertThat(ipv4.typeOfService()).isZero();
        assertThat(ipv4.totalLength()).isEqualTo(40);
        assertThat(ipv4.identification()).isEqualTo(0x1234);
        assertThat(ipv4.dontFragment()).isTrue();
        assertThat(ipv4.moreFragments()).isFalse();
        assertThat(ipv4.fragmentOffset()).isZero();
        assertThat(ipv4.isFragment()).isFalse();
        assertThat(ipv4.ttl()).isEqualTo(64);
        assertThat(ipv4.protocol()).isEqualTo(PacketConstants.IP_PROTOCOL_TCP);
        assertThat(ipv4.checksum()).isEqualTo(0x9B74);
        assertThat(ipv4.sourceAddress()).isEqualTo(0xC613_0001);
        assertThat(ipv4.destinationAddress()).isEqualTo(0xC612_0101);
        assertThat(ipv4.checksumValid()).isTrue();
        assertThat(ipv4.computeChecksum()).isEqualTo(0x9B74);
    }

    @Test
    void fragmentsAreRecognised()
    {
        wrap();
        buffer.putShort(OFFSET + 6, (short)0x2000, ByteOrder.BIG_ENDIAN);
        assertThat(ipv4.moreFragments()).isTrue();
        assertThat(ipv4.isFragment()).isTrue();
        buffer.putShort(OFFSET + 6, (short)0x00B9, ByteOrder.BIG_ENDIAN);
        assertThat(ipv4.fragmentOffset()).isEqualTo(185);
        assertThat(ipv4.isFragment()).isTrue();
        buffer.putShort(OFFSET + 6, (short)0x4000, ByteOrder.BIG_ENDIAN);
        assertThat(ipv4.isFragment()).isFalse();
    }

    @Test
    void decrementTtlKeepsTheChecksumValid()
    {
        wrap();
        for (int ttl = 64; ttl > 1; ttl--)
        {
            ipv4.decrementTtl();
            assertThat(ipv4.ttl()).isEqualTo(ttl - 1);
            assertThat(ipv4.protocol()).isEqualTo(PacketConstants.IP_PROTOCOL_TCP);
            assertThat(ipv4.checksumValid()).as("after TTL %d", ttl - 1).isTrue();
        }
        assertThat(ipv4.checksum()).isEqualTo(ipv4.computeChecksum());
    }

    @Test
    void addressRewritesKeepTheChecksumValid()
    {
        wrap();
        ipv4.destinationAddress(0xC612_000B);
        assertThat(ipv4.destinationAddress()).isEqualTo(0xC612_000B);
        assertThat(ipv4.checksumValid()).isTrue();
        ipv4.sourceAddress(0x0A00_0001);
        assertThat(ipv4.sourceAddress()).isEqualTo(0x0A00_0001);
        assertThat(ipv4.checksumValid()).isTrue();
    }

    @Test
    void tcpFlyweightReadsTheSegment()
    {
        wrap();
        final TcpFlyweight tcp = new TcpFlyweight().wrap(buffer, OFFSET + 20, 20);
        assertThat(tcp.sourcePort()).isEqualTo(40000);
        assertThat(tcp.destinationPort()).isEqualTo(80);
        assertThat(tcp.sequenceNumber()).isEqualTo(0x0102_0304);
        assertThat(tcp.acknowledgmentNumber()).isZero();
        assertThat(tcp.headerLength()).isEqualTo(20);
        assertThat(tcp.flags()).isEqualTo(PacketConstants.TCP_SYN | PacketConstants.TCP_ACK);
        assertThat(tcp.hasFlags(PacketConstants.TCP_SYN)).isTrue();
        assertThat(tcp.hasFlags(PacketConstants.TCP_SYN | PacketConstants.TCP_FIN)).isFalse();
        assertThat(tcp.window()).isEqualTo(64240);
        assertThat(tcp.checksum()).isEqualTo(0x8733);
        tcp.destinationPort(8080);
        assertThat(buffer.getShort(OFFSET + 22, ByteOrder.BIG_ENDIAN)).isEqualTo((short)8080);
    }

    @Test
    void udpFlyweightReadsTheDatagram()
    {
        final byte[] udp = {0x14, (byte)0xe9, 0x00, 0x35, 0x00, 0x0e, 0x11, 0x51};
        buffer.putBytes(OFFSET, udp);
        final UdpFlyweight flyweight = new UdpFlyweight().wrap(buffer, OFFSET, 14);
        assertThat(flyweight.sourcePort()).isEqualTo(5353);
        assertThat(flyweight.destinationPort()).isEqualTo(53);
        assertThat(flyweight.datagramLength()).isEqualTo(14);
        assertThat(flyweight.checksum()).isEqualTo(0x1151);
        flyweight.sourcePort(65535);
        assertThat(flyweight.sourcePort()).isEqualTo(65535);
    }

    private void wrap()
    {
        buffer.putBytes(OFFSET, HEADER_AND_TCP);
        ipv4.wrap(buffer, OFFSET, HEADER_AND_TCP.length);
    }
}
