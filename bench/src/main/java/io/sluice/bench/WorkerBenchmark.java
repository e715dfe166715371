package io.sluice.bench;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.IoPath;
import io.sluice.forwarder.conductor.ConfigFileStore;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.datapath.WorkerFactory;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A whole worker as {@link Forwarder#launch} makes it, fed bursts from memory: a forwarder is
 * launched embedded with {@link IoPath#NONE} (no sockets), its conductor restores a saved
 * configuration (one DSR or NAT VIP, ten reals) and publishes the forwarding table, and worker
 * 0's processor, flow and NAT tables and counters, made by the same factory as on AF_XDP and
 * AF_PACKET and counting into the real control file, take bursts of {@link #BURST} frames the
 * way the AF_XDP worker takes them from its RX ring: the published table and the clock read
 * once, {@code flowHash} of every frame, {@code prefetchFlows}, {@code process} each, then the
 * burst's counters. Reported per frame.
 *
 * <p>Why from memory: a worker agent's duty cycle reads a kernel socket's ring (AF_XDP or
 * AF_PACKET), which needs an interface; over a veth pair the kernel's own cost would be most
 * of what is measured. What this leaves out of the agent is the rings' descriptors, the frame
 * accounting and the TX kick.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=" + PacketProcessorBenchmark.BOUNDS_CHECKS_DISABLED})
@State(Scope.Thread)
public class WorkerBenchmark
{
    /** As the AF_XDP worker's RX burst. */
    static final int BURST = 64;
    static final int REALS = 10;
    static final int FRAME_SLOT = 128;
    static final int FRAME_LENGTH = 54;
    static final int IP_OFFSET = 14;
    /** Ethernet (to MAC 0, the socketless worker's), IPv4 (TTL 64, no checksum yet), TCP ACK to port 80 (no checksum). */
    static final byte[] ACK_TEMPLATE = HexFormat.of().parseHex(
        "000000000000" + "0200000000fe" + "0800" +
        "45000028" + "00004000" + "40060000" + "c6130000" + "c6120101" +
        "80000050" + "00000000" + "00000000" + "5010faf0" + "00000000");
    static final String VIP = "198.18.1.1:80/tcp";
    static final int VIP_ADDRESS = 0xC612_0101;
    static final int VIP_PORT = 80;
    static final long REAL_MAC = 0x0200_0000_0010L;
    static final long TABLE_WAIT_NS = TimeUnit.SECONDS.toNanos(10);

    /** Distinct 5-tuples in rotation, a power of two: in cache, and not. */
    @Param({"1024", "65536"})
    public int flowCount;

    /** The VIP's mode: dsr rewrites MACs and TTL; nat also the destination and the reply's translation. */
    @Param({"dsr", "nat"})
    public String mode;

    private Path stateDir;
    private Forwarder forwarder;
    private ForwardingTablePublisher tables;
    private PacketProcessor processor;
    private WorkerCounters counters;
    private UnsafeBuffer frames;
    private byte[] pristine;
    private final long[] hashes = new long[BURST];
    private int next;
    private long nowNs = 1_000_000_000L;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        stateDir = Files.createTempDirectory("sluice-worker-bench");
        final StringBuilder config = new StringBuilder("vip add " + VIP + " --mode " + mode + " --scheduler maglev\n");
        for (int i = 0; i < REALS; i++)
        {
            config.append("real add ").append(VIP).append(" 198.18.0.").append(11 + i).append(mode.equals("nat") ? ":8080" : "")
                .append(" --weight 100\n");
        }
        final Forwarder.Context context = new Forwarder.Context()
            .io(IoPath.NONE)
            .stateDir(stateDir)
            .flows(1 << 20)
            .maxCounters(1024)
            .nextHopResolver((address) -> REAL_MAC);
        Files.writeString(stateDir.resolve(ConfigFileStore.DEFAULT_FILE_NAME), config);
        forwarder = Forwarder.launch(context);
        tables = context.tables();
        awaitResolvedReals();
        final WorkerFactory.Worker worker = forwarder.worker(0);
        processor = worker.processor();
        counters = worker.counters();

        frames = new UnsafeBuffer(ByteBuffer.allocateDirect(flowCount * FRAME_SLOT));
        for (int i = 0; i < flowCount; i++)
        {
            writeFrame(i * FRAME_SLOT, i);
        }
        pristine = new byte[flowCount * FRAME_SLOT];
        frames.getBytes(0, pristine);
        for (int i = 0; i < flowCount / BURST; i++)
        {
            if (burst() != BURST * PacketProcessor.FORWARD)
            {
                throw new IllegalStateException("a frame of burst " + i + " was not forwarded");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        forwarder.close();
        try (var files = Files.list(stateDir))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        Files.delete(stateDir);
    }

    /** One burst of established flows through worker 0; returns the sum of verdicts. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int establishedFlowBurst()
    {
        return burst();
    }

    private int burst()
    {
        final int first = next;
        next = (first + BURST) & (flowCount - 1);
        final ForwardingTable table = tables.current();
        final long[] hashes = this.hashes;
        for (int i = 0; i < BURST; i++)
        {
            hashes[i] = processor.flowHash(frames, (first + i) * FRAME_SLOT, FRAME_LENGTH);
        }
        processor.prefetchFlows(hashes, BURST);
        int verdicts = 0;
        long txBytes = 0;
        for (int i = 0; i < BURST; i++)
        {
            final int offset = (first + i) * FRAME_SLOT;
            // The rewrite is in place: the frame is put back as it arrived (TTL, checksum, NAT's destination).
            frames.putBytes(offset, pristine, offset, FRAME_LENGTH);
            final int verdict = processor.process(frames, offset, FRAME_LENGTH, table, nowNs);
            verdicts += verdict;
            txBytes += verdict == PacketProcessor.FORWARD ? processor.forwardedLength() : 0;
        }
        counters.rxPackets.getAndAddRelease(BURST);
        counters.rxBytes.getAndAddRelease((long)BURST * FRAME_LENGTH);
        counters.txBytes.getAndAddRelease(txBytes);
        counters.batches.incrementRelease();
        return verdicts;
    }

    /** The conductor resolves the restored reals' MACs on its own thread; the table is ready once every real has one. */
    private void awaitResolvedReals()
    {
        final long deadline = System.nanoTime() + TABLE_WAIT_NS;
        while (true)
        {
            final VipEntry vip = tables.current().find(VIP_ADDRESS, VIP_PORT, 6);
            if (vip != null && vip.reals().length == REALS && Arrays.stream(vip.reals()).allMatch(RealEntry::macResolved))
            {
                return;
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the conductor did not publish " + VIP + " with " + REALS + " resolved reals");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** A TCP ACK from client 198.19.x.y to the VIP, its source port varying: the template with this client's address and port. */
    private void writeFrame(final int offset, final int index)
    {
        frames.putBytes(offset, ACK_TEMPLATE);
        final int ip = offset + IP_OFFSET;
        frames.putInt(ip + 12, 0xC613_0000 | (index >>> 4), ByteOrder.BIG_ENDIAN);
        frames.putShort(ip + 20, (short)(32768 + (index & 0xF) * 1000), ByteOrder.BIG_ENDIAN);
        final int checksum = Checksums.ipv4HeaderChecksum(frames, ip, 20);
        frames.putShort(ip + Checksums.IPV4_CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }
}
