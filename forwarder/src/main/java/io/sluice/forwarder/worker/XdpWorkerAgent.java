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
 * UMEM), its flow table and its counters; with an egress interface ({@code --egress-iface}) a
 * second socket on the same queue of that one, with a UMEM of its own.
 *
 * <p>Each duty cycle reads the clock and the published {@link ForwardingTable} once, takes sent
 * frames back from the completion rings, gives free frames to the fill rings, then handles one
 * burst from each RX ring in three passes: {@link PacketProcessor#flowHash} of every packet,
 * {@link PacketProcessor#prefetchFlows} (so the burst's flow-table misses overlap), then
 * {@link PacketProcessor#process} each. A table it has not seen before is self-tested first
 * ({@link SelfTest}: one probe per VIP, nothing sent). A packet that leaves by the interface it came in by goes
 * on that socket's TX ring in the same UMEM frame it arrived in: no copy. One that leaves by the
 * other interface (to a real by the egress one; a NAT reply back to the client by the first)
 * goes on the other socket's TX ring in the same frame too when the two sockets share one UMEM
 * ({@link XdpSocket#openSharingUmem}); with a UMEM each it is copied into a frame of the other's,
 * which keeps {@link #COPY_RESERVE} frames out of its fill ring for this. A dropped packet's frame goes straight back to the free stack. The
 * kernel is kicked only when a TX ring asks for it, as often as it takes to drain the ring
 * ({@link XdpSocket#flushTx()}). Nothing here allocates.
 */
public final class XdpWorkerAgent implements Agent
{
    /** Packets taken from an RX ring per duty cycle, as libxdp's examples do. */
    public static final int BURST = 64;
    /** Frames each socket of a two-interface worker keeps free for copies from the other: bursts of both rings. */
    public static final int COPY_RESERVE = 4 * BURST;

    private static final int TX_FAILED = DropReason.TX_FAILED.code();

    /** One socket with its frames, its UMEM as a buffer, and the TX slots of the current duty cycle. */
    private static final class Port
    {
        final XdpSocket socket;
        final XdpFrames frames;
        final UnsafeBuffer umem;
        final ConsumerRing rx;
        final ProducerRing tx;
        final ProducerRing fill;
        final ConsumerRing completion;
        int txSlots;
        int queued;

        Port(final XdpSocket socket, final XdpFrames frames)
        {
            this.socket = socket;
            this.frames = frames;
            this.umem = new UnsafeBuffer(socket.umemAddress(), (int)socket.umemLength());
            this.rx = socket.rxRing();
            this.tx = socket.txRing();
            this.fill = socket.fillRing();
            this.completion = socket.completionRing();
        }
    }

    private final int workerIndex;
    private final Port ingress;
    /** The egress interface's socket, or {@link #ingress} itself with one interface. */
    private final Port egress;
    /** Both sockets use one UMEM (and one account of its frames): a frame moves between them as it is. */
    private final boolean sharedUmem;
    private final PacketProcessor processor;
    private final ForwardingTablePublisher tables;
    private final WorkerCounters counters;
    private final NanoClock clock;
    private final int cpu;
    private final long[] hashes = new long[BURST];
    private final SelfTest selfTest;

    public XdpWorkerAgent(
        final int workerIndex,
        final XdpSocket socket,
        final PacketProcessor processor,
        final ForwardingTablePublisher tables,
        final WorkerCounters counters,
        final NanoClock clock,
        final int cpu)
    {
        this(workerIndex, socket, null, false, processor, tables, counters, clock, cpu);
    }

    /**
     * @param egressSocket the same queue's socket on the egress interface, or null for one interface.
     * @param sharedUmem   whether the egress socket uses {@code socket}'s UMEM.
     */
    public XdpWorkerAgent(
        final int workerIndex,
        final XdpSocket socket,
        final XdpSocket egressSocket,
        final boolean sharedUmem,
        final PacketProcessor processor,
        final ForwardingTablePublisher tables,
        final WorkerCounters counters,
        final NanoClock clock,
        final int cpu)
    {
        this.workerIndex = workerIndex;
        this.ingress = new Port(socket, new XdpFrames(socket.options()));
        this.sharedUmem = egressSocket != null && sharedUmem;
        this.egress = egressSocket == null ? ingress :
            new Port(egressSocket, this.sharedUmem ? ingress.frames : new XdpFrames(egressSocket.options()));
        this.processor = processor;
        this.tables = tables;
        this.counters = counters;
        this.clock = clock;
        this.cpu = cpu;
        this.selfTest = new SelfTest(workerIndex, processor);
        if (egress != ingress && !this.sharedUmem)
        {
            ingress.frames.reserveForCopies(COPY_RESERVE);
            egress.frames.reserveForCopies(COPY_RESERVE);
        }
        ingress.frames.refill(ingress.fill);
        if (egress != ingress)
        {
            egress.frames.refill(egress.fill);
        }
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
        final boolean two = egress != ingress;
        int work = begin(ingress, two);
        if (two)
        {
            work += begin(egress, true);
        }
        counters.heartbeat.incrementRelease();
        final long nowNs = clock.nanoTime();
        final ForwardingTable table = tables.current();
        processor.countFlows(table, nowNs);
        work += selfTest.run(table, nowNs);
        work += receive(ingress, table, nowNs);
        if (two)
        {
            work += receive(egress, table, nowNs);
        }
        send(ingress);
        if (two)
        {
            send(egress);
        }
        return work;
    }

    /** Reclaims sent frames, refills, and reserves this cycle's TX slots. @return frames reclaimed. */
    private static int begin(final Port port, final boolean two)
    {
        final int reclaimed = port.frames.reclaim(port.completion, two ? 2 * BURST : BURST);
        port.frames.refill(port.fill);
        port.txSlots = port.tx.reserve(two ? 2 * BURST : BURST);
        port.queued = 0;
        return reclaimed;
    }

    /** Handles one burst of the port's RX ring. @return packets taken. */
    private int receive(final Port port, final ForwardingTable table, final long nowNs)
    {
        final ConsumerRing rx = port.rx;
        final int n = rx.peek(BURST);
        if (n == 0)
        {
            return 0;
        }
        port.frames.received(n);
        final PacketProcessor processor = this.processor;
        final UnsafeBuffer umem = port.umem;

        final long[] hashes = this.hashes;
        for (int i = 0; i < n; i++)
        {
            hashes[i] = processor.flowHash(umem, (int)rx.address(i), rx.length(i));
        }
        processor.prefetchFlows(hashes, n);

        long rxBytes = 0;
        long txBytes = 0;
        for (int i = 0; i < n; i++)
        {
            final long address = rx.address(i);
            final int length = rx.length(i);
            rxBytes += length;
            if (processor.process(umem, (int)address, length, table, nowNs) == PacketProcessor.FORWARD)
            {
                final Port out = processor.forwardedToClient() ? ingress : egress;
                final int sent = processor.forwardedLength();
                if (out.queued < out.txSlots)
                {
                    if (out == port || sharedUmem)
                    {
                        out.tx.setDescriptor(out.queued++, processor.forwardedOffset(), sent);
                        txBytes += sent;
                        continue;
                    }
                    final long copy = out.frames.take();
                    if (copy >= 0)
                    {
                        out.umem.putBytes((int)copy, umem, processor.forwardedOffset(), sent);
                        out.tx.setDescriptor(out.queued++, copy, sent);
                        txBytes += sent;
                        port.frames.release(address);
                        continue;
                    }
                }
                counters.drop(TX_FAILED);
            }
            port.frames.release(address);
        }
        rx.release(n);
        counters.rxPackets.getAndAddRelease(n);
        counters.rxBytes.getAndAddRelease(rxBytes);
        counters.txBytes.getAndAddRelease(txBytes);
        counters.batches.incrementRelease();
        return n;
    }

    /** Publishes this cycle's TX descriptors and kicks the kernel; retries a TX ring left unsent. */
    private void send(final Port port)
    {
        final int queued = port.queued;
        if (queued > 0)
        {
            port.tx.submit(queued);
            port.frames.sent(queued);
            counters.txPackets.getAndAddRelease(queued);
            port.socket.flushTx();
        }
        else if (port.frames.sendingFrames() > 0)
        {
            port.socket.flushTx();
        }
    }

    /** The worker's frame accounting of its first socket, for tests and diagnostics (read it only while the agent is stopped). */
    public XdpFrames frames()
    {
        return ingress.frames;
    }

    /** The same of its egress socket: the same object when the two share a UMEM or there is one interface. */
    public XdpFrames egressFrames()
    {
        return egress.frames;
    }

    @Override
    public void onClose()
    {
        selfTest.close();
    }

    @Override
    public String roleName()
    {
        return "sluice-xdp-worker-" + workerIndex;
    }
}
