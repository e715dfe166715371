package io.sluice.control.cnc;

import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.forwarder.cnc.ControlFileException;
import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.bgp.BgpSettingsText;
import io.sluice.forwarder.command.BgpGetFlyweight;
import io.sluice.forwarder.command.BgpPutFlyweight;
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
import io.sluice.forwarder.config.ConfigText;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Talks to a running forwarder through its control file: offers one command on the command
 * ring and waits for the reply that carries the command's correlation id on the broadcast
 * buffer, ignoring the replies other clients get. One thread at a time.
 *
 * <p>Every failure to get an answer is a {@link ControlFileException} with one line for the
 * user: the forwarder's process has gone, its conductor stopped stamping its heartbeat, the
 * command ring is full, or no reply came within the timeout.
 */
public final class ForwarderClient
{
    public static final long DEFAULT_TIMEOUT_MS = 2_000;
    /** A conductor stamps its heartbeat every 100 ms; one this old is stuck or gone. */
    public static final long HEARTBEAT_STALE_MS = 5_000;
    /** Guards against a text that grows forever under a reader; the config limits stay far below. */
    private static final int MAX_CONFIG_ATTEMPTS = 8;
    /** Configuration bytes per put command: well under the command ring's message limit (an eighth of 64 KiB). */
    static final int PUT_CHUNK_BYTES = 4 * 1024;

    private final ControlFile controlFile;
    private final RingBuffer commands;
    private final CopyBroadcastReceiver replies;
    private final long timeoutNs;
    private final ExpandableArrayBuffer commandBuffer = new ExpandableArrayBuffer(256);
    private final VipAddFlyweight vipAdd = new VipAddFlyweight();
    private final VipDelFlyweight vipDel = new VipDelFlyweight();
    private final RealAddFlyweight realAdd = new RealAddFlyweight();
    private final RealDelFlyweight realDel = new RealDelFlyweight();
    private final GetConfigFlyweight getConfig = new GetConfigFlyweight();
    private final ConfigPutFlyweight configPut = new ConfigPutFlyweight();
    private final BgpGetFlyweight bgpGet = new BgpGetFlyweight();
    private final BgpPutFlyweight bgpPut = new BgpPutFlyweight();
    private final ReplyFlyweight reply = new ReplyFlyweight();
    private final ConfigReplyFlyweight configReply = new ConfigReplyFlyweight();
    private final MessageHandler onReply = this::onReply;

    private long awaitedCorrelationId;
    private int replyTypeId;
    private ForwarderReply lastReply;

    public ForwarderClient(final ControlFile controlFile)
    {
        this(controlFile, DEFAULT_TIMEOUT_MS);
    }

