package io.sluice.linux.packet;

import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-packet calls allocate nothing once compiled, counted by the JVM for this thread.
 * Interpreted FFM downcalls do allocate a little, and compilation runs in the background, so
 * the test measures rounds until one is free of allocation; code that allocates in steady
 * state (boxing, a slice per call) never gets such a round and fails.
 */
@Tag("lab")
class HotPathAllocationLabTest
{
    private static final int WARM_UP = 50_000;
    private static final int ROUND = 10_000;
    private static final int MAX_ROUNDS = 20;

    @Test
    void ringPollingBatchSendingAndStatisticsAllocateNothing()
    {
        Privileges.requireRootAndIp();
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (VethLab lab = VethLab.create("nt"))
        {
            final List<Long> allocatedPerRound = VethLab.inNamespace(lab.namespaceA(), () ->
            {
                try (PacketSocket socket = PacketSocket.open(VethLab.INTERFACE_A, PacketSocketOptions.defaults().withRing(16 * 1024, 4));
                     PacketBatchSender sender = PacketBatchSender.over(socket, 4);
                     Arena arena = Arena.ofConfined())
                {
                    final byte[] frame = EthernetFrames.udp(VethLab.MAC_B, VethLab.MAC_A, VethLab.ADDRESS_A,
                        VethLab.ADDRESS_B, 5555, 9, new byte[18]);
                    final MemorySegment copy = arena.allocateFrom(JAVA_BYTE, frame);
                    final PacketStatistics statistics = new PacketStatistics();
                    assertThat(exercise(socket, sender, copy.address(), frame.length, statistics, WARM_UP)).isEqualTo(2 * WARM_UP);
                    final List<Long> rounds = new ArrayList<>();
                    for (int round = 0; round < MAX_ROUNDS && (rounds.isEmpty() || rounds.getLast() != 0); round++)
                    {
                        final long before = threads.getCurrentThreadAllocatedBytes();
                        exercise(socket, sender, copy.address(), frame.length, statistics, ROUND);
                        rounds.add(threads.getCurrentThreadAllocatedBytes() - before);
                    }
                    return rounds;
                }
            });

            assertThat(allocatedPerRound).as("bytes allocated per round of %d iterations", ROUND).contains(0L);
        }
    }

    private static int exercise(
        final PacketSocket socket, final PacketBatchSender sender, final long frame, final int length,
        final PacketStatistics statistics, final int iterations)
    {
        int sent = 0;
        for (int i = 0; i < iterations; i++)
        {
            socket.awaitBlock(0);
            if (socket.nextBlockReady())
            {
                socket.releaseBlock();
            }
            sender.add(frame, length);
            sender.add(frame, length);
            sent += sender.flush();
            socket.readStatistics(statistics);
        }
        return sent;
    }
}
