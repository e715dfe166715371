package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.NatFlows;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.PacketConstants;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NAT mode, frame for frame: the client's packet leaves with the real's address and port, the
 * real's reply leaves with the VIP's, both byte for byte what a full recomputation of every
 * checksum gives; replies are found on any worker; FIN and RST shorten a flow's memory.
 */
final class NatTest
{
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final long CLIENT_MAC = 0x0200_0000_00FEL;
    private static final String CLIENT = "198.19.0.7";
    private static final String VIP = "198.18.1.1";
    private static final int VIP_PORT = 80;
    private static final int REAL_PORT = 8080;
    private static final long REAL1_MAC = 0x0200_0000_0011L;
    private static final long REAL2_MAC = 0x0200_0000_0012L;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int FIN_ACK = 0x11;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    private final TestTables tables = new TestTables();
    private final FlowTable flows0 = new FlowTable(1024);
    private final FlowTable flows1 = new FlowTable(1024);
    private final FlowTable replies0 = FlowTable.withPayload(1024);
    private final FlowTable replies1 = FlowTable.withPayload(1024);
    private final WorkerCounters counters0 = tables.workerCounters(0);
    private final WorkerCounters counters1 = tables.workerCounters(1);
    private final PacketProcessor worker0 = new PacketProcessor(0, flows0, new NatFlows(replies0), counters0);
    private final PacketProcessor worker1 = new PacketProcessor(1, flows1, new NatFlows(replies1), counters1);
    private final RealEntry real1 = tables.real(1, "198.18.0.11", REAL_PORT, 100, REAL1_MAC);
    private final RealEntry real2 = tables.real(2, "198.18.0.12", REAL_PORT, 100, REAL2_MAC);
    private final ForwardingTable table = new ForwardingTable(new VipEntry[]{
        tables.vip(VIP + ":80/tcp", ForwardingMode.NAT, SchedulerKind.MAGLEV, real1, real2),
        tables.vip(VIP + ":53/udp", ForwardingMode.NAT, SchedulerKind.MAGLEV, real1, real2),
        tables.vip(VIP + ":81/tcp", ForwardingMode.NAT, SchedulerKind.ROUND_ROBIN, real1, real2) }, 1);

    NatTest()
    {
        worker0.localMac(LOCAL_MAC);
        worker1.localMac(LOCAL_MAC);
    }

    @AfterEach
    void close()
    {
        counters0.close();
        counters1.close();
        flows0.close();
        flows1.close();
        replies0.close();
        replies1.close();
    }

    @Test
    void theClientsPacketLeavesForTheRealsAddressAndPort()
    {
        for (final int port : new int[]{ 40000, 40001, 40002, 40003 })
        {
            final byte[] sent = fromClient().tcp(port, VIP_PORT).payload("GET / HTTP/1.1\r\n").build();
            final RealEntry real = forward(worker0, sent, 0);
            final byte[] expected = PacketBuilder.ethernet(real.mac(), LOCAL_MAC).ipv4(CLIENT, Ipv4.format(real.ipv4()))
                .ttl(63).tcp(port, REAL_PORT).payload("GET / HTTP/1.1\r\n").build();
            assertThat(Hex.dump(lastFrame)).as("port %d", port).isEqualTo(Hex.dump(expected));
        }
    }

    @Test
    void udpIsTranslatedAndAMissingChecksumStaysMissing()
    {
        final byte[] sent = fromClient().udp(5353, 53).payload("query").build();
        final RealEntry real = forward(worker0, sent, 0);
        final byte[] expected = PacketBuilder.ethernet(real.mac(), LOCAL_MAC).ipv4(CLIENT, Ipv4.format(real.ipv4()))
            .ttl(63).udp(5353, REAL_PORT).payload("query").build();
        assertThat(Hex.dump(lastFrame)).isEqualTo(Hex.dump(expected));

        final byte[] unchecked = withoutUdpChecksum(fromClient().udp(5354, 53).payload("query").build());
        final RealEntry other = forward(worker0, unchecked, 0);
        assertThat(Hex.dump(lastFrame)).isEqualTo(Hex.dump(withoutUdpChecksum(
            PacketBuilder.ethernet(other.mac(), LOCAL_MAC).ipv4(CLIENT, Ipv4.format(other.ipv4()))
                .ttl(63).udp(5354, REAL_PORT).payload("query").build())));
    }