    public ForwarderClient(final ControlFile controlFile, final long timeoutMs)
    {
        this.controlFile = controlFile;
        this.commands = controlFile.toForwarder();
        // Made before any command is sent, so it cannot miss the reply. Its copy buffer holds the
        // longest message the broadcast buffer can carry (Agrona's limit: an eighth of its capacity).
        final BroadcastReceiver receiver = controlFile.newReplyReceiver();
        this.replies = new CopyBroadcastReceiver(receiver, receiver.capacity() / 8);
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    public ForwarderReply addVip(final VipSpec spec)
    {
        final long correlationId = commands.nextCorrelationId();
        vipAdd.wrap(commandBuffer, 0, 1024);
        vipAdd.correlationId(correlationId);
        vipAdd.vipKey(spec.key());
        vipAdd.mode(spec.mode().label());
        vipAdd.scheduler(spec.scheduler().label());
        vipAdd.health(spec.health().format());
        vipAdd.options(spec.optionWords());
        return send(CommandTypes.VIP_ADD, vipAdd, correlationId);
    }

    public ForwarderReply removeVip(final VipKey key)
    {
        final long correlationId = commands.nextCorrelationId();
        vipDel.wrap(commandBuffer, 0, VipDelFlyweight.LENGTH);
        vipDel.correlationId(correlationId);
        vipDel.vipKey(key);
        return send(CommandTypes.VIP_DEL, vipDel, correlationId);
    }

    public ForwarderReply addReal(final VipKey key, final RealSpec real)
    {
        final long correlationId = commands.nextCorrelationId();
        realAdd.wrap(commandBuffer, 0, RealAddFlyweight.LENGTH);
        realAdd.correlationId(correlationId);
        realAdd.vipKey(key);
        realAdd.realAddress(real.address());
        realAdd.realPort(real.port());
        realAdd.weight(real.weight());
        return send(CommandTypes.REAL_ADD, realAdd, correlationId);
    }

    /** @param port the real's port, 0 for the VIP's. */
    public ForwarderReply removeReal(final VipKey key, final IpAddress address, final int port)
    {
        final long correlationId = commands.nextCorrelationId();
        realDel.wrap(commandBuffer, 0, RealDelFlyweight.LENGTH);
        realDel.correlationId(correlationId);
        realDel.vipKey(key);
        realDel.realAddress(address);
        realDel.realPort(port);
        return send(CommandTypes.REAL_DEL, realDel, correlationId);
    }

    /**
     * Reads the forwarder's configuration, a chunk per request; starts again if it changes
     * between chunks, so the result is always one consistent version.
     */
    public ForwarderConfig config()
    {
        return snapshot().config();
    }

    /** {@link #config()} with the version it had, for {@link #putConfig}. */
    public ConfigSnapshot snapshot()
    {
        for (int attempt = 0; attempt < MAX_CONFIG_ATTEMPTS; attempt++)
        {
            final ConfigSnapshot snapshot = snapshotOnce();
            if (snapshot != null)
            {
                return snapshot;
            }
        }
        throw new ControlFileException("the configuration of the forwarder at " + controlFile.stateDir() +
            " kept changing while it was read; try again");
    }

    /**
     * Puts a whole configuration in force as one change, in chunks the forwarder keeps aside until
     * the last; it refuses (changing nothing) if its configuration is no longer at {@code baseVersion}.
     *
     * @return the reply to the last chunk, or the first refusal.
     */
    public ForwarderReply putConfig(final ForwarderConfig config, final long baseVersion)
    {
        final byte[] text = ConfigText.format(config).getBytes(StandardCharsets.UTF_8);
        final long uploadId = commands.nextCorrelationId();
        long correlationId = uploadId;
        int sent = 0;
        while (true)
        {
            final int chunk = Math.min(PUT_CHUNK_BYTES, text.length - sent);
            configPut.wrap(commandBuffer, 0, ConfigPutFlyweight.HEADER_LENGTH + chunk);
            configPut.correlationId(correlationId);
            configPut.uploadId(uploadId);
            configPut.baseVersion(baseVersion);
            configPut.totalLength(text.length);
            configPut.chunkOffset(sent);
            configPut.chunk(text, sent, chunk);
            final ForwarderReply reply = send(CommandTypes.CONFIG_PUT, configPut, correlationId);
            sent += chunk;
            if (!reply.ok() || sent == text.length)
            {
                return reply;
            }
            correlationId = commands.nextCorrelationId();
        }
    }

    /** @return the BGP settings in force, or null for a forwarder started without {@code --bgp}. */
    public BgpConfig bgp()
    {
        final long correlationId = commands.nextCorrelationId();
        bgpGet.wrap(commandBuffer, 0, BgpGetFlyweight.LENGTH);
        bgpGet.correlationId(correlationId);
        final ForwarderReply answer = send(CommandTypes.BGP_GET, bgpGet, correlationId);
        if (!answer.ok())
        {
            throw new ControlFileException("the forwarder at " + controlFile.stateDir() + " refused to tell its BGP settings: " +
                answer.message());
        }
        return answer.message().isEmpty() ? null : BgpSettingsText.parse(answer.message(), "the forwarder's BGP settings");
    }

    /** Puts new BGP settings in force (BIRD reconfigured, not restarted); a refusal changes nothing. */
    public ForwarderReply putBgp(final BgpConfig settings)
    {
        final String text = BgpSettingsText.format(settings);
        final long correlationId = commands.nextCorrelationId();
        bgpPut.wrap(commandBuffer, 0, BgpPutFlyweight.SETTINGS_OFFSET + Integer.BYTES + 4 * text.length());
        bgpPut.correlationId(correlationId);
        bgpPut.settings(text);
        if (bgpPut.encodedLength() > commands.maxMsgLength())
        {
            throw new ControlFileException("BGP settings of " + bgpPut.encodedLength() + " bytes are over the command limit of " +
                commands.maxMsgLength() + " bytes");
        }
        return send(CommandTypes.BGP_PUT, bgpPut, correlationId);
    }

    /** @return the configuration, or null when it changed between chunks. */
    private ConfigSnapshot snapshotOnce()
    {
        byte[] text = null;
        long version = 0;
        int received = 0;
        do
        {
            final long correlationId = commands.nextCorrelationId();
            getConfig.wrap(commandBuffer, 0, GetConfigFlyweight.LENGTH);
            getConfig.correlationId(correlationId);
            getConfig.textOffset(received);
            offer(CommandTypes.GET_CONFIG, getConfig);
            await(correlationId);
            if (replyTypeId != CommandTypes.REPLY_CONFIG)
            {
                throw new ControlFileException("the forwarder at " + controlFile.stateDir() + " refused to list its configuration: " +
                    (lastReply == null ? "malformed reply" : lastReply.message()));
            }
            if (text == null)
            {
                text = new byte[configReply.totalLength()];
                version = configReply.configVersion();
            }
            else if (configReply.configVersion() != version || configReply.totalLength() != text.length)
            {
                return null;
            }
            if (configReply.chunkOffset() != received || (configReply.chunkLength() == 0 && received < text.length))
            {
                throw new ControlFileException("the forwarder at " + controlFile.stateDir() + " sent a malformed configuration reply");
            }
            configReply.getChunk(text, received);
            received += configReply.chunkLength();
        }
        while (received < text.length);
        final String whole = new String(text, StandardCharsets.UTF_8);
        return new ConfigSnapshot(version, ConfigText.parse(whole, "the forwarder's configuration"));
    }

    private ForwarderReply send(final int msgTypeId, final CommandFlyweight command, final long correlationId)
    {
        offer(msgTypeId, command);
        await(correlationId);
        if (lastReply == null)
        {
            throw new ControlFileException("the forwarder at " + controlFile.stateDir() + " sent a malformed reply");
        }
        return lastReply;
    }

    private void offer(final int msgTypeId, final CommandFlyweight command)
    {
        checkAlive();
        if (!commands.write(msgTypeId, command.buffer(), command.offset(), command.encodedLength()))
        {
            throw new ControlFileException("the forwarder at " + controlFile.stateDir() +
                " is not taking commands (its command queue is full)");
        }
    }

    private void checkAlive()
    {
        if (!controlFile.isForwarderAlive())
        {
            throw notRunning();
        }
        final long heartbeatMs = commands.consumerHeartbeatTime();
        final long ageMs = System.currentTimeMillis() - heartbeatMs;
        if (heartbeatMs != 0 && ageMs > HEARTBEAT_STALE_MS)
        {
            throw new ControlFileException("the forwarder at " + controlFile.stateDir() + " (pid " + controlFile.pid() +
                ") is not answering: its conductor last ran " + (ageMs / 1000) + " s ago");
        }
    }

    private void await(final long correlationId)
    {
        awaitedCorrelationId = correlationId;
        replyTypeId = 0;
        lastReply = null;
        final long deadlineNs = System.nanoTime() + timeoutNs;
        int idle = 0;
        while (replyTypeId == 0)
        {
            final int received;
            try
            {
                received = replies.receive(onReply);
            }
            catch (final IllegalStateException ex)
            {
                throw new ControlFileException("lost the reply of the forwarder at " + controlFile.stateDir() +
                    " (too many replies at once); check the result with 'sluice vip list'", ex);
            }
            if (received > 0)
            {
                idle = 0;
                continue;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                if (!controlFile.isForwarderAlive())
                {
                    throw notRunning();
                }
                throw new ControlFileException("forwarder at " + controlFile.stateDir() + " did not answer within " +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
            }
            idle(++idle);
        }
    }

    private static void idle(final int idleCount)
    {
        if (idleCount < 100)
        {
            Thread.onSpinWait();
        }
        else
        {
            try
            {
                Thread.sleep(0, 200_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new ControlFileException("interrupted while waiting for the forwarder's reply", ex);
            }
        }
    }

    private void onReply(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (length < Long.BYTES || buffer.getLong(index) != awaitedCorrelationId)
        {
            return;
        }
        switch (msgTypeId)
        {
            case CommandTypes.REPLY_OK, CommandTypes.REPLY_ERROR ->
            {
                reply.wrap(buffer, index, length);
                lastReply = reply.isComplete() ? new ForwarderReply(reply.status(), reply.message()) : null;
                replyTypeId = msgTypeId;
            }
            case CommandTypes.REPLY_CONFIG ->
            {
                configReply.wrap(buffer, index, length);
                if (!configReply.isComplete())
                {
                    throw new ControlFileException("the forwarder at " + controlFile.stateDir() + " sent a malformed configuration reply");
                }
                replyTypeId = msgTypeId;
            }
            default ->
            {
                // A reply type this client does not know: not the answer it waits for.
            }
        }
    }

    private ControlFileException notRunning()
    {
        return new ControlFileException("forwarder at " + controlFile.stateDir() + " is not running (pid " + controlFile.pid() + " gone)");
    }
}
