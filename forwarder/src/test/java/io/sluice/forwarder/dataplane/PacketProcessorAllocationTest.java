package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.Protocol;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.maglev.MaglevSecondaries;
import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.LeastConnection;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.RoundRobin;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data path must not allocate: counted with the JVM's per-thread allocation counter over
 * many packets of every kind (forwarded, new flows, drops, and in NAT mode the reals' replies),
 * after a warm-up, for every scheduler in every mode.
 */
final class PacketProcessorAllocationTest
{
    private static final int FLOWS = 4096;
    private static final int FRAME_SLOT = 192;
    /** Room before each frame for tunnel mode's outer header (40 bytes for IPv6), as the rings have. */
    private static final int HEADROOM = 64;
    private static final int FRAME_LENGTH = 54;
    private static final int FRAME_LENGTH_IPV6 = 74;
    /** The IPv6 frames' addresses: this prefix, the IPv4 test address in the low 32 bits. */
    private static final long IPV6_HIGH = 0x2001_0002_0000_0000L;
    private static final int ROUNDS_PER_BATCH = 50;
    /** Every fifth frame goes to an address that is not a VIP, so the drop path is measured too. */
    private static final int NOT_A_VIP_EVERY = 5;
    /** In NAT mode the frame after each flow's is the real's reply to it. */
    private static final int REPLY = 2;
    private static final int CLIENTS = 0xC613_0000;
    private static final int REAL = 0xC612_000B;
    private static final int VIP = 0xC612_0101;

    static List<Arguments> schedulersAndModes()
    {
        final List<Arguments> combinations = new ArrayList<>();
        for (final ForwardingMode mode : ForwardingMode.values())
        {
            for (final SchedulerKind scheduler : SchedulerKind.values())
            {
                combinations.add(Arguments.of(scheduler, mode, false));
                if (mode != ForwardingMode.GUE) // gue is IPv4 only
                {
                    combinations.add(Arguments.of(scheduler, mode, true));
                }
            }
        }
        return combinations;
    }

    @ParameterizedTest
    @MethodSource("schedulersAndModes")
    void processingAllocatesNothing(final SchedulerKind scheduler, final ForwardingMode mode, final boolean ipv6)
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(256 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(256 * CountersReader.COUNTER_LENGTH)));
        final IpAddress realAddress = ipv6 ? new IpAddress(IPV6_HIGH, REAL & 0xFFFF_FFFFL) : IpAddress.ipv4(REAL);
        final RealEntry real = new RealEntry(1, realAddress, 80, 1, 0x0200_0000_0011L,
            counters(manager, "real packets"), counters(manager, "real bytes"));
        // gue with second chance (where the scheduler has a Maglev table) gets a second real, so every packet names a hop.
        final boolean secondChance = mode == ForwardingMode.GUE &&
            scheduler != SchedulerKind.ROUND_ROBIN && scheduler != SchedulerKind.LEAST_CONNECTION;
        final RealEntry[] reals = !secondChance ? new RealEntry[]{real} : new RealEntry[]{real, new RealEntry(2,
            IpAddress.ipv4(REAL + 1), 80, 1, 0x0200_0000_0012L, counters(manager, "real packets"),
            counters(manager, "real bytes"))};
        final long[] keys = new long[reals.length];
        final int[] weights = new int[reals.length];
        for (int i = 0; i < reals.length; i++)
        {
            keys[i] = MaglevTable.endpointKey(reals[i].address(), 80);
            weights[i] = 1;
        }
        final int[] maglev = MaglevTable.build(keys, weights, 251);
        final VipEntry vip = new VipEntry(
            1,
            new VipSpec(new VipKey(ipv6 ? new IpAddress(IPV6_HIGH, VIP & 0xFFFF_FFFFL) : IpAddress.ipv4(VIP), 80, Protocol.TCP),
                mode, scheduler, HealthCheck.NONE, secondChance),
            reals,
            maglev,
            secondChance ? MaglevSecondaries.build(maglev, keys, weights) : null,
            scheduler == SchedulerKind.ROUND_ROBIN ? new RoundRobin(new int[]{1}, 1) : null,
            scheduler == SchedulerKind.LEAST_CONNECTION ? new LeastConnection(new int[]{1}, 1) : null,
            counters(manager, "vip packets"), counters(manager, "vip bytes"), VipEntry.NO_SELF_TEST);
        final ForwardingTable table = new ForwardingTable(new VipEntry[]{vip}, 1);

        final UnsafeBuffer frames = new UnsafeBuffer(ByteBuffer.allocateDirect(FLOWS * FRAME_SLOT));

        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (FlowTable flows = new FlowTable(1024); WorkerCounters counters = new WorkerCounters(manager, 0))
        {
            final PacketProcessor processor = new PacketProcessor(0, flows, counters);
            processor.localMac(0x0200_0000_0001L);
            // The first batches allocate a few hundred bytes once (class loading, the interpreter, JIT
            // transitions), never per packet: an allocation per packet would show in every batch. So
            // run batches until one allocates nothing, and fail if none does.
            long forwarded = 0;
            long rounds = 0;
            long allocated = -1;
            for (int batch = 0; batch < 10 && allocated != 0; batch++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                forwarded += run(processor, frames, table, ROUNDS_PER_BATCH, mode == ForwardingMode.NAT, ipv6);
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
                rounds += ROUNDS_PER_BATCH;
            }

            assertThat(allocated).as("bytes allocated over the last %d packets", ROUNDS_PER_BATCH * FLOWS).isZero();
            final long notAVipPerRound = (FLOWS + NOT_A_VIP_EVERY - 1) / NOT_A_VIP_EVERY;
            assertThat(forwarded).as("every VIP packet forwarded").isEqualTo(rounds * (FLOWS - notAVipPerRound));
            assertThat(counters.drops(DropReason.NOT_A_VIP).get()).isEqualTo(rounds * notAVipPerRound);
            assertThat(counters.flowsEvicted.get()).as("new flows kept evicting old ones").isPositive();
            assertThat(counters.partialChecksumsFinished.get()).as("partial checksums finished").isPositive();
            if (mode == ForwardingMode.NAT)
            {
                assertThat(counters.natReplies.get()).as("replies translated").isEqualTo(rounds * (FLOWS / NOT_A_VIP_EVERY));
            }
        }
    }

    /** Every frame is written again before each pass: the modes rewrite MACs, TTL, addresses, ports, checksums. */
    private static long run(
        final PacketProcessor processor, final UnsafeBuffer frames, final ForwardingTable table, final int rounds, final boolean nat,
        final boolean ipv6)
    {
        long forwarded = 0;
        for (int round = 0; round < rounds; round++)
        {
            processor.countFlows(table, round * 1_000_000L);
            for (int i = 0; i < FLOWS; i++)
            {
                final int offset = i * FRAME_SLOT + HEADROOM;
                if (nat && i % NOT_A_VIP_EVERY == REPLY)
                {
                    writeTcpFrame(frames, offset, REAL, 80, CLIENTS + i - 1, clientPort(i - 1), ipv6, true);
                }
                else
                {
                    writeTcpFrame(frames, offset, CLIENTS + i, clientPort(i), i % NOT_A_VIP_EVERY == 0 ? 0xC612_0109 : VIP, 80, ipv6,
                        (i & 1) == 1);
                }
                final int length = ipv6 ? FRAME_LENGTH_IPV6 : FRAME_LENGTH;
                forwarded += processor.process(frames, offset, length, table, round * 1_000_000L) == PacketProcessor.FORWARD ? 1 : 0;
            }
        }
        return forwarded;
    }

    private static int clientPort(final int flow)
    {
        return 1024 + (flow & 0x7FFF);
    }

    private static void writeEthernet(final UnsafeBuffer frames, final int offset, final int etherType)
    {
        frames.putLong(offset, 0x0200_0000_0001_0200L, ByteOrder.BIG_ENDIAN);
        frames.putInt(offset + 8, 0x0000_00FE, ByteOrder.BIG_ENDIAN);
        frames.putShort(offset + 12, (short)etherType, ByteOrder.BIG_ENDIAN);
    }

    /**
     * A minimal TCP SYN (its TCP checksum left zero: nothing here checks it, or with {@code partial}
     * the pseudo-header sum a veth sender leaves, so that finishing it is measured too); over IPv6
     * the addresses are {@link #IPV6_HIGH} with the given int as their low bits.
     */
    private static void writeTcpFrame(
        final UnsafeBuffer frames, final int offset, final int source, final int sourcePort, final int destination,
        final int destinationPort, final boolean ipv6, final boolean partial)
    {
        final int ip = offset + 14;
        if (ipv6)
        {
            writeEthernet(frames, offset, 0x86DD);
            frames.putInt(ip, 0x6000_0000, ByteOrder.BIG_ENDIAN);
            frames.putInt(ip + 4, (20 << 16) | (6 << 8) | 64, ByteOrder.BIG_ENDIAN);
            frames.putLong(ip + 8, IPV6_HIGH, ByteOrder.BIG_ENDIAN);
            frames.putLong(ip + 16, source & 0xFFFF_FFFFL, ByteOrder.BIG_ENDIAN);
            frames.putLong(ip + 24, IPV6_HIGH, ByteOrder.BIG_ENDIAN);
            frames.putLong(ip + 32, destination & 0xFFFF_FFFFL, ByteOrder.BIG_ENDIAN);
            writeTcp(frames, ip + 40, sourcePort, destinationPort, partial ? Checksums.sum(frames, ip + 8, 32, 6 + 20) : -1);
            return;
        }
        writeEthernet(frames, offset, 0x0800);
        frames.putInt(ip, 0x4500_0028, ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 4, 0x0000_4000, ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 8, 0x4006_0000, ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 12, source, ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 16, destination, ByteOrder.BIG_ENDIAN);
        frames.putShort(ip + 10, (short)0);
        frames.putShort(ip + 10, (short)Checksums.ipv4HeaderChecksum(frames, ip, 20), ByteOrder.BIG_ENDIAN);
        writeTcp(frames, ip + 20, sourcePort, destinationPort, partial ? Checksums.sum(frames, ip + 12, 8, 6 + 20) : -1);
    }

    /** @param pseudoHeader the pseudo-header sum to leave in the checksum field, or -1 to leave it zero. */
    private static void writeTcp(
        final UnsafeBuffer frames, final int tcp, final int sourcePort, final int destinationPort, final long pseudoHeader)
    {
        frames.putInt(tcp, (sourcePort << 16) | destinationPort, ByteOrder.BIG_ENDIAN);
        frames.putInt(tcp + 12, 0x5002_FAF0, ByteOrder.BIG_ENDIAN);
        frames.putInt(tcp + 16, pseudoHeader < 0 ? 0 : Checksums.fold(pseudoHeader) << 16, ByteOrder.BIG_ENDIAN);
    }

    private static AtomicCounter[] counters(final CountersManager manager, final String label)
    {
        return new AtomicCounter[]{WorkerCounters.allocate(manager, 99, 0, 0, label)};
    }
}
