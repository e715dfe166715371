package io.sluice.forwarder.conductor;

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
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.ConfigText;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.health.HealthMonitor;
import io.sluice.forwarder.health.HealthTarget;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The forwarder's conductor: the one thread that changes configuration. Each duty cycle it
 * reads the clocks once, takes up to {@link #COMMAND_LIMIT} commands from the control file's
 * ring buffer and applies each one completely or not at all: a new {@link ForwarderConfig},
 * counters for new VIPs and reals, the configuration saved to disk, then a new forwarding table
 * (Maglev tables built here, off the data path) published to the workers, and a reply on the
 * broadcast buffer. About once a second it asks for every real's next-hop MAC again and
 * publishes a new table when one changed.
 *
 * <p>At construction it restores the saved configuration (a corrupt file throws a
 * {@link ConfigException} naming file and line, so the daemon refuses to start), publishes its
 * table and tells the {@link VipSetListener} the VIPs, all on the constructing
 * thread, before any worker needs them.
 */
public final class ConductorAgent implements Agent
{
    /** Commands applied per duty cycle, so MAC refresh and heartbeat keep running under a flood. */
    public static final int COMMAND_LIMIT = 16;
    public static final long MAC_REFRESH_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** How often the ring buffer's consumer heartbeat, which clients check for liveness, is stamped. */
    public static final long HEARTBEAT_INTERVAL_MS = 100;
    /**
     * How long a freed counter stays unused before the control file hands its slot to a new one.
     * A worker reads the table once per batch, so a worker still counting into a freed VIP's or
     * real's counter stops within microseconds; this is many orders above that.
     */
    public static final long COUNTER_FREE_TO_REUSE_TIMEOUT_MS = 5_000;
    /** Largest configuration chunk per reply, well under the broadcast buffer's message limit. */
    static final int MAX_CONFIG_CHUNK_BYTES = 16 * 1024;

    private final ConductorContext context;
    private final ConfigFileStore store;
    private final ForwardingState state;
    private final MessageHandler onCommand = this::onCommand;
    private final HealthMonitor health = new HealthMonitor(this::onHealthCheck);

    private final VipAddFlyweight vipAdd = new VipAddFlyweight();
    private final VipDelFlyweight vipDel = new VipDelFlyweight();
    private final RealAddFlyweight realAdd = new RealAddFlyweight();
    private final RealDelFlyweight realDel = new RealDelFlyweight();
    private final GetConfigFlyweight getConfig = new GetConfigFlyweight();
    private final ConfigPutFlyweight configPut = new ConfigPutFlyweight();
    private final BgpGetFlyweight bgpGet = new BgpGetFlyweight();
    private final BgpPutFlyweight bgpPut = new BgpPutFlyweight();
    private final ConfigUpload upload = new ConfigUpload();
    private final ReplyFlyweight reply = new ReplyFlyweight();
    private final ConfigReplyFlyweight configReply = new ConfigReplyFlyweight();
    private final UnsafeBuffer replyBuffer;

    private final AtomicCounter commandsApplied;
    private final AtomicCounter commandsRefused;
    private final AtomicCounter tablesPublished;

    private ForwarderConfig config;
    private long configVersion;
    private byte[] configText;
    private long tableVersion;
    private List<VipKey> vipKeys;
    private List<VipKey> natRealKeys;
    private List<VipKey> servableVips;
    private long nextMacRefreshNs;
    private long nextHeartbeatMs;

    /**
     * Restores the saved configuration and publishes its table.
     *
     * @throws ConfigException if the saved configuration file is corrupt ("file:line: reason").
     * @throws UncheckedIOException if it exists and cannot be read.
     */
    public ConductorAgent(final ConductorContext context)
    {
        this.context = context;
        this.store = context.configFile() == null ? null : new ConfigFileStore(context.configFile());
        this.state = new ForwardingState(
            context.counters(), context.workerCount(), context.resolver(), context.maglevTableSize());
        final int replyCapacity = Math.min(context.replies().maxMsgLength(), ConfigReplyFlyweight.HEADER_LENGTH +
            Math.max(MAX_CONFIG_CHUNK_BYTES, CommandFlyweight.MAX_STRING_BYTES + 64));
        this.replyBuffer = new UnsafeBuffer(new byte[replyCapacity]);

        final ForwarderConfig restored = store == null ? ForwarderConfig.EMPTY : store.load();
        commandsApplied = conductorCounter(1, "conductor commands applied");
        commandsRefused = conductorCounter(2, "conductor commands refused");
        tablesPublished = conductorCounter(3, "conductor tables published");

        final ForwardingState.Plan plan = state.plan(restored);
        state.commit(plan);
        adopt(restored);
        publishTable();
        nextMacRefreshNs = context.nanoClock().nanoTime() + MAC_REFRESH_INTERVAL_NS;
    }

    @Override
    public String roleName()
    {
        return "sluice-conductor";
    }

    @Override
    public int doWork()
    {
        final long nowNs = context.nanoClock().nanoTime();
        int work = 0;
        if (nowNs - nextMacRefreshNs >= 0)
        {
            nextMacRefreshNs = nowNs + MAC_REFRESH_INTERVAL_NS;
            if (state.refreshMacs())
            {
                publishTable();
                work++;
            }
            else
            {
                // A real that never resolves stops holding its VIP back after a few refreshes.
                tellServable();
            }
        }
        final long nowMs = context.epochClock().time();
        if (nowMs >= nextHeartbeatMs)
        {
            nextHeartbeatMs = nowMs + HEARTBEAT_INTERVAL_MS;
            context.commands().consumerHeartbeatTime(nowMs);
        }
        work += context.commands().read(onCommand, COMMAND_LIMIT);
        work += health.poll(nowMs);
        return work;
    }

    @Override
    public void onClose()
    {
        health.close();
        state.freeAll();
        commandsApplied.close();
        commandsRefused.close();
        tablesPublished.close();
    }

    public ConductorContext context()
    {
        return context;
    }

    /** The configuration in force; for the daemon and tests (read on the conductor's thread). */
    public ForwarderConfig config()
    {
        return config;
    }

    private void onCommand(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final CommandFlyweight command = switch (msgTypeId)
        {
            case CommandTypes.VIP_ADD -> vipAdd.wrap(buffer, index, length);
            case CommandTypes.VIP_DEL -> vipDel.wrap(buffer, index, length);
            case CommandTypes.REAL_ADD -> realAdd.wrap(buffer, index, length);
            case CommandTypes.REAL_DEL -> realDel.wrap(buffer, index, length);
            case CommandTypes.GET_CONFIG -> getConfig.wrap(buffer, index, length);
            case CommandTypes.CONFIG_PUT -> configPut.wrap(buffer, index, length);
            case CommandTypes.BGP_GET -> bgpGet.wrap(buffer, index, length);
            case CommandTypes.BGP_PUT -> bgpPut.wrap(buffer, index, length);
            default -> null;
        };
        final long correlationId = length >= Long.BYTES ? buffer.getLong(index) : -1L;
        if (command == null)
        {
            refuse(correlationId, CommandTypes.STATUS_UNKNOWN_COMMAND,
                "unknown command type " + msgTypeId + " (is the CLI newer than this forwarder?)");
            return;
        }
        if (!command.isComplete())
        {
            refuse(correlationId, CommandTypes.STATUS_MALFORMED,
                "malformed " + CommandTypes.name(msgTypeId) + " command (" + length + " bytes)");
            return;
        }
        try
        {
            switch (msgTypeId)
            {
                case CommandTypes.VIP_ADD -> onVipAdd(correlationId);
                case CommandTypes.VIP_DEL -> onVipDel(correlationId);
                case CommandTypes.REAL_ADD -> onRealAdd(correlationId);
                case CommandTypes.REAL_DEL -> onRealDel(correlationId);
                case CommandTypes.CONFIG_PUT -> onConfigPut(correlationId);
                case CommandTypes.BGP_GET -> sendReply(CommandTypes.REPLY_OK, correlationId, CommandTypes.STATUS_OK,
                    context.bgpSettings() == null ? "" : context.bgpSettings().text());
                case CommandTypes.BGP_PUT -> onBgpPut(correlationId);
                default -> onGetConfig(correlationId);
            }
        }
        catch (final ConfigException ex)
        {
            refuse(correlationId, CommandTypes.STATUS_REFUSED, ex.getMessage());
        }
        catch (final UncheckedIOException ex)
        {
            refuse(correlationId, CommandTypes.STATUS_FAILED, ex.getMessage());
        }
    }

    private void onVipAdd(final long correlationId)
    {
        final VipSpec spec = new VipSpec(vipAdd.vipKey(), ForwardingMode.parse(vipAdd.mode()),
            SchedulerKind.parse(vipAdd.scheduler()), HealthCheck.parse(vipAdd.health()), VipSpec.secondChance(vipAdd.options()));
        apply(config.addVip(spec));
        succeed(correlationId, "added VIP " + spec.key() + " (" + spec.modeLabel() + ", " + spec.scheduler().label() +
            (spec.health().enabled() ? ", health " + spec.health().format() : "") + ")");
    }

    private void onVipDel(final long correlationId)
    {
        final VipKey key = vipDel.vipKey();
        final VipConfig vip = config.find(key);
        apply(config.removeVip(key));
        final int reals = vip.reals().size();
        succeed(correlationId, "removed VIP " + key + (reals == 0 ? "" : " and its " + reals + (reals == 1 ? " real" : " reals")));
    }

    private void onRealAdd(final long correlationId)
    {
        final VipKey key = realAdd.vipKey();
        final RealSpec real = new RealSpec(realAdd.realAddress(), realAdd.realPort(), realAdd.weight());
        apply(config.addReal(key, real));
        final String name = real.port() == key.port() ? real.address().toString() : real.endpoint();
        succeed(correlationId, "added real " + name + " to VIP " + key + " (weight " + real.weight() + ")");
    }

    private void onRealDel(final long correlationId)
    {
        final VipKey key = realDel.vipKey();
        final IpAddress address = realDel.realAddress();
        final int port = realDel.realPort();
        apply(config.removeReal(key, address, port));
        succeed(correlationId, "removed real " + new RealSpec(address, port == key.port() ? 0 : port, RealSpec.DEFAULT_WEIGHT).endpoint() +
            " from VIP " + key);
    }

    /**
     * A chunk of a whole configuration: kept aside until the last, which puts the whole text in
     * force as one change (one saved file, one published table), provided nobody changed the
     * configuration since the client read the version its text was computed against.
     */
    private void onConfigPut(final long correlationId)
    {
        final String text = upload.accept(configPut);
        if (text == null)
        {
            sendReply(CommandTypes.REPLY_OK, correlationId, CommandTypes.STATUS_OK,
                "received " + upload.received() + " of " + configPut.totalLength() + " bytes");
            return;
        }
        if (upload.baseVersion() != configVersion)
        {
            refuse(correlationId, CommandTypes.STATUS_CONFLICT, "the forwarder's configuration changed while the new one was " +
                "prepared (version " + upload.baseVersion() + ", now " + configVersion + "); nothing changed, try again");
            return;
        }
        final ForwarderConfig next = ConfigText.parse(text, "the configuration sent");
        apply(next);
        succeed(correlationId, "configuration applied: " + next.vips().size() + (next.vips().size() == 1 ? " VIP, " : " VIPs, ") +
            next.realCount() + (next.realCount() == 1 ? " real" : " reals"));
    }

    /** New BGP settings: BIRD is reconfigured, not restarted; a forwarder started without BGP cannot start it now. */
    private void onBgpPut(final long correlationId)
    {
        if (context.bgpSettings() == null)
        {
            throw new ConfigException("this forwarder runs without BGP: start it with --bgp FILE to announce its VIPs " +
                "(a bgp: section changes the settings of a forwarder that runs BGP)");
        }
        succeed(correlationId, context.bgpSettings().apply(bgpPut.settings()));
    }

    private void onGetConfig(final long correlationId)
    {
        final int textOffset = getConfig.textOffset();
        if (textOffset < 0 || textOffset > configText.length)
        {
            refuse(correlationId, CommandTypes.STATUS_MALFORMED,
                "configuration offset " + textOffset + " is outside its " + configText.length + " bytes");
            return;
        }
        final int chunk = Math.min(configText.length - textOffset,
            Math.min(MAX_CONFIG_CHUNK_BYTES, replyBuffer.capacity() - ConfigReplyFlyweight.HEADER_LENGTH));
        configReply.wrap(replyBuffer, 0, replyBuffer.capacity());
        configReply.correlationId(correlationId);
        configReply.configVersion(configVersion);
        configReply.totalLength(configText.length);
        configReply.chunkOffset(textOffset);
        configReply.chunk(configText, textOffset, chunk);
        context.replies().transmit(CommandTypes.REPLY_CONFIG, replyBuffer, 0, configReply.encodedLength());
    }

    /**
     * Makes {@code next} the configuration in force: counters first (may refuse), then the file
     * (may fail), and only then the table the workers see. Any failure leaves everything as it was.
     */
    private void apply(final ForwarderConfig next)
    {
        final ForwardingState.Plan plan = state.plan(next);
        try
        {
            if (store != null)
            {
                store.save(next);
            }
        }
        catch (final RuntimeException ex)
        {
            state.abort(plan);
            throw ex;
        }
        state.commit(plan);
        adopt(next);
        publishTable();
    }

    private void adopt(final ForwarderConfig next)
    {
        config = next;
        configVersion++;
        configText = ConfigText.format(next).getBytes(StandardCharsets.UTF_8);
        final List<VipKey> keys = vipKeys(next);
        if (!keys.equals(vipKeys))
        {
            vipKeys = keys;
            context.vipSet().onVips(keys);
        }
        final List<VipKey> natReals = natRealKeys(next);
        if (!natReals.equals(natRealKeys))
        {
            natRealKeys = natReals;
            context.vipSet().onNatReals(natReals);
        }
        health.targets(healthTargets(next), context.epochClock().time());
    }

    /** Every real of every VIP that has a health check. */
    private static List<HealthTarget> healthTargets(final ForwarderConfig config)
    {
        final List<HealthTarget> targets = new ArrayList<>();
        for (final VipConfig vip : config.vips())
        {
            if (vip.spec().health().enabled())
            {
                for (final RealSpec real : vip.reals())
                {
                    targets.add(new HealthTarget(vip.key(), real.address(), vip.effectivePort(real), vip.spec().health()));
                }
            }
        }
        return targets;
    }

    /** A check's outcome: a real whose health flips leaves or rejoins its VIP's tables at once. */
    private void onHealthCheck(final HealthTarget target, final boolean ok, final String reason)
    {
        if (state.recordHealth(target.vip(), target.address(), target.port(), ok, context.epochClock().time()))
        {
            publishTable();
            System.out.println("sluice forwarder: real " + target.endpoint() + " of VIP " + target.vip() + " is " +
                (ok ? "up" : "down (" + reason + ")"));
            System.out.flush();
        }
    }

    /** For tests and diagnostics: how many reals are being checked. */
    public int healthTargetCount()
    {
        return health.targetCount();
    }

    /** Publishes the current state to the workers, then tells the VIP set listener when what can be served changed. */
    private void publishTable()
    {
        context.tables().publish(state.table(++tableVersion));
        tablesPublished.increment();
        tellServable();
    }

    private void tellServable()
    {
        final List<VipKey> servable = state.servableVips();
        if (!servable.equals(servableVips))
        {
            servableVips = servable;
            context.vipSet().onServableVips(servable);
        }
    }

    private void succeed(final long correlationId, final String message)
    {
        commandsApplied.increment();
        sendReply(CommandTypes.REPLY_OK, correlationId, CommandTypes.STATUS_OK, message);
    }

    private void refuse(final long correlationId, final int status, final String message)
    {
        commandsRefused.increment();
        sendReply(CommandTypes.REPLY_ERROR, correlationId, status, message);
    }

    private void sendReply(final int msgTypeId, final long correlationId, final int status, final String message)
    {
        reply.wrap(replyBuffer, 0, replyBuffer.capacity());
        reply.correlationId(correlationId);
        reply.status(status);
        reply.message(message);
        context.replies().transmit(msgTypeId, replyBuffer, 0, reply.encodedLength());
    }

    private AtomicCounter conductorCounter(final int detail, final String label)
    {
        // Worker index -1: the conductor is not a worker; readers group by label anyway.
        return WorkerCounters.allocate(context.counters(), CounterTypes.CONDUCTOR, -1, detail, label);
    }

    /** The endpoints of every NAT VIP's reals: where the replies to translate come from. */
    private static List<VipKey> natRealKeys(final ForwarderConfig config)
    {
        final TreeSet<VipKey> keys = new TreeSet<>(VipKey.ORDER);
        for (final VipConfig vip : config.vips())
        {
            if (vip.spec().mode() == ForwardingMode.NAT)
            {
                for (final RealSpec real : vip.reals())
                {
                    keys.add(new VipKey(real.address(), vip.effectivePort(real), vip.key().protocol()));
                }
            }
        }
        return List.copyOf(keys);
    }

    private static List<VipKey> vipKeys(final ForwarderConfig config)
    {
        final List<VipKey> keys = new ArrayList<>(config.vips().size());
        for (final VipConfig vip : config.vips())
        {
            keys.add(vip.key());
        }
        keys.sort(VipKey.ORDER);
        return List.copyOf(keys);
    }
}
