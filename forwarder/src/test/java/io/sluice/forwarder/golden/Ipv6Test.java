package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.NatFlows;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.packet.PacketConstants;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IPv6, frame for frame, in every mode: DSR (the frame as it came, new MACs, hop limit one
 * less), IPv6-in-IPv6 tunnel (and "packet too big" when it would not fit), NAT both ways with
 * every checksum what a full recomputation gives, ICMPv6 echo and errors, and the drops.
 * Expected frames are built independently by {@link PacketBuilder}, which computes every
 * checksum from scratch.
 */
final class Ipv6Test
{
    private static final int HEADROOM = 64;
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final long CLIENT_MAC = 0x0200_0000_00FEL;
    private static final long REAL1_MAC = 0x0200_0000_0011L;
    private static final long REAL2_MAC = 0x0200_0000_0012L;
    private static final String CLIENT = "2001:2:0:9::7";
    private static final String DSR_VIP = "2001:2:0:1::1";
    private static final String TUNNEL_VIP = "2001:2:0:1::2";
    private static final String NAT_VIP = "2001:2:0:1::3";
    private static final String HASH_VIP = "2001:2:0:1::4";
    private static final String ROUTER = "2001:2::fe";
    private static final int REAL_PORT = 8080;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int ACK = 0x10;

    private final TestTables tables = new TestTables();
    private final FlowTable flows0 = new FlowTable(1024);
    private final FlowTable flows1 = new FlowTable(1024);
    private final FlowTable replies0 = FlowTable.withPayload(1024);
    private final FlowTable replies1 = FlowTable.withPayload(1024);
    private final WorkerCounters counters0 = tables.workerCounters(0);
    private final WorkerCounters counters1 = tables.workerCounters(1);
    private final NatFlows nat0 = new NatFlows(replies0);
    private final NatFlows nat1 = new NatFlows(replies1);
    private final PacketProcessor worker0 = new PacketProcessor(0, flows0, nat0, counters0);
    private final PacketProcessor worker1 = new PacketProcessor(1, flows1, nat1, counters1);
    private final RealEntry real1 = tables.real(1, "2001:2::11", 100, REAL1_MAC);
    private final RealEntry real2 = tables.real(2, "2001:2::12", 100, REAL2_MAC);
    private final RealEntry natReal1 = tables.real(3, "2001:2::11", REAL_PORT, 100, REAL1_MAC);
    private final RealEntry natReal2 = tables.real(4, "2001:2::12", REAL_PORT, 100, REAL2_MAC);
    private final ForwardingTable table = new ForwardingTable(new VipEntry[]{
        tables.vip("[" + DSR_VIP + "]:80/tcp", real1, real2),
        tables.vip("[" + DSR_VIP + "]:53/udp", real1, real2),
        tables.vip("[" + TUNNEL_VIP + "]:80/tcp", ForwardingMode.TUNNEL, SchedulerKind.MAGLEV, real1, real2),
        tables.vip("[" + TUNNEL_VIP + "]:53/udp", ForwardingMode.TUNNEL, SchedulerKind.MAGLEV, real1, real2),
        tables.vip("[" + NAT_VIP + "]:80/tcp", ForwardingMode.NAT, SchedulerKind.MAGLEV, natReal1, natReal2),
        tables.vip("[" + NAT_VIP + "]:53/udp", ForwardingMode.NAT, SchedulerKind.MAGLEV, natReal1, natReal2),
        tables.vip("[" + HASH_VIP + "]:80/tcp", ForwardingMode.DSR, SchedulerKind.SOURCE_HASH, real1, real2),
        tables.vip("198.18.1.1:80/tcp", tables.real(5, "198.18.0.11", 100, REAL1_MAC)) }, 1);

    private UnsafeBuffer buffer;
    /** The worker that processed {@link #buffer}. */
    private PacketProcessor last;

