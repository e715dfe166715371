package io.sluice.forwarder.worker;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.dataplane.ProbeScratch;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.EthernetFlyweight;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.ByteOrder;

import static io.sluice.forwarder.packet.PacketConstants.ETHER_TYPE_IPV4;
import static io.sluice.forwarder.packet.PacketConstants.ETHER_TYPE_IPV6;
import static io.sluice.forwarder.packet.PacketConstants.ETHERNET_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_TCP;

/**
 * A worker's self-test: whenever it reads a forwarding table it has not tested, it runs one
 * synthetic packet to each VIP (a TCP SYN, or a UDP datagram for a UDP VIP) through its own
 * {@link PacketProcessor} in probe mode ({@link PacketProcessor#probe}: no flow recorded, no
 * count users read moved, nothing sent) and writes the outcome into the VIP's self-test counter
 * for this worker ({@link SelfTestResult}). The outcome is the processor's own verdict, so every
 * forwarding mode is tested by the code that forwards it: a pass is a frame rewritten for a real
 * that is healthy and whose next hop is resolved.
 *
 * <p>The packet comes from an address no client can have: IPv4 192.0.0.8 (RFC 7600, the "dummy"
 * address a host uses when it has no other) and IPv6 100::1 (RFC 6666's discard-only prefix).
 * Not 198.18.0.0/15: real clients do come from the benchmarking range, in the lab among others.
 * Neither address is forwarded by any router, so the packet would go nowhere even if it left.
 *
 * <p>On the worker's thread; nothing here allocates after construction. Per table, the work is
 * one processed packet per VIP.
 */
public final class SelfTest implements AutoCloseable
{
    /** 192.0.0.8. */
    public static final int IPV4_CLIENT = 0xC000_0008;
    /** 100::1. */
    public static final IpAddress IPV6_CLIENT = IpAddress.parse("100::1");
    /** The discard port: the probe's source port, so it reads as what it is in a capture. */
    public static final int CLIENT_PORT = 9;
    /** Room before the frame for what the processor may prepend (tunnel headers, an ICMP answer). */
    private static final int HEADROOM = 64;
    private static final int IPV4_HEADER_LENGTH = 20;
    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int TCP_HEADER_LENGTH = 20;
    private static final int UDP_HEADER_LENGTH = 8;
    private static final int HOP_LIMIT = 64;
    private static final int TCP_SYN = 0x02;
    /** The Ethernet source of the probe: a locally administered address no NIC has. */
    private static final long SOURCE_MAC = 0x0200_0000_0000L;

    private final int workerIndex;
    private final PacketProcessor processor;
    private final ProbeScratch scratch;
    private final UnsafeBuffer frame =
        new UnsafeBuffer(new byte[HEADROOM + ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + TCP_HEADER_LENGTH]);
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private long testedVersion = -1;

    public SelfTest(final int workerIndex, final PacketProcessor processor)
    {
        this.workerIndex = workerIndex;
        this.processor = processor;
        this.scratch = new ProbeScratch(workerIndex);
    }

    /**
     * Tests every VIP of {@code table} unless this worker already tested that table.
     *
     * @return how many VIPs it tested.
     */
    public int run(final ForwardingTable table, final long nowNs)
    {
        final long version = table.version();
        if (version == testedVersion)
        {
            return 0;
        }
        testedVersion = version;
        final VipEntry[] vips = table.vips();
        for (final VipEntry vip : vips)
        {
            final AtomicCounter[] reports = vip.selfTestByWorker();
            final int outcome = test(vip, table, nowNs);
            if (workerIndex < reports.length)
            {
                reports[workerIndex].setRelease(SelfTestResult.encode(version, outcome));
            }
        }
        return vips.length;
    }

    /** @return the outcome of one probe of {@code vip}: {@link SelfTestResult#PASSED}, a drop reason's code, or ANSWERED. */
    public int test(final VipEntry vip, final ForwardingTable table, final long nowNs)
    {
        final int length = write(vip.spec().key());
        final int verdict = processor.probe(frame, HEADROOM, length, table, nowNs, scratch);
        if (verdict != PacketProcessor.FORWARD)
        {
            return verdict;
        }
        return processor.forwardedToClient() ? SelfTestResult.ANSWERED : SelfTestResult.PASSED;
    }

    /** The probe's own counters (what it dropped, the flows it made), for tests. */
    public ProbeScratch scratch()
    {
        return scratch;
    }

    @Override
    public void close()
    {
        scratch.close();
    }

