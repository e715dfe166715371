package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.command.CommandFlyweight;
import io.sluice.forwarder.command.CommandTypes;
import io.sluice.forwarder.command.ConfigPutFlyweight;
import io.sluice.forwarder.command.ConfigReplyFlyweight;
import io.sluice.forwarder.command.GetConfigFlyweight;
import io.sluice.forwarder.command.RealAddFlyweight;
import io.sluice.forwarder.command.RealDelFlyweight;
import io.sluice.forwarder.command.ReplyFlyweight;
import io.sluice.forwarder.command.VipAddFlyweight;
import io.sluice.forwarder.command.VipDelFlyweight;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersManager;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-process forwarder control plane for tests: on-heap command ring, broadcast buffer and
 * counters, hand-driven clocks, a fake next-hop resolver, and a client that sends a command,
 * runs the conductor's duty cycle and returns the reply.
 */
final class ConductorHarness
{
    static final int WORKERS = 2;
    static final int MAX_COUNTERS = 4096;

    final ManyToOneRingBuffer commands = new ManyToOneRingBuffer(
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    final UnsafeBuffer broadcastBuffer =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(256 * 1024 + BroadcastBufferDescriptor.TRAILER_LENGTH, 64));
    final CopyBroadcastReceiver replies = new CopyBroadcastReceiver(new BroadcastReceiver(broadcastBuffer), 64 * 1024);
    final CachedEpochClock epochClock = new CachedEpochClock();
    final CachedNanoClock nanoClock = new CachedNanoClock();
    final CountersManager counters = new CountersManager(
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_COUNTERS * 512, 64)),
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_COUNTERS * 128, 64)),
        StandardCharsets.US_ASCII, epochClock, ConductorAgent.COUNTER_FREE_TO_REUSE_TIMEOUT_MS);
    final ForwardingTablePublisher tables = new ForwardingTablePublisher();
    final FakeResolver resolver = new FakeResolver();
    final List<List<VipKey>> vipSetCalls = new ArrayList<>();
    final List<List<VipKey>> natRealCalls = new ArrayList<>();
    final List<List<VipKey>> servableCalls = new ArrayList<>();

    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
    private int lastReplyType;
    private long lastCorrelationId;
    private final ReplyFlyweight reply = new ReplyFlyweight();
    private final ConfigReplyFlyweight configReply = new ConfigReplyFlyweight();
    private Reply received;
    private ConfigChunk receivedChunk;

    record Reply(int typeId, int status, String message)
    {
    }

    record ConfigChunk(long version, int totalLength, int offset, byte[] bytes)
    {
    }

    static final class FakeResolver implements NextHopResolver
    {
        final Map<Integer, Long> macs = new HashMap<>();
        int calls;

        @Override
        public long resolveMac(final IpAddress address)
        {
            calls++;
            return macs.getOrDefault(address.ipv4(), 0L);
        }
    }

    ConductorHarness()
    {
        epochClock.update(1_000_000L);
        nanoClock.update(5_000_000_000L);
    }

    ConductorAgent newConductor(final Path configFile)
    {
        return new ConductorAgent(new ConductorContext(
            commands, new BroadcastTransmitter(broadcastBuffer), counters, tables, WORKERS, resolver, configFile,
            epochClock, nanoClock, new VipSetListener()
            {
                @Override
                public void onVips(final List<VipKey> vips)
                {
                    vipSetCalls.add(vips);
                }

                @Override
                public void onNatReals(final List<VipKey> natReals)
                {
                    natRealCalls.add(natReals);
                }

                @Override
                public void onServableVips(final List<VipKey> servable)
                {
                    servableCalls.add(servable);
                }
            }, null));
    }

    Reply vipAdd(final ConductorAgent conductor, final VipKey key, final String mode, final String scheduler)
    {
        return vipAdd(conductor, key, mode, scheduler, "none");
    }

    Reply vipAdd(final ConductorAgent conductor, final VipKey key, final String mode, final String scheduler, final String health)
    {
        return vipAdd(conductor, key, mode, scheduler, health, "");
    }

    Reply vipAdd(final ConductorAgent conductor, final VipKey key, final String mode, final String scheduler, final String health,
        final String options)
    {
        final VipAddFlyweight command = new VipAddFlyweight().wrap(scratch, 0, scratch.capacity());
        command.correlationId(commands.nextCorrelationId());
        command.vipKey(key);
        command.mode(mode);
        command.scheduler(scheduler);
        command.health(health);
        command.options(options);
        return send(conductor, CommandTypes.VIP_ADD, command);
    }

    Reply vipAdd(final ConductorAgent conductor, final String vip)
    {
        return vipAdd(conductor, VipKey.parse(vip), "dsr", "maglev");
    }

    Reply vipDel(final ConductorAgent conductor, final String vip)
    {
        final VipDelFlyweight command = new VipDelFlyweight().wrap(scratch, 0, scratch.capacity());
        command.correlationId(commands.nextCorrelationId());
        command.vipKey(VipKey.parse(vip));
        return send(conductor, CommandTypes.VIP_DEL, command);
    }

    Reply realAdd(final ConductorAgent conductor, final String vip, final String real, final int weight)
    {
        final RealSpec spec = RealSpec.parse(real, weight);
        final RealAddFlyweight command = new RealAddFlyweight().wrap(scratch, 0, scratch.capacity());
        command.correlationId(commands.nextCorrelationId());
        command.vipKey(VipKey.parse(vip));
        command.realAddress(spec.address());
        command.realPort(spec.port());
        command.weight(spec.weight());
        return send(conductor, CommandTypes.REAL_ADD, command);
    }

    Reply realDel(final ConductorAgent conductor, final String vip, final String real)
    {
        final RealSpec spec = RealSpec.parse(real, 1);
        final RealDelFlyweight command = new RealDelFlyweight().wrap(scratch, 0, scratch.capacity());
        command.correlationId(commands.nextCorrelationId());
        command.vipKey(VipKey.parse(vip));
        command.realAddress(spec.address());
        command.realPort(spec.port());
        return send(conductor, CommandTypes.REAL_DEL, command);
    }

    /**
     * Puts a whole configuration text in force in chunks of {@code chunkBytes}, as the CLI does.
     *
     * @return the replies, one per chunk sent (the sending stops at the first refusal).
     */
    List<Reply> configPut(final ConductorAgent conductor, final String text, final long baseVersion, final int chunkBytes)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final List<Reply> replies = new ArrayList<>();
        final long uploadId = commands.nextCorrelationId();
        int sent = 0;
        do
        {
            final int chunk = Math.min(chunkBytes, bytes.length - sent);
            replies.add(configPutChunk(conductor, uploadId, bytes, baseVersion, sent, chunk));
            sent += chunk;
        }
        while (sent < bytes.length && replies.getLast().status() == CommandTypes.STATUS_OK);
        return replies;
    }

    /** Sends one chunk of a configuration put: {@code length} bytes of {@code text} from {@code offset}. */
    Reply configPutChunk(final ConductorAgent conductor, final long uploadId, final byte[] text, final long baseVersion,
        final int offset, final int length)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[ConfigPutFlyweight.HEADER_LENGTH + length]);
        final ConfigPutFlyweight command = new ConfigPutFlyweight().wrap(message, 0, message.capacity());
        command.correlationId(offset == 0 ? uploadId : commands.nextCorrelationId());
        command.uploadId(uploadId);
        command.baseVersion(baseVersion);
        command.totalLength(text.length);
        command.chunkOffset(offset);
        command.chunk(text, offset, length);
        lastCorrelationId = command.correlationId();
        if (!commands.write(CommandTypes.CONFIG_PUT, message, 0, command.encodedLength()))
        {
            throw new IllegalStateException("ring full");
        }
        return runUntilReply(conductor);
    }

    /** Sends raw bytes as a message of this type, e.g. a truncated command. */
    Reply sendRaw(final ConductorAgent conductor, final int msgTypeId, final long correlationId, final int length)
    {
        scratch.setMemory(0, scratch.capacity(), (byte)0);
        scratch.putLong(0, correlationId);
        lastCorrelationId = correlationId;
        if (!commands.write(msgTypeId, scratch, 0, length))
        {
            throw new IllegalStateException("ring full");
        }
        return runUntilReply(conductor);
    }

    /** Reads the whole configuration text chunk by chunk, as the CLI does. */
    String configText(final ConductorAgent conductor)
    {
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        int total;
        do
        {
            final ConfigChunk chunk = configChunk(conductor, text.size());
            total = chunk.totalLength();
            text.writeBytes(chunk.bytes());
            if (chunk.bytes().length == 0 && text.size() < total)
            {
                throw new IllegalStateException("empty chunk");
            }
        }
        while (text.size() < total);
        return text.toString(StandardCharsets.UTF_8);
    }

    ConfigChunk configChunk(final ConductorAgent conductor, final int offset)
    {
        final GetConfigFlyweight command = new GetConfigFlyweight().wrap(scratch, 0, scratch.capacity());
        command.correlationId(commands.nextCorrelationId());
        command.textOffset(offset);
        final Reply reply = send(conductor, CommandTypes.GET_CONFIG, command);
        if (reply != null)
        {
            throw new IllegalStateException("expected a config chunk, got " + reply);
        }
        return receivedChunk;
    }

    private Reply send(final ConductorAgent conductor, final int msgTypeId, final CommandFlyweight command)
    {
        lastCorrelationId = command.correlationId();
        if (!commands.write(msgTypeId, scratch, 0, command.encodedLength()))
        {
            throw new IllegalStateException("ring full");
        }
        return runUntilReply(conductor);
    }

    private Reply runUntilReply(final ConductorAgent conductor)
    {
        received = null;
        receivedChunk = null;
        conductor.doWork();
        while (replies.receive(this::onReply) > 0 && received == null && receivedChunk == null)
        {
            // Drain until this command's reply.
        }
        if (received == null && receivedChunk == null)
        {
            throw new IllegalStateException("no reply for correlation id " + lastCorrelationId);
        }
        return received;
    }

    private void onReply(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (buffer.getLong(index) != lastCorrelationId)
        {
            return;
        }
        lastReplyType = msgTypeId;
        if (msgTypeId == CommandTypes.REPLY_CONFIG)
        {
            configReply.wrap(buffer, index, length);
            final byte[] bytes = new byte[configReply.chunkLength()];
            configReply.getChunk(bytes, 0);
            receivedChunk = new ConfigChunk(configReply.configVersion(), configReply.totalLength(), configReply.chunkOffset(), bytes);
        }
        else
        {
            reply.wrap(buffer, index, length);
            received = new Reply(lastReplyType, reply.status(), reply.message());
        }
    }

    /** Labels of the counters currently allocated, with their type id: "typeId label". */
    List<String> counterLabels()
    {
        final List<String> labels = new ArrayList<>();
        counters.forEach((counterId, typeId, key, label) -> labels.add(typeId + " " + label));
        return labels;
    }

    long counterValue(final String label)
    {
        final long[] sum = new long[1];
        counters.forEach((counterId, typeId, key, text) ->
        {
            if (text.equals(label))
            {
                sum[0] += counters.getCounterValue(counterId);
            }
        });
        return sum[0];
    }
}
