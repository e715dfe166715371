package io.sluice.forwarder.worker;

import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.linux.ThreadAffinity;
import io.sluice.linux.packet.PacketBatchSender;
import io.sluice.linux.packet.PacketSocket;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * One worker of the AF_PACKET data path: owns one packet socket (a member of the forwarder's
 * fanout group, so a flow always reaches the same worker), its flow table and its counters.
 *
 * <p>Each duty cycle reads the clock and the published {@link ForwardingTable} once, then for
 * up to {@link #MAX_BLOCKS_PER_CYCLE} ready ring blocks: rewrites every frame in place through
 * the {@link PacketProcessor}, queues the frames to forward straight from the ring memory into
 * one {@code sendmmsg} batch, sends it, and only then hands the block back to the kernel (the
 * batch points into the block). A block's frames go through in bursts of {@link #BURST}, in the
 * AF_XDP worker's three passes: {@link PacketProcessor#flowHash} of each, {@link
 * PacketProcessor#prefetchFlows} (so the burst's flow-table misses overlap), then {@link
 * PacketProcessor#process} each. A table it has not seen before is self-tested first ({@link
 * SelfTest}: one probe per VIP, nothing sent). Nothing here allocates.
 */
public final class PacketWorkerAgent implements Agent
{
    /** Bounds one duty cycle so the agent returns to its idle strategy and the clock regularly. */
    static final int MAX_BLOCKS_PER_CYCLE = 4;
    /** Frames whose flow-table buckets are brought in together before any of them is processed. */
    static final int BURST = 64;

    private static final int VLAN_TAG_BYTES = 4;
    private static final int MAC_PAIR_BYTES = 12;

    private final int workerIndex;
    private final Port ingress;
    /** The second interface's socket ({@code --egress-iface}), the same as {@link #ingress} without one. */
    private final Port egress;
    private final PacketProcessor processor;
    private final ForwardingTablePublisher tables;
    private final WorkerCounters counters;
    private final NanoClock clock;
    private final int cpu;
    private final long[] hashes = new long[BURST];
    private final SelfTest selfTest;

    /** One interface's socket, its ring as a buffer, and the batch of frames to send by it. */
    private static final class Port
    {
        final PacketSocket socket;
        final PacketBatchSender sender;
        final UnsafeBuffer ring;
        final long ringAddress;

        Port(final PacketSocket socket, final PacketBatchSender sender)
        {
            this.socket = socket;
            this.sender = sender;
            this.ring = new UnsafeBuffer(socket.ringAddress(), socket.ringLength());
            this.ringAddress = socket.ringAddress();
        }
    }

    public PacketWorkerAgent(
        final int workerIndex,
        final PacketSocket socket,
        final PacketBatchSender sender,
        final PacketProcessor processor,
        final ForwardingTablePublisher tables,
        final WorkerCounters counters,
        final NanoClock clock,
        final int cpu)
    {
        this(workerIndex, socket, sender, null, null, processor, tables, counters, clock, cpu);
    }

    /**
     * A worker on two interfaces: packets from either are forwarded, those to reals leave by the
     * egress socket, those to clients (NAT replies, ICMP answers) by the first. Null egress
     * socket and sender: one interface.
     */
    public PacketWorkerAgent(
        final int workerIndex,
        final PacketSocket socket,
        final PacketBatchSender sender,
        final PacketSocket egressSocket,
        final PacketBatchSender egressSender,
        final PacketProcessor processor,
        final ForwardingTablePublisher tables,
        final WorkerCounters counters,
        final NanoClock clock,
        final int cpu)
    {
        this.workerIndex = workerIndex;
        this.ingress = new Port(socket, sender);
        this.egress = egressSocket == null ? ingress : new Port(egressSocket, egressSender);
        this.processor = processor;
        this.tables = tables;
        this.counters = counters;
        this.clock = clock;
        this.cpu = cpu;
        this.selfTest = new SelfTest(workerIndex, processor);
    }

    /** Pins the agent's thread to its CPU, when it has one: a worker should never migrate mid-batch. */
    @Override
    public void onStart()
    {
        if (cpu >= 0)
        {
            ThreadAffinity.pinCurrentThread(cpu);
        }
    }

    @Override
    public int doWork()
    {
        counters.heartbeat.incrementRelease();
        final long nowNs = clock.nanoTime();
        final ForwardingTable table = tables.current();
        processor.countFlows(table, nowNs);
        int frames = selfTest.run(table, nowNs);
        frames += forwardBlocks(ingress, table, nowNs);
        if (egress != ingress)
        {
            frames += forwardBlocks(egress, table, nowNs);
        }
        return frames;
    }

