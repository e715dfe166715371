package io.sluice.bench;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.Protocol;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.maglev.MaglevSecondaries;
import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The per-packet work of a worker: parse, VIP lookup, flow lookup (or Maglev pick and insert),
 * DSR rewrite, counters. Frames of {@link #flowCount} distinct TCP 5-tuples, IPv4 or IPv6
 * ({@link #ipVersion}), sit in one off-heap buffer, as
 * in a ring, and are processed in rotation against a flow table of 1 Mi entries (2 Mi for 1 Mi
 * flows, so that few buckets overflow: an established flow is then one the table still holds).
 *
 * <p>{@code establishedFlow}: every flow is already in the flow table (the common case).
 * {@code newFlow}: the clock jumps past the TCP idle timeout after every rotation, so every
 * packet misses, picks a real from the Maglev table and inserts its flow.
 *
 * <p>Run as the forwarder runs, with Agrona's bounds checks off (the launcher sets the same
 * property; {@code MalformedFrameTest} is why that is safe).
 *
 * <p>The harness itself allocates nothing per operation (run with {@code -prof gc}, expect
 * 0 B/op): each operation restores the frame's TTL and checksum with two stores, since the
 * rewrite decrements the TTL in place, and returns the verdict as a primitive.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=" + PacketProcessorBenchmark.BOUNDS_CHECKS_DISABLED})
@State(Scope.Thread)
public class PacketProcessorBenchmark
{
    /** As the forwarder runs (see the launcher): the parser's own length checks keep it inside the frame. */
    static final String BOUNDS_CHECKS_DISABLED = "true";
    static final int FLOW_TABLE_CAPACITY = 1 << 20;
    /** Frames a worker takes from its ring at once (an AF_XDP burst). */
    static final int BATCH = 64;
    static final int REALS = 10;
    static final int FRAME_SLOT = 128;
    static final int FRAME_LENGTH_IPV4 = 54;
    static final int FRAME_LENGTH_IPV6 = 74;
    /** The IPv6 addresses: 2001:2::/64 with the IPv4 address in the low bits. */
    static final long IPV6_HIGH = 0x2001_0002_0000_0000L;
    static final int IP_OFFSET = 14;
    static final int TTL = 64;
    /** Room before a gue frame for its outer headers (40 bytes), so the frame itself still fills one cache line. */
    static final int GUE_HEADROOM = 64;
    static final int VIP_ADDRESS = 0xC612_0101;
    static final int VIP_PORT = 80;
    static final long LOCAL_MAC = 0x0200_0000_0001L;

    /**
     * Distinct 5-tuples in rotation; a power of two. 1 Ki flows stay in cache (the cost of the
     * work itself); 64 Ki flows' buckets (8 MiB) do not fit in L2 (the cost with memory misses);
     * 1 Mi flows' buckets (64 MiB, nearly the whole table) and frames (128 MiB) fit in no cache.
     */
    @Param({"1024", "65536", "1048576"})
    public int flowCount;

    /**
     * The VIP's mode: dsr rewrites MACs and TTL; nat also rewrites the destination address and
     * port with their checksums and remembers the reply's translation (a second table write); gue
     * (with second chance, IPv4 only: run it with {@code -p ipVersion=4}) also writes outer IPv4,
     * UDP and GUE headers with the flow's second real into the frame's headroom.
     */
    @Param({"dsr", "nat", "gue"})
    public String mode;

    /** IPv4 (4) or IPv6 (6) frames, VIP and reals. */
    @Param({"4", "6"})
    public int ipVersion;

    private static final int REAL_PORT = 8080;
    private boolean nat;
    private boolean ipv6;
    /** Where a frame starts in its slot: 0, or {@link #GUE_HEADROOM} for gue. */
    private int headroom;
    private int frameLength;

    private FlowTable flows;
    private WorkerCounters counters;
    private PacketProcessor processor;
    private ForwardingTable table;
    private UnsafeBuffer frames;
    private short[] checksums;
    private int next;
    private final long[] hashes = new long[BATCH];
    private long nowNs;

    @Setup(Level.Trial)
    public void setUp()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(256 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(256 * CountersReader.COUNTER_LENGTH)));
        nat = mode.equals("nat");
        ipv6 = ipVersion == 6;
        final boolean gue = mode.equals("gue");
        if (gue && ipv6)
        {
            throw new IllegalStateException("gue is IPv4 only: run it with -p ipVersion=4");
        }
        headroom = gue ? GUE_HEADROOM : 0;
        frameLength = ipv6 ? FRAME_LENGTH_IPV6 : FRAME_LENGTH_IPV4;
        final RealEntry[] reals = new RealEntry[REALS];
        final long[] keys = new long[REALS];
        final int[] weights = new int[REALS];
        for (int i = 0; i < REALS; i++)
        {
            final int address = 0xC612_000B + i;
            final IpAddress realAddress = ipv6 ? new IpAddress(IPV6_HIGH, address & 0xFFFF_FFFFL) : IpAddress.ipv4(address);
            reals[i] = new RealEntry(i + 1, realAddress, nat ? REAL_PORT : 0, 1, 0x0200_0000_0010L + i,
                counter(manager, "real packets"), counter(manager, "real bytes"));
            keys[i] = MaglevTable.endpointKey(realAddress, VIP_PORT);
            weights[i] = 1;
        }
        final IpAddress vipAddress = ipv6 ? new IpAddress(IPV6_HIGH, VIP_ADDRESS & 0xFFFF_FFFFL) : IpAddress.ipv4(VIP_ADDRESS);
        final int[] maglev = MaglevTable.build(keys, weights, MaglevTable.DEFAULT_SIZE);
        final VipEntry vip = new VipEntry(
            1,
            new VipSpec(new VipKey(vipAddress, VIP_PORT, Protocol.TCP), ForwardingMode.parse(mode),
                SchedulerKind.MAGLEV, HealthCheck.NONE, gue),
            reals,
            maglev,
            gue ? MaglevSecondaries.build(maglev, keys, weights) : null,
            null,
            null,
            counter(manager, "vip packets"),
            counter(manager, "vip bytes"), VipEntry.NO_SELF_TEST);
        table = new ForwardingTable(new VipEntry[]{vip}, 1);

        flows = new FlowTable(Math.max(FLOW_TABLE_CAPACITY, 2 * flowCount));
        counters = new WorkerCounters(manager, 0);
        processor = new PacketProcessor(0, flows, counters);
        processor.localMac(LOCAL_MAC);

        frames = new UnsafeBuffer(ByteBuffer.allocateDirect(flowCount * FRAME_SLOT));
        checksums = new short[flowCount];
        for (int i = 0; i < flowCount; i++)
        {
            writeFrame(i);
        }
        nowNs = 1_000_000_000L;
        for (int i = 0; i < flowCount; i++)
        {
            if (processOne() != PacketProcessor.FORWARD)
            {
                throw new IllegalStateException("benchmark frame " + i + " was not forwarded");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        counters.close();
        flows.close();
        processor.nat().own().close();
    }

    @Benchmark
    public int establishedFlow()
    {
        return processOne();
    }

    /**
     * A worker's batch of {@link #BATCH} frames as the AF_XDP worker does it: {@code flowHash}
     * of every frame, {@code prefetchFlows} (their flow-table buckets), then {@code process}
     * every frame; reported per frame.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int establishedFlowBatch()
    {
        final int first = next;
        next = (first + BATCH) & (flowCount - 1);
        final long[] hashes = this.hashes;
        for (int i = 0; i < BATCH; i++)
        {
            final int offset = offset((first + i) & (flowCount - 1));
            hashes[i] = processor.flowHash(frames, offset, frameLength);
        }
        processor.prefetchFlows(hashes, BATCH);
        int verdicts = 0;
        for (int i = 0; i < BATCH; i++)
        {
            final int index = (first + i) & (flowCount - 1);
            final int offset = offset(index);
            restore(offset, index);
            verdicts += processor.process(frames, offset, frameLength, table, nowNs);
        }
        return verdicts;
    }

    @Benchmark
    public int newFlow()
    {
        if (next == 0)
        {
            nowNs += PacketProcessor.TCP_IDLE_TIMEOUT_NS + 1;
        }
        return processOne();
    }

    private int processOne()
    {
        final int index = next;
        next = (index + 1) & (flowCount - 1);
        final int offset = offset(index);
        restore(offset, index);
        return processor.process(frames, offset, frameLength, table, nowNs);
    }

    /** Puts back what the last pass rewrote: TTL and header checksum, and in NAT mode the destination. */
    private void restore(final int offset, final int index)
    {
        if (ipv6)
        {
            frames.putByte(offset + IP_OFFSET + 7, (byte)TTL);
            if (nat)
            {
                frames.putLong(offset + IP_OFFSET + 24, IPV6_HIGH, ByteOrder.BIG_ENDIAN);
                frames.putLong(offset + IP_OFFSET + 32, VIP_ADDRESS & 0xFFFF_FFFFL, ByteOrder.BIG_ENDIAN);
                frames.putShort(offset + IP_OFFSET + 42, (short)VIP_PORT, ByteOrder.BIG_ENDIAN);
            }
            return;
        }
        frames.putByte(offset + IP_OFFSET + 8, (byte)TTL);
        frames.putShort(offset + IP_OFFSET + 10, checksums[index]);
        if (nat)
        {
            frames.putInt(offset + IP_OFFSET + 16, VIP_ADDRESS, ByteOrder.BIG_ENDIAN);
            frames.putShort(offset + IP_OFFSET + 22, (short)VIP_PORT, ByteOrder.BIG_ENDIAN);
        }
    }

    /** A TCP ACK from client 2001:2::c613:x:y, source port varying, to the VIP 2001:2::c612:101. */
    private void writeFrame6(final int index)
    {
        final int offset = offset(index);
        frames.putLong(offset, (LOCAL_MAC << 16) | 0x0200, ByteOrder.BIG_ENDIAN);
        frames.putInt(offset + 8, 0x0000_00FE, ByteOrder.BIG_ENDIAN);
        frames.putShort(offset + 12, (short)0x86DD, ByteOrder.BIG_ENDIAN);
        final int ip = offset + IP_OFFSET;
        frames.putInt(ip, 0x6000_0000, ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 4, (20 << 16) | (6 << 8) | TTL, ByteOrder.BIG_ENDIAN);
        frames.putLong(ip + 8, IPV6_HIGH, ByteOrder.BIG_ENDIAN);
        frames.putLong(ip + 16, (0xC613_0000L | (index >>> 4)), ByteOrder.BIG_ENDIAN);
        frames.putLong(ip + 24, IPV6_HIGH, ByteOrder.BIG_ENDIAN);
        frames.putLong(ip + 32, VIP_ADDRESS & 0xFFFF_FFFFL, ByteOrder.BIG_ENDIAN);
        final int tcp = ip + 40;
        frames.putInt(tcp, ((32768 + (index & 0xF) * 1000) << 16) | VIP_PORT, ByteOrder.BIG_ENDIAN);
        frames.putInt(tcp + 12, 0x5010_FAF0, ByteOrder.BIG_ENDIAN);
    }

    /** A TCP ACK from client 198.19.x.y, source port varying, to the VIP; the checksum is kept for restoring. */
    private void writeFrame(final int index)
    {
        if (ipv6)
        {
            writeFrame6(index);
            return;
        }
        final int offset = offset(index);
        frames.putLong(offset, (LOCAL_MAC << 16) | 0x0200, ByteOrder.BIG_ENDIAN);
        frames.putInt(offset + 8, 0x0000_00FE, ByteOrder.BIG_ENDIAN);
        frames.putShort(offset + 12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final int ip = offset + IP_OFFSET;
        frames.putInt(ip, 0x4500_0000 | (FRAME_LENGTH_IPV4 - IP_OFFSET), ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 4, 0x0000_4000, ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 8, (TTL << 24) | (6 << 16), ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 12, 0xC613_0000 | (index >>> 4), ByteOrder.BIG_ENDIAN);
        frames.putInt(ip + 16, VIP_ADDRESS, ByteOrder.BIG_ENDIAN);
        frames.putShort(ip + 10, (short)Checksums.ipv4HeaderChecksum(frames, ip, 20), ByteOrder.BIG_ENDIAN);
        checksums[index] = frames.getShort(ip + 10);
        final int tcp = ip + 20;
        frames.putInt(tcp, ((32768 + (index & 0xF) * 1000) << 16) | VIP_PORT, ByteOrder.BIG_ENDIAN);
        frames.putInt(tcp + 12, 0x5010_FAF0, ByteOrder.BIG_ENDIAN);
    }

    /** Where frame {@code index} starts. */
    private int offset(final int index)
    {
        return index * FRAME_SLOT + headroom;
    }

    private static AtomicCounter[] counter(final CountersManager manager, final String label)
    {
        return new AtomicCounter[]{WorkerCounters.allocate(manager, 99, 0, 0, label)};
    }
}