    Ipv6Test()
    {
        worker0.localMac(LOCAL_MAC);
        worker1.localMac(LOCAL_MAC);
        nat0.peers(new FlowTable[]{ replies0, replies1 });
        nat1.peers(new FlowTable[]{ replies0, replies1 });
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
    void dsrSendsTheFrameAsItCameToTheRealsMacWithOneHopLess()
    {
        final Set<Long> macs = new HashSet<>();
        for (int port = 40000; port < 40032; port++)
        {
            final PacketBuilder sent = fromClient(DSR_VIP).flowLabel(0x12345).tcp(port, 80).payload("GET / HTTP/1.1\r\n");
            assertThat(process(worker0, sent.build())).isEqualTo(PacketProcessor.FORWARD);
            final long mac = frameMac();
            assertThat(mac).isIn(REAL1_MAC, REAL2_MAC);
            macs.add(mac);
            assertThat(Hex.dump(forwarded())).as("port %d", port)
                .isEqualTo(Hex.dump(sent.copy().macs(mac, LOCAL_MAC).ttl(63).build()));

            assertThat(process(worker0, sent.build())).isEqualTo(PacketProcessor.FORWARD);
            assertThat(frameMac()).as("the flow stays on its real").isEqualTo(mac);
        }
        assertThat(macs).as("flows spread over both reals").hasSize(2);

        final PacketBuilder udp = fromClient(DSR_VIP).udp(5353, 53).payload("query");
        assertThat(process(worker0, udp.build())).isEqualTo(PacketProcessor.FORWARD);
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(udp.copy().macs(frameMac(), LOCAL_MAC).ttl(63).build()));
        assertThat(TestTables.sum(real1.packetsByWorker()) + TestTables.sum(real2.packetsByWorker())).isEqualTo(65);
    }

    @Test
    void anIpv6FlowIsNeverAnIpv4FlowsEntry()
    {
        assertThat(process(worker0, fromClient(DSR_VIP).tcp(40000, 80).build())).isEqualTo(PacketProcessor.FORWARD);
        assertThat(process(worker0, PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv4("198.19.0.7", "198.18.1.1")
            .tcp(40000, 80).build())).isEqualTo(PacketProcessor.FORWARD);
        assertThat(counters0.flowsCreated.get()).isEqualTo(2);
    }

    @Test
    void sourceHashKeepsEveryFlowOfAClientOnOneReal()
    {
        final Set<Long> macs = new HashSet<>();
        for (int port = 40000; port < 40016; port++)
        {
            assertThat(process(port % 2 == 0 ? worker0 : worker1, fromClient(HASH_VIP).tcp(port, 80).build()))
                .isEqualTo(PacketProcessor.FORWARD);
            macs.add(frameMac());
        }
        assertThat(macs).hasSize(1);
    }

    @Test
    void whatCannotBeForwardedIsDroppedAndCounted()
    {
        assertDrop(fromClient(DSR_VIP).tcp(40000, 81).build(), DropReason.NOT_A_VIP);
        assertDrop(fromClient("2001:2:0:1::99").tcp(40000, 80).build(), DropReason.NOT_A_VIP);
        assertDrop(fromClient(DSR_VIP).ttl(1).tcp(40000, 80).build(), DropReason.TTL_EXPIRED);
        assertDrop(fromClient(DSR_VIP).protocol(PacketConstants.IPV6_HOP_BY_HOP).tcp(40000, 80).build(), DropReason.IP_OPTIONS);
        assertDrop(fromClient(DSR_VIP).protocol(PacketConstants.IPV6_ROUTING).tcp(40000, 80).build(), DropReason.IP_OPTIONS);
        assertDrop(fromClient(DSR_VIP).protocol(PacketConstants.IPV6_FRAGMENT).tcp(40000, 80).build(), DropReason.FRAGMENT);
        assertDrop(fromClient(DSR_VIP).protocol(132).tcp(40000, 80).build(), DropReason.UNSUPPORTED_PROTOCOL);
        assertDrop(fromClient(DSR_VIP).version(4).tcp(40000, 80).build(), DropReason.BAD_IPV6_HEADER);
        assertDrop(fromClient(DSR_VIP).totalLength(200).tcp(40000, 80).build(), DropReason.BAD_IPV6_HEADER);
        assertDrop(fromClient(DSR_VIP).tcp(40000, 80).buildTruncated(14 + 39), DropReason.TRUNCATED);
        assertDrop(fromClient(DSR_VIP).tcp(40000, 80).cutL4To(19).build(), DropReason.TRUNCATED);
        final byte[] neighbourSolicitation = fromClient(DSR_VIP).icmp(135, 0, 0).payload(IpAddress.parse(DSR_VIP).bytes()).build();
        assertDrop(neighbourSolicitation, DropReason.ICMP_OTHER);
    }

