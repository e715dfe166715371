package io.sluice.forwarder.worker;

import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.linux.ThreadAffinity;
import io.sluice.linux.xdp.ConsumerRing;
import io.sluice.linux.xdp.ProducerRing;
import io.sluice.linux.xdp.XdpFrames;
import io.sluice.linux.xdp.XdpSocket;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One worker of the AF_XDP data path: owns one socket (one queue of the interface, its own
 * UMEM), its flow table and its counters.
 *
 * <p>Each duty cycle reads the clock and the published {@link ForwardingTable} once, takes sent
 * frames back from the completion ring, gives free frames to the fill ring, then handles one
 * burst from the RX ring in three passes: {@link PacketProcessor#flowHash} of every packet,
 * {@link PacketProcessor#prefetchFlows} (so the burst's flow-table misses overlap), then
 * {@link PacketProcessor#process} each and put the
 * forwarded ones on the TX ring in the same UMEM frame they arrived in: no copy. A dropped
 * packet's frame goes straight back to the free stack. The kernel is kicked only when the TX
 * ring asks for it, as often as it takes to drain the ring ({@link XdpSocket#flushTx()}).
 * Nothing here allocates.
 */
public final class XdpWorkerAgent implements Agent
{
    /** Packets taken from the RX ring per duty cycle, as libxdp's examples do. */
    public static final int BURST = 64;

    private static final int TX_FAILED = DropReason.TX_FAILED.code();

    private final int workerIndex;
    private final XdpSocket socket;
    private final XdpFrames frames;
    private final PacketProcessor processor;
    private final ForwardingTablePublisher tables;
    private final WorkerCounters counters;
    private final NanoClock clock;
    private final UnsafeBuffer umem;
    private final ConsumerRing rx;
    private final ProducerRing tx;
    private final ProducerRing fill;
    private final ConsumerRing completion;
    private final int cpu;
    private final long[] hashes = new long[BURST];

    public XdpWorkerAgent(
        final int workerIndex,
        final XdpSocket socket,
        final PacketProcessor processor,
        final ForwardingTablePublisher tables,
        final WorkerCounters counters,
        final NanoClock clock,
        final int cpu)
    {
        this.workerIndex = workerIndex;
        this.socket = socket;
        this.frames = new XdpFrames(socket.options());
        this.processor = processor;
        this.tables = tables;
        this.counters = counters;
        this.clock = clock;
        this.umem = new UnsafeBuffer(socket.umemAddress(), (int)socket.umemLength());
        this.rx = socket.rxRing();
        this.tx = socket.txRing();
        this.fill = socket.fillRing();
        this.completion = socket.completionRing();
        this.cpu = cpu;
        frames.refill(fill);
    }

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
        final int reclaimed = frames.reclaim(completion, BURST);
        frames.refill(fill);
        final int n = rx.peek(BURST);
        if (n == 0)
        {
            if (frames.sendingFrames() > 0)
            {
                socket.flushTx();
            }
            return reclaimed;
        }
        frames.received(n);
        final long nowNs = clock.nanoTime();
        final ForwardingTable table = tables.current();
        final PacketProcessor processor = this.processor;
        final UnsafeBuffer umem = this.umem;

        final long[] hashes = this.hashes;
        for (int i = 0; i < n; i++)
        {
            hashes[i] = processor.flowHash(umem, (int)rx.address(i), rx.length(i));
        }
        processor.prefetchFlows(hashes, n);

        final int slots = tx.reserve(n);
        int queued = 0;
        long rxBytes = 0;
        long txBytes = 0;
        for (int i = 0; i < n; i++)
        {
            final long address = rx.address(i);
            final int length = rx.length(i);
            rxBytes += length;
            if (processor.process(umem, (int)address, length, table, nowNs) == PacketProcessor.FORWARD)
            {
                if (queued < slots)
                {
                    final int sent = processor.forwardedLength();
                    tx.setDescriptor(queued++, processor.forwardedOffset(), sent);
                    txBytes += sent;
                    continue;
                }
                counters.drop(TX_FAILED);
            }
            frames.release(address);
        }
        rx.release(n);
        if (queued > 0)
        {
            tx.submit(queued);
            frames.sent(queued);
            socket.flushTx();
        }
        counters.rxPackets.getAndAddRelease(n);
        counters.rxBytes.getAndAddRelease(rxBytes);
        counters.txPackets.getAndAddRelease(queued);
        counters.txBytes.getAndAddRelease(txBytes);
        counters.batches.incrementRelease();
        return n + reclaimed;
    }

    /** The worker's frame accounting, for tests and diagnostics (read it only while the agent is stopped). */
    public XdpFrames frames()
    {
        return frames;
    }

    @Override
    public String roleName()
    {
        return "sluice-xdp-worker-" + workerIndex;
    }
}