    private int forwardBlocks(final Port port, final ForwardingTable table, final long nowNs)
    {
        int frames = 0;
        final PacketSocket socket = port.socket;
        for (int blocks = 0; blocks < MAX_BLOCKS_PER_CYCLE && socket.nextBlockReady(); blocks++)
        {
            frames += forwardBlock(port, table, nowNs);
            socket.releaseBlock();
        }
        return frames;
    }

    /** Forwards every frame of the port's ready block; every batch that points into it is sent before it returns. */
    private int forwardBlock(final Port port, final ForwardingTable table, final long nowNs)
    {
        final PacketSocket socket = port.socket;
        final UnsafeBuffer ring = port.ring;
        final int count = socket.blockPacketCount();
        int frame = socket.firstFrameOffset();
        long rxBytes = 0;
        for (int i = 0; i < count; i++)
        {
            if (i % BURST == 0)
            {
                prefetchFlows(socket, ring, frame, Math.min(BURST, count - i));
            }
            int offset = socket.macOffset(frame);
            int length = socket.snapLength(frame);
            rxBytes += length;
            if (length < socket.wireLength(frame))
            {
                counters.drop(DropReason.TRUNCATED.code());
            }
            else
            {
                if (socket.vlanValid(frame))
                {
                    offset = reinsertVlanTag(ring, offset, socket.vlanTpid(frame), socket.vlanTci(frame));
                    length += VLAN_TAG_BYTES;
                }
                if (processor.process(ring, offset, length, table, nowNs) == PacketProcessor.FORWARD)
                {
                    if (socket.checksumNotReady(frame))
                    {
                        processor.completeTransportChecksum(ring);
                    }
                    final Port out = processor.forwardedToClient() ? ingress : egress;
                    queue(out.sender, port.ringAddress + processor.forwardedOffset(), processor.forwardedLength());
                }
            }
            frame = socket.nextFrameOffset(frame);
        }
        flush(ingress.sender);
        if (egress != ingress)
        {
            flush(egress.sender);
        }
        counters.rxPackets.getAndAddRelease(count);
        counters.rxBytes.getAndAddRelease(rxBytes);
        counters.batches.incrementRelease();
        return count;
    }

    /**
     * The first two passes over {@code frames} frames of the block from {@code firstFrame} on. A
     * frame whose VLAN tag the kernel stripped hashes the same without it: the key is the 5-tuple.
     */
    private void prefetchFlows(final PacketSocket socket, final UnsafeBuffer ring, final int firstFrame, final int frames)
    {
        final PacketProcessor processor = this.processor;
        final long[] hashes = this.hashes;
        int frame = firstFrame;
        for (int i = 0; i < frames; i++)
        {
            hashes[i] = processor.flowHash(ring, socket.macOffset(frame), socket.snapLength(frame));
            frame = socket.nextFrameOffset(frame);
        }
        processor.prefetchFlows(hashes, frames);
    }

    /**
     * The kernel strips an 802.1Q tag into the ring's metadata before packet sockets see the
     * frame; put it back in front of the frame (the socket reserves headroom for this) so the
     * frame that leaves is the frame that came in, tag included.
     */
    private static int reinsertVlanTag(final UnsafeBuffer ring, final int macOffset, final int tpid, final int tci)
    {
        final int tagged = macOffset - VLAN_TAG_BYTES;
        final long macs = ring.getLong(macOffset);
        final int macsTail = ring.getInt(macOffset + 8);
        ring.putLong(tagged, macs);
        ring.putInt(tagged + 8, macsTail);
        ring.putShort(tagged + MAC_PAIR_BYTES, (short)(tpid == 0 ? 0x8100 : tpid), ByteOrder.BIG_ENDIAN);
        ring.putShort(tagged + MAC_PAIR_BYTES + 2, (short)tci, ByteOrder.BIG_ENDIAN);
        return tagged;
    }

    private void queue(final PacketBatchSender sender, final long address, final int length)
    {
        if (!sender.add(address, length))
        {
            flush(sender);
            sender.add(address, length);
        }
        counters.txBytes.getAndAddRelease(length);
    }

    private void flush(final PacketBatchSender sender)
    {
        final int pending = sender.pending();
        if (pending == 0)
        {
            return;
        }
        final int sent = sender.flush();
        counters.txPackets.getAndAddRelease(sent);
        if (sent < pending)
        {
            counters.txErrors.getAndAddRelease(pending - sent);
            counters.drops(DropReason.TX_FAILED).getAndAddRelease(pending - sent);
        }
    }

    @Override
    public void onClose()
    {
        flush(ingress.sender);
        flush(egress.sender);
        selfTest.close();
    }

    @Override
    public String roleName()
    {
        return "sluice-worker-" + workerIndex;
    }
}