    /** Writes the probe to {@code vip} at {@link #HEADROOM}, checksums included. @return its length. */
    private int write(final VipKey vip)
    {
        final UnsafeBuffer frame = this.frame;
        final boolean ipv4 = vip.isIpv4();
        final int ipProtocol = vip.protocol().ipProtocol();
        final int transportLength = ipProtocol == IP_PROTOCOL_TCP ? TCP_HEADER_LENGTH : UDP_HEADER_LENGTH;
        final int ip = HEADROOM + ETHERNET_HEADER_LENGTH;
        final int ipHeaderLength = ipv4 ? IPV4_HEADER_LENGTH : IPV6_HEADER_LENGTH;
        final int transport = ip + ipHeaderLength;
        frame.putShort(HEADROOM + 12, (short)(ipv4 ? ETHER_TYPE_IPV4 : ETHER_TYPE_IPV6), ByteOrder.BIG_ENDIAN);
        ethernet.wrap(frame, HEADROOM, ETHERNET_HEADER_LENGTH).destinationMac(processor.localMac()).sourceMac(SOURCE_MAC);
        final long pseudoHeader;
        if (ipv4)
        {
            frame.putByte(ip, (byte)0x45);
            frame.putByte(ip + 1, (byte)0);
            frame.putShort(ip + 2, (short)(IPV4_HEADER_LENGTH + transportLength), ByteOrder.BIG_ENDIAN);
            frame.putInt(ip + 4, 0, ByteOrder.BIG_ENDIAN);
            frame.putByte(ip + 8, (byte)HOP_LIMIT);
            frame.putByte(ip + 9, (byte)ipProtocol);
            frame.putShort(ip + 10, (short)0, ByteOrder.BIG_ENDIAN);
            frame.putInt(ip + 12, IPV4_CLIENT, ByteOrder.BIG_ENDIAN);
            frame.putInt(ip + 16, vip.address().ipv4(), ByteOrder.BIG_ENDIAN);
            frame.putShort(ip + 10, (short)Checksums.ipv4HeaderChecksum(frame, ip, IPV4_HEADER_LENGTH), ByteOrder.BIG_ENDIAN);
            pseudoHeader = Checksums.sum(frame, ip + 12, 8, ipProtocol + transportLength);
        }
        else
        {
            frame.putInt(ip, 0x6000_0000, ByteOrder.BIG_ENDIAN);
            frame.putShort(ip + 4, (short)transportLength, ByteOrder.BIG_ENDIAN);
            frame.putByte(ip + 6, (byte)ipProtocol);
            frame.putByte(ip + 7, (byte)HOP_LIMIT);
            frame.putLong(ip + 8, IPV6_CLIENT.high(), ByteOrder.BIG_ENDIAN);
            frame.putLong(ip + 16, IPV6_CLIENT.low(), ByteOrder.BIG_ENDIAN);
            frame.putLong(ip + 24, vip.address().high(), ByteOrder.BIG_ENDIAN);
            frame.putLong(ip + 32, vip.address().low(), ByteOrder.BIG_ENDIAN);
            pseudoHeader = Checksums.sum(frame, ip + 8, 32, ipProtocol + transportLength);
        }
        frame.putShort(transport, (short)CLIENT_PORT, ByteOrder.BIG_ENDIAN);
        frame.putShort(transport + 2, (short)vip.port(), ByteOrder.BIG_ENDIAN);
        if (ipProtocol == IP_PROTOCOL_TCP)
        {
            frame.putLong(transport + 4, 0L);
            frame.putByte(transport + 12, (byte)(TCP_HEADER_LENGTH / 4 << 4));
            frame.putByte(transport + 13, (byte)TCP_SYN);
            frame.putShort(transport + 14, (short)0xFFFF, ByteOrder.BIG_ENDIAN);
            frame.putInt(transport + 16, 0);
            frame.putShort(transport + 16, (short)Checksums.finish(Checksums.sum(frame, transport, transportLength, pseudoHeader)),
                ByteOrder.BIG_ENDIAN);
        }
        else
        {
            frame.putShort(transport + 4, (short)transportLength, ByteOrder.BIG_ENDIAN);
            frame.putShort(transport + 6, (short)0);
            final int checksum = Checksums.finish(Checksums.sum(frame, transport, transportLength, pseudoHeader));
            // In UDP a computed 0 is sent as all ones (0 means "no checksum").
            frame.putShort(transport + 6, (short)(checksum == 0 ? 0xFFFF : checksum), ByteOrder.BIG_ENDIAN);
        }
        return ETHERNET_HEADER_LENGTH + ipHeaderLength + transportLength;
    }
}