    @Test
    void theRealsReplyLeavesFromTheVipToTheClientsMac()
    {
        final RealEntry real = forward(worker0, fromClient().tcp(40000, VIP_PORT).build(), 0);
        final byte[] reply = fromReal(real).tcp(REAL_PORT, 40000).tcpFlags(0x12).payload("hello").build();

        assertThat(process(worker0, reply, SECOND)).isEqualTo(PacketProcessor.FORWARD);

        final byte[] expected = PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC).ipv4(VIP, CLIENT).ttl(63)
            .tcp(VIP_PORT, 40000).tcpFlags(0x12).payload("hello").build();
        assertThat(Hex.dump(lastFrame)).isEqualTo(Hex.dump(expected));
        assertThat(counters0.natReplies.get()).isOne();
    }

    @Test
    void aReplyReachingAnotherWorkerIsTranslatedFromTheWorkerThatSawTheClient()
    {
        final RealEntry real = forward(worker0, fromClient().udp(40000, 53).build(), 0);
        final byte[] reply = fromReal(real).udp(REAL_PORT, 40000).payload("answer").build();

        assertThat(process(worker1, reply, SECOND)).as("worker 1 knows no other table yet")
            .isEqualTo(DropReason.NAT_NO_FLOW.code());

        final FlowTable[] all = { replies0, replies1 };
        worker0.nat().peers(all);
        worker1.nat().peers(all);
        assertThat(process(worker1, reply, SECOND)).isEqualTo(PacketProcessor.FORWARD);
        assertThat(Hex.dump(lastFrame)).isEqualTo(Hex.dump(
            PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC).ipv4(VIP, CLIENT).ttl(63).udp(53, 40000).payload("answer").build()));
        assertThat(counters1.natReplies.get()).isOne();
        assertThat(counters1.drops(DropReason.NAT_NO_FLOW).get()).isOne();

        // The client falls silent while the real streams: its side (UDP, 30 s) is forgotten, the
        // copy on the worker the replies reach lives on as long as they come.
        for (long t = 20; t <= 100; t += 20)
        {
            assertThat(process(worker1, reply, t * SECOND)).as("a reply %d s on", t).isEqualTo(PacketProcessor.FORWARD);
        }
        assertThat(process(worker0, reply, 100 * SECOND)).as("the first worker's own entry is gone; it reads the second's copy")
            .isEqualTo(PacketProcessor.FORWARD);
        assertThat(replies0.countLive(100 * SECOND)).as("live entries in the first worker's table, its own copy made anew").isOne();
    }

    @Test
    void packetsFromARealThatAnswerNoFlowAreCountedAndOtherSourcesAreNotAVip()
    {
        final byte[] stray = fromReal(real1).tcp(REAL_PORT, 40000).tcpFlags(ACK).build();
        assertThat(process(worker0, stray, 0)).isEqualTo(DropReason.NAT_NO_FLOW.code());

        final byte[] otherPort = fromReal(real1).tcp(22, 40000).tcpFlags(ACK).build();
        assertThat(process(worker0, otherPort, 0)).isEqualTo(DropReason.NOT_A_VIP.code());
        assertThat(counters0.drops(DropReason.NAT_NO_FLOW).get()).isOne();
        assertThat(counters0.drops(DropReason.NOT_A_VIP).get()).isOne();
    }

    @Test
    void aFinShortensTheFlowsMemoryBothWaysAndARstShortensItMore()
    {
        final RealEntry open = forward(worker0, fromClient().tcp(40000, VIP_PORT).build(), 0);
        final RealEntry finished = forward(worker0, fromClient().tcp(40001, VIP_PORT).build(), 0);
        final RealEntry reset = forward(worker0, fromClient().tcp(40002, VIP_PORT).build(), 0);
        forward(worker0, fromClient().tcp(40001, VIP_PORT).tcpFlags(FIN_ACK).build(), SECOND);
        forward(worker0, fromClient().tcp(40002, VIP_PORT).tcpFlags(RST).build(), SECOND);

        final long twelveSeconds = 12 * SECOND;
        assertThat(process(worker0, fromReal(reset).tcp(REAL_PORT, 40002).tcpFlags(ACK).build(), twelveSeconds))
            .as("11 s after a RST").isEqualTo(DropReason.NAT_NO_FLOW.code());
        assertThat(process(worker0, fromReal(finished).tcp(REAL_PORT, 40001).tcpFlags(ACK).build(), twelveSeconds))
            .as("11 s after a FIN").isEqualTo(PacketProcessor.FORWARD);

        final long aMinuteAfterTheFin = twelveSeconds + 61 * SECOND;
        assertThat(process(worker0, fromReal(finished).tcp(REAL_PORT, 40001).tcpFlags(ACK).build(), aMinuteAfterTheFin))
            .as("61 s after the reply that followed the FIN").isEqualTo(DropReason.NAT_NO_FLOW.code());
        assertThat(process(worker0, fromReal(open).tcp(REAL_PORT, 40000).tcpFlags(ACK).build(), aMinuteAfterTheFin))
            .as("an open connection, idle as long").isEqualTo(PacketProcessor.FORWARD);
    }

    @Test
    void aFinFromTheRealShortensTheReplysMemoryToo()
    {
        final RealEntry real = forward(worker0, fromClient().tcp(40000, VIP_PORT).build(), 0);
        assertThat(process(worker0, fromReal(real).tcp(REAL_PORT, 40000).tcpFlags(FIN_ACK).build(), SECOND))
            .isEqualTo(PacketProcessor.FORWARD);
        assertThat(process(worker0, fromReal(real).tcp(REAL_PORT, 40000).tcpFlags(ACK).build(), 63 * SECOND))
            .isEqualTo(DropReason.NAT_NO_FLOW.code());
    }

    @Test
    void aSynOnAClosedFlowStartsANewFlowWhileOtherSegmentsKeepTheirReal()
    {
        final int port = 81;
        final RealEntry first = forward(worker0, fromClient().tcp(40000, port).build(), 0);
        forward(worker0, fromClient().tcp(40001, port).build(), 0); // the rotation moves on: A, B, A, then B
        forward(worker0, fromClient().tcp(40002, port).build(), 0);
        assertThat(forward(worker0, fromClient().tcp(40000, port).tcpFlags(ACK).build(), SECOND)).isEqualTo(first);
        assertThat(forward(worker0, fromClient().tcp(40000, port).tcpFlags(FIN_ACK).build(), SECOND)).isEqualTo(first);
        assertThat(forward(worker0, fromClient().tcp(40000, port).tcpFlags(ACK).build(), 2 * SECOND))
            .as("the last ACK of the close").isEqualTo(first);

        final RealEntry reopened = forward(worker0, fromClient().tcp(40000, port).build(), 3 * SECOND);
        assertThat(reopened).as("a new connection on the same port, scheduled afresh").isNotEqualTo(first);
        assertThat(process(worker0, fromReal(reopened).tcp(REAL_PORT, 40000).tcpFlags(0x12).build(), 3 * SECOND))
            .isEqualTo(PacketProcessor.FORWARD);
        assertThat(lastFrame[14 + 8] & 0xFF).isEqualTo(63);
        assertThat(counters0.flowsCreated.get()).isEqualTo(4);
    }

    @Test
    void anIcmpErrorAboutANatFlowReachesTheRealWithTheQuoteTranslatedBack()
    {
        final RealEntry real = forward(worker0, fromClient().tcp(40000, VIP_PORT).build(), 0);
        final byte[] quote = quotedReply(40000);
        final UnsafeBuffer error = IcmpTest.icmp(VIP, 3, 4, quote);

        assertThat(worker0.process(error, 0, error.capacity(), table, SECOND)).isEqualTo(PacketProcessor.FORWARD);

        final int ip = 14;
        final int icmp = ip + 20;
        final int quoted = icmp + 8;
        assertThat(error.getLong(0, ByteOrder.BIG_ENDIAN) >>> 16).isEqualTo(real.mac());
        assertThat(error.getInt(ip + 16, ByteOrder.BIG_ENDIAN)).as("to the real's address").isEqualTo(real.ipv4());
        assertThat(Checksums.ipv4HeaderChecksumValid(error, ip, 20)).isTrue();
        assertThat(Checksums.fold(Checksums.sum(error, icmp, error.capacity() - icmp, 0))).as("ICMP checksum").isEqualTo(0xFFFF);
        assertThat(error.getInt(quoted + 12, ByteOrder.BIG_ENDIAN)).as("quoted source").isEqualTo(real.ipv4());
        assertThat(error.getShort(quoted + 20, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("quoted source port").isEqualTo(REAL_PORT);
        assertThat(Checksums.ipv4HeaderChecksumValid(error, quoted, 20)).as("quoted header checksum").isTrue();
        assertThat(counters0.icmpErrorsRelayed.get()).isOne();
    }

    @Test
    void anIcmpErrorARealSendsAClientLeavesFromTheVipQuotingTheVip()
    {
        final RealEntry real = forward(worker0, fromClient().udp(5353, 53).payload("query").build(), 0);
        final byte[] quote = java.util.Arrays.copyOfRange(lastFrame, 14, 14 + 28); // the datagram as the real got it
        final byte[] message = new byte[8 + quote.length];
        message[0] = 3; // destination unreachable
        message[1] = 3; // port unreachable
        System.arraycopy(quote, 0, message, 8, quote.length);
        final int checksum = Checksums.finish(Checksums.sum(new UnsafeBuffer(message), 0, message.length, 0));
        message[2] = (byte)(checksum >>> 8);
        message[3] = (byte)checksum;
        final byte[] error = fromReal(real).protocol(PacketConstants.IP_PROTOCOL_ICMP).payload(message).build();

        assertThat(process(worker0, error, SECOND)).isEqualTo(PacketProcessor.FORWARD);

        final int ip = 14;
        final int quoted = ip + 20 + 8;
        assertThat(lastBuffer.getLong(0, ByteOrder.BIG_ENDIAN) >>> 16).as("to the client's MAC").isEqualTo(CLIENT_MAC);
        assertThat(lastBuffer.getLong(6, ByteOrder.BIG_ENDIAN) >>> 16).isEqualTo(LOCAL_MAC);
        assertThat(lastBuffer.getInt(ip + 12, ByteOrder.BIG_ENDIAN)).as("from the VIP").isEqualTo(Ipv4.parse(VIP));
        assertThat(lastBuffer.getByte(ip + 8) & 0xFF).as("TTL").isEqualTo(63);
        assertThat(Checksums.ipv4HeaderChecksumValid(lastBuffer, ip, 20)).isTrue();
        assertThat(Checksums.fold(Checksums.sum(lastBuffer, ip + 20, error.length - ip - 20, 0))).as("ICMP checksum")
            .isEqualTo(0xFFFF);
        assertThat(lastBuffer.getInt(quoted + 16, ByteOrder.BIG_ENDIAN)).as("quoted destination").isEqualTo(Ipv4.parse(VIP));
        assertThat(lastBuffer.getShort(quoted + 22, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("quoted destination port").isEqualTo(53);
        assertThat(lastBuffer.getShort(quoted + 20, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("quoted source port").isEqualTo(5353);
        assertThat(Checksums.ipv4HeaderChecksumValid(lastBuffer, quoted, 20)).as("quoted header checksum").isTrue();
        assertThat(worker0.forwardedToClient()).isTrue();

        final byte[] otherFlow = message.clone();
        otherFlow[8 + 20 + 1] ^= 1; // the quoted client port: a flow never translated
        final byte[] unknown = fromReal(real).protocol(PacketConstants.IP_PROTOCOL_ICMP).payload(otherFlow).build();
        assertThat(process(worker0, unknown, SECOND)).as("quoting a flow the forwarder never translated")
            .isEqualTo(DropReason.ICMP_NO_FLOW.code());
    }

    @Test
    void anOffloadedChecksumIsCompletedOverTheTranslatedAddresses()
    {
        final byte[] sent = fromClient().tcp(40000, VIP_PORT).payload("partial").build();
        // As a sender that offloads leaves it: the checksum field holds the pseudo-header's sum only.
        final int client = Ipv4.parse(CLIENT);
        final int vip = Ipv4.parse(VIP);
        final int tcpLength = 20 + 7;
        final int partial = Checksums.fold((client >>> 16) + (client & 0xFFFF) + (vip >>> 16) + (vip & 0xFFFF) +
            PacketConstants.IP_PROTOCOL_TCP + tcpLength);
        sent[14 + 20 + 16] = (byte)(partial >>> 8);
        sent[14 + 20 + 17] = (byte)partial;

        final RealEntry real = forward(worker0, sent, 0);
        worker0.completeTransportChecksum(lastBuffer);

        assertThat(Hex.dump(lastBuffer.byteArray())).isEqualTo(Hex.dump(PacketBuilder.ethernet(real.mac(), LOCAL_MAC)
            .ipv4(CLIENT, Ipv4.format(real.ipv4())).ttl(63).tcp(40000, REAL_PORT).payload("partial").build()));
    }

    @Test
    void withAnEgressInterfaceFramesToRealsLeaveWithItsMacAndFramesToClientsWithTheFirstOne()
    {
        final long egressMac = 0x0200_0000_0E0EL;
        worker0.egressMac(egressMac);

        final RealEntry real = forward(worker0, fromClient().tcp(40000, VIP_PORT).build(), 0);
        assertThat(lastBuffer.getLong(6, ByteOrder.BIG_ENDIAN) >>> 16).as("source MAC to the real").isEqualTo(egressMac);
        assertThat(worker0.forwardedToClient()).isFalse();

        assertThat(process(worker0, fromReal(real).tcp(REAL_PORT, 40000).tcpFlags(ACK).build(), SECOND))
            .isEqualTo(PacketProcessor.FORWARD);
        assertThat(lastBuffer.getLong(6, ByteOrder.BIG_ENDIAN) >>> 16).as("source MAC to the client").isEqualTo(LOCAL_MAC);
        assertThat(worker0.forwardedToClient()).isTrue();

        final byte[] ping = PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv4(CLIENT, VIP).icmpEcho().build();
        assertThat(process(worker0, ping, SECOND)).isEqualTo(PacketProcessor.FORWARD);
        assertThat(lastBuffer.getLong(6, ByteOrder.BIG_ENDIAN) >>> 16).as("an echo reply's source MAC").isEqualTo(LOCAL_MAC);
        assertThat(worker0.forwardedToClient()).isTrue();
    }

    private byte[] lastFrame;
    private UnsafeBuffer lastBuffer;

    /** Processes a client's frame, expecting it forwarded; @return the real it went to. */
    private RealEntry forward(final PacketProcessor worker, final byte[] frame, final long nowNs)
    {
        assertThat(process(worker, frame, nowNs)).isEqualTo(PacketProcessor.FORWARD);
        final long mac = lastBuffer.getLong(0, ByteOrder.BIG_ENDIAN) >>> 16;
        assertThat(mac).isIn(REAL1_MAC, REAL2_MAC);
        return mac == REAL1_MAC ? real1 : real2;
    }

    private int process(final PacketProcessor worker, final byte[] frame, final long nowNs)
    {
        lastBuffer = new UnsafeBuffer(frame.clone());
        final int result = worker.process(lastBuffer, 0, frame.length, table, nowNs);
        lastFrame = lastBuffer.byteArray();
        return result;
    }

    private static PacketBuilder fromClient()
    {
        return PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv4(CLIENT, VIP);
    }

    private static PacketBuilder fromReal(final RealEntry real)
    {
        return PacketBuilder.ethernet(LOCAL_MAC, real.mac()).ipv4(Ipv4.format(real.ipv4()), CLIENT);
    }

    private static byte[] withoutUdpChecksum(final byte[] frame)
    {
        final byte[] copy = frame.clone();
        copy[14 + 20 + 6] = 0;
        copy[14 + 20 + 7] = 0;
        return copy;
    }

    /** The VIP's reply to the client as a router on the path quotes it: IPv4 header (valid checksum) and 8 bytes of TCP. */
    private static byte[] quotedReply(final int clientPort)
    {
        final byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC).ipv4(VIP, CLIENT).tcp(VIP_PORT, clientPort)
            .payload(new byte[1400]).build();
        return java.util.Arrays.copyOfRange(frame, 14, 14 + 28);
    }
}