    @Test
    void tunnelModeWrapsThePacketInAnOuterIpv6HeaderToTheReal()
    {
        final PacketBuilder sent = fromClient(TUNNEL_VIP).tos(0x28).tcp(40000, 80).payload("GET / HTTP/1.1\r\n");
        final byte[] original = sent.build();
        assertThat(process(worker0, original)).isEqualTo(PacketProcessor.FORWARD);
        assertThat(worker0.forwardedOffset()).isEqualTo(HEADROOM - 40);
        assertThat(worker0.forwardedLength()).isEqualTo(original.length + 40);
        final byte[] frame = forwarded();
        final long mac = frameMac();
        final RealEntry real = mac == REAL1_MAC ? real1 : real2;

        final UnsafeBuffer outer = new UnsafeBuffer(frame, 14, 40);
        final int first = outer.getInt(0, ByteOrder.BIG_ENDIAN);
        assertThat(first >>> 28).isEqualTo(6);
        assertThat((first >>> 20) & 0xFF).as("the client's traffic class").isEqualTo(0x28);
        assertThat(outer.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF).isEqualTo(original.length - 14);
        assertThat(outer.getByte(6)).as("IPv6 in IPv6").isEqualTo((byte)41);
        assertThat(outer.getByte(7)).isEqualTo((byte)64);
        assertThat(outer.getLong(8, ByteOrder.BIG_ENDIAN)).as("outer source in 100::/64").isEqualTo(0x0100_0000_0000_0000L);
        assertThat(IpAddress.of(Arrays.copyOfRange(frame, 14 + 24, 14 + 40))).isEqualTo(real.address());
        assertThat(Hex.dump(Arrays.copyOfRange(frame, 14 + 40, frame.length))).as("the inner packet, one hop less")
            .isEqualTo(Hex.dump(Arrays.copyOfRange(sent.copy().ttl(63).build(), 14, original.length)));

        assertThat(process(worker1, original)).isEqualTo(PacketProcessor.FORWARD);
        final byte[] again = forwarded();
        assertThat(Arrays.copyOfRange(again, 14, 14 + 40)).as("one outer header per flow, on any worker")
            .isEqualTo(Arrays.copyOfRange(frame, 14, 14 + 40));
        final int otherFlowLabel = processAndReadFlowLabel(fromClient(TUNNEL_VIP).tcp(40001, 80).build());
        assertThat(otherFlowLabel).as("another flow, another flow label").isNotEqualTo(first & 0xF_FFFF);
    }

    @Test
    void tunnelModeCarriesUdpAndTaggedFramesToo()
    {
        final PacketBuilder udp = fromClient(TUNNEL_VIP).udp(5353, 53).payload("query");
        final byte[] original = udp.build();
        assertThat(process(worker0, original)).isEqualTo(PacketProcessor.FORWARD);
        final byte[] frame = forwarded();
        assertThat(frame[14 + 6]).isEqualTo((byte)41);
        assertThat(Hex.dump(Arrays.copyOfRange(frame, 14 + 40, frame.length)))
            .isEqualTo(Hex.dump(Arrays.copyOfRange(udp.copy().ttl(63).build(), 14, original.length)));

        final PacketBuilder tagged = fromClient(DSR_VIP).vlan(7).tcp(40000, 80);
        assertThat(process(worker0, tagged.build())).isEqualTo(PacketProcessor.FORWARD);
        assertThat(Hex.dump(forwarded())).as("DSR keeps the tag").isEqualTo(Hex.dump(tagged.copy().macs(frameMac(), LOCAL_MAC).ttl(63).build()));

        final PacketBuilder taggedTunnel = fromClient(TUNNEL_VIP).qinq(5, 7).tcp(40000, 80);
        final byte[] taggedOriginal = taggedTunnel.build();
        assertThat(process(worker0, taggedOriginal)).isEqualTo(PacketProcessor.FORWARD);
        final byte[] encapsulated = forwarded();
        assertThat(Arrays.copyOfRange(encapsulated, 12, 22)).as("both tags, then IPv6")
            .isEqualTo(Arrays.copyOfRange(taggedOriginal, 12, 22));
        assertThat(encapsulated[22 + 6]).as("the outer header after the tags").isEqualTo((byte)41);
        assertThat(Hex.dump(Arrays.copyOfRange(encapsulated, 22 + 40, encapsulated.length)))
            .isEqualTo(Hex.dump(Arrays.copyOfRange(taggedTunnel.copy().ttl(63).build(), 22, taggedOriginal.length)));
    }

