package io.sluice.forwarder.golden;

import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.sluice.forwarder.packet.PacketConstants.TCP_ACK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every frame the processor can be handed (first to {@link PacketProcessor#prefetch}, then to
 * {@link PacketProcessor#process}, as a worker does) — each prefix of a valid frame, and many thousands of
 * frames with random bytes changed and random lengths — is forwarded or dropped with a counted
 * reason, and nothing is read or written outside the frame.
 *
 * <p>Each frame sits in a buffer exactly as long as the frame, and tests run with Agrona's bounds
 * checks on, so a read past the frame's end throws here. That is what allows the forwarder to run
 * with the checks off (as Aeron does in production): the flyweights' own length checks are the
 * ones that keep the data path inside the frame, and this test is their proof.
 */
final class MalformedFrameTest
{
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final long ROUTER_MAC = 0x0200_0000_00FEL;
    private static final int MUTATED_FRAMES = 50_000;
    private static final long SEED = 20_261_123L;

    private final TestTables tables = new TestTables();

    @Test
    void everyPrefixOfEveryKindOfFrameIsForwardedOrACountedDrop()
    {
        final ForwardingTable table = table();
        try (FlowTable flows = new FlowTable(1024);
            WorkerCounters counters = tables.workerCounters(0))
        {
            final PacketProcessor processor = new PacketProcessor(0, flows, counters);
            processor.localMac(LOCAL_MAC);
            long drops = 0;
            long frames = 0;
            for (final byte[] frame : seedFrames())
            {
                for (int length = 0; length <= frame.length; length++)
                {
                    // As cut by a short read, and as sent short: the IPv4 total length agreeing with the cut.
                    for (final byte[] prefix : List.of(Arrays.copyOf(frame, length), consistentPrefix(frame, length)))
                    {
                        final UnsafeBuffer buffer = new UnsafeBuffer(prefix);
                        processor.prefetchFlows(new long[]{ processor.flowHash(buffer, 0, length) }, 1);
                        final int verdict = processor.process(buffer, 0, length, table, 1_000_000_000L);
                        drops += verdict == PacketProcessor.FORWARD ? 0 : 1;
                        frames++;
                        assertThat(verdict).as("verdict for a %d-byte prefix", length).isBetween(0, DropReason.values().length);
                    }
                }
                assertThat(processor.process(new UnsafeBuffer(frame.clone()), 0, frame.length, table, 1_000_000_000L))
                    .as("the whole frame is forwarded").isEqualTo(PacketProcessor.FORWARD);
                frames++;
            }
            assertThat(totalDrops(counters)).as("every drop counted, of %d frames", frames).isEqualTo(drops);
        }
    }

    @Test
    void framesWithRandomBytesAndLengthsNeverReadOutsideThemselves()
    {
        final ForwardingTable table = table();
        final List<byte[]> seeds = seedFrames();
        final SplittableRandom random = new SplittableRandom(SEED);
        try (FlowTable flows = new FlowTable(1024);
            WorkerCounters counters = tables.workerCounters(0))
        {
            final PacketProcessor processor = new PacketProcessor(0, flows, counters);
            processor.localMac(LOCAL_MAC);
            long drops = 0;
            long forwarded = 0;
            for (int i = 0; i < MUTATED_FRAMES; i++)
            {
                final byte[] seed = seeds.get(random.nextInt(seeds.size()));
                final byte[] frame = Arrays.copyOf(seed, random.nextInt(seed.length + 1));
                final int changes = 1 + random.nextInt(4);
                for (int c = 0; c < changes && frame.length > 0; c++)
                {
                    frame[random.nextInt(frame.length)] = (byte)random.nextInt(256);
                }
                final UnsafeBuffer buffer = new UnsafeBuffer(frame);
                processor.prefetchFlows(new long[]{ processor.flowHash(buffer, 0, frame.length) }, 1);
                final int verdict = processor.process(buffer, 0, frame.length, table, 1_000_000_000L);
                if (verdict == PacketProcessor.FORWARD)
                {
                    forwarded++;
                }
                else
                {
                    drops++;
                }
            }
            assertThat(totalDrops(counters)).isEqualTo(drops);
            assertThat(forwarded).as("some mutations leave a forwardable frame, so the test reaches the rewrite").isPositive();
            assertThat(drops).as("and most do not").isGreaterThan(forwarded);
        }
    }

    private ForwardingTable table()
    {
        final VipEntry tcp = tables.vip("198.18.1.1:80/tcp", tables.real(1, "198.18.0.11", 0x0200_0000_0011L));
        final VipEntry udp = tables.vip("198.18.1.1:53/udp", tables.real(2, "198.18.0.12", 0x0200_0000_0012L));
        return new ForwardingTable(new VipEntry[]{ tcp, udp }, 1);
    }

    /** One of each shape the parser distinguishes, all addressed to a configured VIP. */
    private static List<byte[]> seedFrames()
    {
        final List<byte[]> frames = new ArrayList<>();
        frames.add(PacketBuilder.ethernet(LOCAL_MAC, ROUTER_MAC).ipv4("198.19.0.1", "198.18.1.1")
            .tcp(40000, 80).tcpFlags(TCP_ACK).payload("GET / HTTP/1.1\r\n").build());
        frames.add(PacketBuilder.ethernet(LOCAL_MAC, ROUTER_MAC).ipv4("198.19.0.1", "198.18.1.1")
            .udp(40000, 53).payload("query").build());
        frames.add(PacketBuilder.ethernet(LOCAL_MAC, ROUTER_MAC).vlan(7).ipv4("198.19.0.1", "198.18.1.1")
            .tcp(40001, 80).tcpFlags(TCP_ACK).build());
        frames.add(PacketBuilder.ethernet(LOCAL_MAC, ROUTER_MAC).qinq(100, 7).ipv4("198.19.0.1", "198.18.1.1")
            .udp(40002, 53).payload("q").build());
        return frames;
    }

    /** The first {@code length} bytes, with the IPv4 total length (when it is inside them) saying that is all. */
    private static byte[] consistentPrefix(final byte[] frame, final int length)
    {
        final byte[] prefix = Arrays.copyOf(frame, length);
        final int ipOffset = ipOffset(frame);
        if (length >= ipOffset + 4)
        {
            final int totalLength = length - ipOffset;
            prefix[ipOffset + 2] = (byte)(totalLength >>> 8);
            prefix[ipOffset + 3] = (byte)totalLength;
        }
        return prefix;
    }

    /** Where the IPv4 header starts: after the MACs and any 802.1Q / 802.1ad tags. */
    private static int ipOffset(final byte[] frame)
    {
        int offset = 12;
        while (((frame[offset] & 0xFF) << 8 | (frame[offset + 1] & 0xFF)) != 0x0800)
        {
            offset += 4;
        }
        return offset + 2;
    }

    private static long totalDrops(final WorkerCounters counters)
    {
        long total = 0;
        for (final DropReason reason : DropReason.values())
        {
            total += counters.drops(reason).get();
        }
        return total;
    }
}
