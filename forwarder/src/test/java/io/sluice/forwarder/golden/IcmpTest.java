package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ICMP to a VIP address: a ping is answered from the same frame; an error about a VIP's flow
 * goes on to that flow's real; anything else is counted and dropped.
 */
final class IcmpTest
{
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final long CLIENT_MAC = 0x0200_0000_00FEL;
    private static final String CLIENT = "198.19.0.7";
    private static final String VIP = "198.18.1.1";
    private static final int IP = 14;
    private static final int ICMP = IP + 20;
    private static final byte[] DATA = "sluice ping data 0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final TestTables tables = new TestTables();
    private final FlowTable flows = new FlowTable(1024);
    private final WorkerCounters counters = tables.workerCounters(0);
    private final PacketProcessor processor = new PacketProcessor(0, flows, counters);
    private final ForwardingTable table = new ForwardingTable(new VipEntry[]{
        tables.vip(VIP + ":80/tcp", tables.real(1, "198.18.0.11", 0x0200_0000_0011L), tables.real(2, "198.18.0.12", 0x0200_0000_0012L)) }, 1);

    IcmpTest()
    {
        processor.localMac(LOCAL_MAC);
    }

    @AfterEach
    void close()
    {
        counters.close();
        flows.close();
    }

    @Test
    void anEchoRequestToAVipAddressIsAnsweredInPlace()
    {
        final UnsafeBuffer frame = echo(VIP, 8, 0x1234, 7);

        assertThat(processor.process(frame, 0, frame.capacity(), table, 0)).isEqualTo(PacketProcessor.FORWARD);

        assertThat(frame.getLong(0, ByteOrder.BIG_ENDIAN) >>> 16).as("to the client's MAC").isEqualTo(CLIENT_MAC);
        assertThat((frame.getLong(6, ByteOrder.BIG_ENDIAN) >>> 16)).as("from ours").isEqualTo(LOCAL_MAC);
        assertThat(frame.getInt(IP + 12, ByteOrder.BIG_ENDIAN)).as("from the VIP").isEqualTo(Ipv4.parse(VIP));
        assertThat(frame.getInt(IP + 16, ByteOrder.BIG_ENDIAN)).as("to the client").isEqualTo(Ipv4.parse(CLIENT));
        assertThat(frame.getByte(IP + 8) & 0xFF).as("TTL").isEqualTo(64);
        assertThat(Checksums.ipv4HeaderChecksumValid(frame, IP, 20)).isTrue();
        assertThat(frame.getByte(ICMP) & 0xFF).as("echo reply").isZero();
        assertThat(frame.getShort(ICMP + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("identifier").isEqualTo(0x1234);
        assertThat(frame.getShort(ICMP + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("sequence").isEqualTo(7);
        final byte[] data = new byte[DATA.length];
        frame.getBytes(ICMP + 8, data);
        assertThat(data).isEqualTo(DATA);
        assertThat(Checksums.fold(Checksums.sum(frame, ICMP, 8 + DATA.length, 0))).as("ICMP checksum").isEqualTo(0xFFFF);
        assertThat(counters.icmpEchoReplies.get()).isOne();
        assertThat(tables.vip(VIP + ":80/tcp").packetsByWorker()[0].get()).as("not counted as VIP traffic").isZero();
    }

    @Test
    void otherIcmpIsCountedAndDropped()
    {
        assertThat(processor.process(echo("198.18.1.99", 8, 1, 1), 0, 34 + 8 + DATA.length, table, 0))
            .as("a ping to an address that is no VIP's").isEqualTo(DropReason.NOT_A_VIP.code());
        assertThat(processor.process(echo(VIP, 13, 1, 1), 0, 34 + 8 + DATA.length, table, 0))
            .as("a timestamp request").isEqualTo(DropReason.ICMP_OTHER.code());
        final UnsafeBuffer corrupt = echo(VIP, 8, 1, 1);
        corrupt.putByte(ICMP + 9, (byte)(corrupt.getByte(ICMP + 9) ^ 1));
        assertThat(processor.process(corrupt, 0, corrupt.capacity(), table, 0)).isEqualTo(DropReason.BAD_CHECKSUM.code());
        final UnsafeBuffer shortMessage = echo(VIP, 8, 1, 1);
        assertThat(processor.process(shortMessage, 0, 34 + 7, table, 0)).as("less than an ICMP header")
            .isIn(DropReason.TRUNCATED.code(), DropReason.BAD_IPV4_HEADER.code());
        assertThat(counters.drops(DropReason.ICMP_OTHER).get()).isOne();
        assertThat(counters.drops(DropReason.BAD_CHECKSUM).get()).isOne();
        assertThat(counters.icmpEchoReplies.get()).isZero();
    }

    @Test
    void anErrorAboutAFlowGoesToTheFlowsRealFromAnyWorker()
    {
        final long[] realOf = new long[20];
        for (int port = 0; port < realOf.length; port++)
        {
            final UnsafeBuffer syn = new UnsafeBuffer(PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv4(CLIENT, VIP).tcp(40000 + port, 80).build());
            assertThat(processor.process(syn, 0, syn.capacity(), table, 0)).isEqualTo(PacketProcessor.FORWARD);
            realOf[port] = syn.getLong(0, ByteOrder.BIG_ENDIAN) >>> 16;
        }
        assertThat(realOf).as("the flows are spread, so the test can tell reals apart").contains(0x0200_0000_0011L, 0x0200_0000_0012L);

        try (FlowTable empty = new FlowTable(1024); WorkerCounters otherCounters = tables.workerCounters(1))
        {
            final PacketProcessor otherWorker = new PacketProcessor(1, empty, otherCounters);
            otherWorker.localMac(LOCAL_MAC);
            for (int port = 0; port < realOf.length; port++)
            {
                for (final PacketProcessor worker : new PacketProcessor[]{ processor, otherWorker })
                {
                    final UnsafeBuffer error = fragmentationNeeded(40000 + port);
                    assertThat(worker.process(error, 0, error.capacity(), table, 1)).isEqualTo(PacketProcessor.FORWARD);
                    assertThat(error.getLong(0, ByteOrder.BIG_ENDIAN) >>> 16).as("flow %d's real", port).isEqualTo(realOf[port]);
                    assertThat(error.getLong(6, ByteOrder.BIG_ENDIAN) >>> 16).isEqualTo(LOCAL_MAC);
                    assertThat(error.getByte(IP + 8) & 0xFF).as("TTL, one hop less").isEqualTo(63);
                    assertThat(Checksums.ipv4HeaderChecksumValid(error, IP, 20)).isTrue();
                    assertThat(error.getInt(IP + 16, ByteOrder.BIG_ENDIAN)).as("still to the VIP").isEqualTo(Ipv4.parse(VIP));
                }
            }
            assertThat(counters.icmpErrorsRelayed.get() + otherCounters.icmpErrorsRelayed.get()).isEqualTo(2L * realOf.length);
        }
    }

    @Test
    void anErrorAboutNoVipsFlowIsDropped()
    {
        final byte[] quotesAnotherPort = quoted(Ipv4.parse(VIP), 81, 40000);
        assertThat(processor.process(icmp(VIP, 3, 4, quotesAnotherPort), 0, 34 + 8 + quotesAnotherPort.length, table, 0))
            .isEqualTo(DropReason.ICMP_NO_FLOW.code());
        final byte[] tooShort = Arrays.copyOf(quoted(Ipv4.parse(VIP), 80, 40000), 20);
        assertThat(processor.process(icmp(VIP, 11, 0, tooShort), 0, 34 + 8 + tooShort.length, table, 0))
            .isEqualTo(DropReason.ICMP_NO_FLOW.code());
        assertThat(counters.drops(DropReason.ICMP_NO_FLOW).get()).isEqualTo(2);
    }

    /** Type 3 code 4 from a router, quoting the VIP's packet to the client's port (as the real sent it, by DSR). */
    private static UnsafeBuffer fragmentationNeeded(final int clientPort)
    {
        return icmp(VIP, 3, 4, quoted(Ipv4.parse(VIP), 80, clientPort));
    }

    /** An IPv4 header (VIP to client, TCP) and the first 8 bytes of its TCP header. */
    private static byte[] quoted(final int source, final int sourcePort, final int destinationPort)
    {
        final UnsafeBuffer header = new UnsafeBuffer(new byte[28]);
        header.putInt(0, 0x4500_05DC, ByteOrder.BIG_ENDIAN);
        header.putInt(4, 0x0000_4000, ByteOrder.BIG_ENDIAN);
        header.putInt(8, 0x3F06_0000, ByteOrder.BIG_ENDIAN);
        header.putInt(12, source, ByteOrder.BIG_ENDIAN);
        header.putInt(16, Ipv4.parse(CLIENT), ByteOrder.BIG_ENDIAN);
        header.putShort(20, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        header.putShort(22, (short)destinationPort, ByteOrder.BIG_ENDIAN);
        return header.byteArray();
    }

    private static UnsafeBuffer echo(final String destination, final int type, final int identifier, final int sequence)
    {
        final byte[] body = new byte[4 + DATA.length];
        body[0] = (byte)(identifier >>> 8);
        body[1] = (byte)identifier;
        body[2] = (byte)(sequence >>> 8);
        body[3] = (byte)sequence;
        System.arraycopy(DATA, 0, body, 4, DATA.length);
        return icmpFrame(destination, type, 0, body);
    }

    /** An ICMP error: 4 unused bytes, then {@code quoted}. */
    static UnsafeBuffer icmp(final String destination, final int type, final int code, final byte[] quoted)
    {
        final byte[] rest = new byte[4 + quoted.length];
        System.arraycopy(quoted, 0, rest, 4, quoted.length);
        return icmpFrame(destination, type, code, rest);
    }

    /**
     * An Ethernet + IPv4 + ICMP frame with valid checksums; {@code rest} is everything after the
     * ICMP type, code and checksum (identifier and sequence, or unused and MTU, then the data).
     */
    private static UnsafeBuffer icmpFrame(final String destination, final int type, final int code, final byte[] rest)
    {
        final int icmpLength = 4 + rest.length;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[ICMP + icmpLength]);
        frame.putLong(0, LOCAL_MAC << 16 | CLIENT_MAC >>> 32, ByteOrder.BIG_ENDIAN);
        frame.putInt(8, (int)CLIENT_MAC, ByteOrder.BIG_ENDIAN);
        frame.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        frame.putInt(IP, 0x4500_0000 | (20 + icmpLength), ByteOrder.BIG_ENDIAN);
        frame.putInt(IP + 4, 0x0000_4000, ByteOrder.BIG_ENDIAN);
        frame.putInt(IP + 8, 0x4001_0000, ByteOrder.BIG_ENDIAN);
        frame.putInt(IP + 12, Ipv4.parse(CLIENT), ByteOrder.BIG_ENDIAN);
        frame.putInt(IP + 16, Ipv4.parse(destination), ByteOrder.BIG_ENDIAN);
        frame.putShort(IP + 10, (short)Checksums.ipv4HeaderChecksum(frame, IP, 20), ByteOrder.BIG_ENDIAN);
        frame.putByte(ICMP, (byte)type);
        frame.putByte(ICMP + 1, (byte)code);
        frame.putBytes(ICMP + 4, rest);
        frame.putShort(ICMP + 2, (short)Checksums.finish(Checksums.sum(frame, ICMP, icmpLength, 0)), ByteOrder.BIG_ENDIAN);
        return frame;
    }
}