    @Test
    void aPacketTooBigToEncapsulateIsAnsweredWithPacketTooBig()
    {
        final PacketBuilder sent = fromClient(TUNNEL_VIP).tcp(40000, 80).payload(new byte[1500 - 40 - 20]);
        final byte[] original = sent.build();
        assertThat(process(worker0, original)).isEqualTo(PacketProcessor.FORWARD);
        assertThat(worker0.forwardedToClient()).isTrue();
        assertThat(counters0.icmpTooBigSent.get()).isOne();
        final byte[] reply = forwarded();
        assertThat(worker0.forwardedOffset()).isEqualTo(HEADROOM - 48);
        assertThat(reply.length).as("cut to the IPv6 minimum MTU").isEqualTo(14 + 1280);

        final byte[] quote = Arrays.copyOfRange(original, 14, 14 + 1280 - 48);
        final byte[] expected = PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC).ipv6(TUNNEL_VIP, CLIENT)
            .icmp(2, 0, 1500 - 40).payload(quote).build();
        assertThat(Hex.dump(reply)).isEqualTo(Hex.dump(expected));
    }

    @Test
    void natSendsTheClientsPacketToTheRealsAddressAndPortAndTheReplyBackFromTheVip()
    {
        final PacketBuilder sent = fromClient(NAT_VIP).tcp(40000, 80).payload("GET / HTTP/1.1\r\n");
        assertThat(process(worker0, sent.build())).isEqualTo(PacketProcessor.FORWARD);
        final RealEntry real = frameMac() == REAL1_MAC ? natReal1 : natReal2;
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(PacketBuilder.ethernet(real.mac(), LOCAL_MAC)
            .ipv6(CLIENT, real.address().toString()).ttl(63).tcp(40000, REAL_PORT).payload("GET / HTTP/1.1\r\n").build()));

        final PacketBuilder reply = PacketBuilder.ethernet(LOCAL_MAC, real.mac()).ipv6(real.address().toString(), CLIENT)
            .tcp(REAL_PORT, 40000).tcpFlags(ACK).payload("HTTP/1.1 200 OK\r\n");
        for (final PacketProcessor worker : new PacketProcessor[]{ worker0, worker1 })
        {
            assertThat(process(worker, reply.build())).as("on either worker").isEqualTo(PacketProcessor.FORWARD);
            assertThat(worker.forwardedToClient()).isTrue();
            assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC)
                .ipv6(NAT_VIP, CLIENT).ttl(63).tcp(80, 40000).tcpFlags(ACK).payload("HTTP/1.1 200 OK\r\n").build()));
        }
        assertThat(counters0.natReplies.get() + counters1.natReplies.get()).isEqualTo(2);

        final byte[] stranger = PacketBuilder.ethernet(LOCAL_MAC, real.mac()).ipv6(real.address().toString(), "2001:2:0:9::8")
            .tcp(REAL_PORT, 40000).tcpFlags(ACK).build();
        assertDrop(stranger, DropReason.NAT_NO_FLOW);
    }

    @Test
    void natTranslatesUdpBothWays()
    {
        final PacketBuilder query = fromClient(NAT_VIP).udp(5353, 53).payload("query");
        assertThat(process(worker1, query.build())).isEqualTo(PacketProcessor.FORWARD);
        final RealEntry real = frameMac() == REAL1_MAC ? natReal1 : natReal2;
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(PacketBuilder.ethernet(real.mac(), LOCAL_MAC)
            .ipv6(CLIENT, real.address().toString()).ttl(63).udp(5353, REAL_PORT).payload("query").build()));

        final byte[] answer = PacketBuilder.ethernet(LOCAL_MAC, real.mac()).ipv6(real.address().toString(), CLIENT)
            .udp(REAL_PORT, 5353).payload("answer").build();
        assertThat(process(worker0, answer)).isEqualTo(PacketProcessor.FORWARD);
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC)
            .ipv6(NAT_VIP, CLIENT).ttl(63).udp(53, 5353).payload("answer").build()));
    }

    @Test
    void anOffloadedChecksumIsCompletedOverTheTranslatedAddresses()
    {
        final byte[] partial = fromClient(NAT_VIP).tcp(40000, 80).payload("partial").build();
        final int checksumAt = 14 + 40 + 16;
        partial[checksumAt] = 0x12; // an offloaded frame carries only a partial sum
        partial[checksumAt + 1] = 0x34;
        assertThat(process(worker0, partial)).isEqualTo(PacketProcessor.FORWARD);
        worker0.completeTransportChecksum(buffer);
        final RealEntry real = frameMac() == REAL1_MAC ? natReal1 : natReal2;
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(PacketBuilder.ethernet(real.mac(), LOCAL_MAC)
            .ipv6(CLIENT, real.address().toString()).ttl(63).tcp(40000, REAL_PORT).payload("partial").build()));
    }

    @Test
    void anEchoRequestToAVipIsAnswered()
    {
        final byte[] ping = fromClient(DSR_VIP).icmpEcho().payload("abcdefgh").build();
        assertThat(process(worker0, ping)).isEqualTo(PacketProcessor.FORWARD);
        assertThat(worker0.forwardedToClient()).isTrue();
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC)
            .ipv6(DSR_VIP, CLIENT).icmp(129, 0, 0x4242_0001).payload("abcdefgh").build()));
        assertThat(counters0.icmpEchoReplies.get()).isOne();

        final byte[] corrupt = ping.clone();
        corrupt[corrupt.length - 1] ^= 1;
        assertDrop(corrupt, DropReason.BAD_CHECKSUM);
        assertDrop(fromClient("2001:2:0:1::99").icmpEcho().build(), DropReason.NOT_A_VIP);
    }

    @Test
    void aRoutersErrorAboutAFlowGoesToItsReal()
    {
        assertThat(process(worker0, fromClient(DSR_VIP).tcp(40000, 80).build())).isEqualTo(PacketProcessor.FORWARD);
        final long mac = frameMac();

        final PacketBuilder error = PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv6(ROUTER, DSR_VIP)
            .icmp(2, 0, 1400).payload(quotedPacket(DSR_VIP, 80, CLIENT, 40000));
        for (final PacketProcessor worker : new PacketProcessor[]{ worker0, worker1 })
        {
            assertThat(process(worker, error.build())).as("relayed by any worker").isEqualTo(PacketProcessor.FORWARD);
            assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(error.copy().macs(mac, LOCAL_MAC).ttl(63).build()));
        }
        assertThat(counters0.icmpErrorsRelayed.get() + counters1.icmpErrorsRelayed.get()).isEqualTo(2);

        final byte[] aboutNothing = PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv6(ROUTER, DSR_VIP)
            .icmp(2, 0, 1400).payload(quotedPacket(DSR_VIP, 81, CLIENT, 40000)).build();
        assertDrop(aboutNothing, DropReason.ICMP_NO_FLOW);
        final byte[] tooShort = PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv6(ROUTER, DSR_VIP)
            .icmp(2, 0, 1400).payload(new byte[40]).build();
        assertDrop(tooShort, DropReason.ICMP_NO_FLOW);
    }

    @Test
    void natErrorsAreTranslatedBothWays()
    {
        assertThat(process(worker0, fromClient(NAT_VIP).udp(5353, 53).payload("query").build())).isEqualTo(PacketProcessor.FORWARD);
        final RealEntry real = frameMac() == REAL1_MAC ? natReal1 : natReal2;
        final String realAddress = real.address().toString();

        // A router's error about the VIP's reply goes to the real, quoting what the real sent.
        final byte[] fromRouter = PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv6(ROUTER, NAT_VIP)
            .icmp(1, 4, 0).payload(quotedUdp(NAT_VIP, 53, CLIENT, 5353)).build();
        assertThat(process(worker1, fromRouter)).isEqualTo(PacketProcessor.FORWARD);
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(PacketBuilder.ethernet(real.mac(), LOCAL_MAC)
            .ipv6(ROUTER, realAddress).ttl(63).icmp(1, 4, 0).payload(quotedUdp(realAddress, REAL_PORT, CLIENT, 5353)).build()));

        // The real's "port unreachable" to the client leaves from the VIP, quoting the VIP.
        final byte[] fromReal = PacketBuilder.ethernet(LOCAL_MAC, real.mac()).ipv6(realAddress, CLIENT)
            .icmp(1, 4, 0).payload(quotedUdp(CLIENT, 5353, realAddress, REAL_PORT)).build();
        assertThat(process(worker0, fromReal)).isEqualTo(PacketProcessor.FORWARD);
        assertThat(worker0.forwardedToClient()).isTrue();
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC)
            .ipv6(NAT_VIP, CLIENT).ttl(63).icmp(1, 4, 0).payload(quotedUdp(CLIENT, 5353, NAT_VIP, 53)).build()));
    }

    @Test
    void ipv4KeepsWorkingBesideIpv6()
    {
        final PacketBuilder sent = PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv4("198.19.0.7", "198.18.1.1").tcp(40000, 80);
        assertThat(process(worker0, sent.build())).isEqualTo(PacketProcessor.FORWARD);
        assertThat(Hex.dump(forwarded())).isEqualTo(Hex.dump(sent.copy().macs(REAL1_MAC, LOCAL_MAC).ttl(63).build()));
    }

    private int processAndReadFlowLabel(final byte[] frame)
    {
        assertThat(process(worker0, frame)).isEqualTo(PacketProcessor.FORWARD);
        return new UnsafeBuffer(forwarded()).getInt(14, ByteOrder.BIG_ENDIAN) & 0xF_FFFF;
    }

    /** The start of the VIP's TCP packet to the client, as a router quotes it (header and 8 bytes). */
    private static byte[] quotedPacket(final String source, final int sourcePort, final String destination, final int destinationPort)
    {
        final byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC).ipv6(source, destination)
            .tcp(sourcePort, destinationPort).payload(new byte[1400]).build();
        return Arrays.copyOfRange(frame, 14, 14 + 40 + 8);
    }

    private static byte[] quotedUdp(final String source, final int sourcePort, final String destination, final int destinationPort)
    {
        final byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC).ipv6(source, destination)
            .udp(sourcePort, destinationPort).payload("query").build();
        return Arrays.copyOfRange(frame, 14, frame.length);
    }

    private void assertDrop(final byte[] frame, final DropReason reason)
    {
        final int result = process(worker0, frame);
        assertThat(DropReason.ofCode(result)).isEqualTo(reason);
        assertThat(Arrays.copyOfRange(buffer.byteArray(), HEADROOM, HEADROOM + frame.length)).as("left as it came").isEqualTo(frame);
    }

    private int process(final PacketProcessor worker, final byte[] frame)
    {
        last = worker;
        buffer = new UnsafeBuffer(new byte[HEADROOM + frame.length]);
        buffer.putBytes(HEADROOM, frame);
        return worker.process(buffer, HEADROOM, frame.length, table, SECOND);
    }

    private byte[] forwarded()
    {
        return Arrays.copyOfRange(buffer.byteArray(), last.forwardedOffset(), last.forwardedOffset() + last.forwardedLength());
    }

    private long frameMac()
    {
        final byte[] frame = forwarded();
        return new UnsafeBuffer(frame).getLong(0, ByteOrder.BIG_ENDIAN) >>> 16;
    }

    private static PacketBuilder fromClient(final String vip)
    {
        return PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv6(CLIENT, vip);
    }
}
