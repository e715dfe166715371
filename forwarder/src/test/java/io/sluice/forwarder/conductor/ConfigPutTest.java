package io.sluice.forwarder.conductor;

import io.sluice.forwarder.command.CommandTypes;
import io.sluice.forwarder.config.ConfigText;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.config.Protocol;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole configuration put in force at once (what {@code sluice apply} sends): one saved file and
 * one published table for any number of changes, nothing at all before the last chunk, and
 * nothing when it was computed against a configuration that is no longer in force.
 */
class ConfigPutTest
{
    private static final String WEB = "198.18.1.1:80/tcp";
    private static final int CHUNK = 4096;

    private final ConductorHarness harness = new ConductorHarness();

    @TempDir
    Path stateDir;

    @Test
    void manyChangesArePublishedAsOneTableAndSaved() throws Exception
    {
        final ConductorAgent conductor = configured(stateDir.resolve("sluice.conf"));
        final RealEntry[] before = web().reals();
        final long tableBefore = harness.tables.current().version();

        final String text = """
            vip add 198.18.1.1:80/tcp --mode dsr --scheduler maglev
            real add 198.18.1.1:80/tcp 198.18.0.13 --weight 0
            real add 198.18.1.1:80/tcp 198.18.0.11 --weight 200
            vip add 198.18.1.2:53/udp --mode nat --scheduler round-robin
            real add 198.18.1.2:53/udp 198.18.0.21:5353
            """;
        final List<ConductorHarness.Reply> replies = harness.configPut(conductor, text, version(conductor), CHUNK);

        assertThat(replies).singleElement().isEqualTo(new ConductorHarness.Reply(
            CommandTypes.REPLY_OK, CommandTypes.STATUS_OK, "configuration applied: 2 VIPs, 3 reals"));
        assertThat(harness.tables.current().version()).as("one table for all the changes").isEqualTo(tableBefore + 1);
        assertThat(conductor.config()).isEqualTo(ConfigText.parse(text, "expected"));
        assertThat(ConfigText.parse(Files.readString(stateDir.resolve("sluice.conf")), "saved")).isEqualTo(conductor.config());

        final RealEntry[] after = web().reals();
        assertThat(after).extracting(RealEntry::id).as("reals that stay keep their ids, so their flows stay")
            .containsExactly(before[2].id(), before[0].id());
        assertThat(after).extracting(RealEntry::weight).containsExactly(0, 200);
        assertThat(Arrays.stream(web().maglev()).filter((real) -> real == 0).count()).as("slots of the drained real").isZero();
        assertThat(harness.tables.current().find(Ipv4.parse("198.18.1.2"), 53, Protocol.UDP.ipProtocol()).roundRobin())
            .isNotNull();
    }

    @Test
    void nothingChangesBeforeTheLastChunk()
    {
        final ConductorAgent conductor = configured(null);
        final StringBuilder text = new StringBuilder("vip add 198.18.1.1:80/tcp\n");
        for (int i = 0; i < 300; i++)
        {
            text.append("real add 198.18.1.1:80/tcp ").append(Ipv4.format(Ipv4.parse("198.18.8.0") + i)).append('\n');
        }
        final ForwardingTable before = harness.tables.current();
        final long version = version(conductor);

        final List<ConductorHarness.Reply> replies = harness.configPut(conductor, text.toString(), version, 1000);

        assertThat(replies).hasSizeGreaterThan(5);
        assertThat(replies.subList(0, replies.size() - 1)).allSatisfy((reply) ->
            assertThat(reply.message()).startsWith("received "));
        assertThat(replies.getLast().message()).isEqualTo("configuration applied: 1 VIP, 300 reals");
        assertThat(harness.tables.current().version()).isEqualTo(before.version() + 1);
        assertThat(web().reals()).hasSize(300);
    }

    @Test
    void aConfigurationComputedAgainstAnOlderVersionIsRefused()
    {
        final ConductorAgent conductor = configured(null);
        final long version = version(conductor);
        harness.realAdd(conductor, WEB, "198.18.0.14", 100);
        final ForwarderConfig before = conductor.config();
        final ForwardingTable table = harness.tables.current();

        final ConductorHarness.Reply reply =
            harness.configPut(conductor, "vip add 198.18.1.1:80/tcp\n", version, CHUNK).getLast();

        assertThat(reply.status()).isEqualTo(CommandTypes.STATUS_CONFLICT);
        assertThat(reply.message()).startsWith("the forwarder's configuration changed while the new one was prepared");
        assertThat(conductor.config()).isEqualTo(before);
        assertThat(harness.tables.current()).isSameAs(table);
    }

    @Test
    void aBadTextOrAChunkOutOfTurnChangesNothing()
    {
        final ConductorAgent conductor = configured(null);
        final ForwardingTable table = harness.tables.current();

        final ConductorHarness.Reply bad = harness.configPut(conductor,
            "vip add 198.18.1.1:80/tcp\nreal add 198.18.1.1:80/tcp 2001:2::11\n", version(conductor), CHUNK).getLast();
        assertThat(bad.status()).isEqualTo(CommandTypes.STATUS_REFUSED);
        assertThat(bad.message()).startsWith("the configuration sent:2: real 2001:2::11 is IPv6");

        final byte[] first = "vip add 198.18.1.1:80/tcp\nvip add 198.18.1.2:80/tcp\n".getBytes(StandardCharsets.UTF_8);
        final byte[] second = "vip add 198.18.1.3:80/tcp\nvip add 198.18.1.4:80/tcp\n".getBytes(StandardCharsets.UTF_8);
        final long version = version(conductor);
        assertThat(harness.configPutChunk(conductor, 1001, first, version, 0, 26).message()).isEqualTo("received 26 of 52 bytes");
        assertThat(harness.configPutChunk(conductor, 1002, second, version, 0, 26).status()).as("another upload starts")
            .isEqualTo(CommandTypes.STATUS_OK);
        final ConductorHarness.Reply outOfTurn = harness.configPutChunk(conductor, 1001, first, version, 26, 26);
        assertThat(outOfTurn.status()).isEqualTo(CommandTypes.STATUS_REFUSED);
        assertThat(outOfTurn.message()).startsWith("a configuration chunk arrived out of turn");
        assertThat(harness.configPutChunk(conductor, 1002, second, version, 26, 26).status()).as("the upload it ended")
            .isEqualTo(CommandTypes.STATUS_REFUSED);
        assertThat(harness.tables.current()).isSameAs(table);
    }

    @Test
    void aVipThatStartsCheckingItsRealsKeepsThemAndGetsTheirHealthCountersAndFreesThemWhenItStops()
    {
        final ConductorAgent conductor = configured(null);
        final RealEntry[] before = web().reals();
        final String reals = "real add 198.18.1.1:80/tcp 198.18.0.11\nreal add 198.18.1.1:80/tcp 198.18.0.12\n" +
            "real add 198.18.1.1:80/tcp 198.18.0.13\n";

        harness.configPut(conductor, "vip add 198.18.1.1:80/tcp --health tcp\n" + reals, version(conductor), CHUNK);
        assertThat(conductor.healthTargetCount()).isEqualTo(3);
        assertThat(harness.counterLabels()).filteredOn((label) -> label.endsWith(" health")).hasSize(3);
        assertThat(harness.counterValue("real 198.18.1.1:80/tcp 198.18.0.12 health")).as("a checked real starts up").isEqualTo(1);
        assertThat(web().reals()).extracting(RealEntry::id).containsExactly(before[0].id(), before[1].id(), before[2].id());

        harness.configPut(conductor, "vip add 198.18.1.1:80/tcp\n" + reals, version(conductor), CHUNK);
        assertThat(conductor.healthTargetCount()).isZero();
        assertThat(harness.counterLabels()).noneMatch((label) -> label.contains(" health"));
    }

    @Test
    void aLeastConnectionVipKeepsItsFlowCountsWhenItsRealsAreReweighted()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        final String reals = "real add 198.18.1.1:80/tcp 198.18.0.11 --weight %d\nreal add 198.18.1.1:80/tcp 198.18.0.12\n";
        harness.configPut(conductor, "vip add 198.18.1.1:80/tcp --scheduler least-connection\n" + reals.formatted(100),
            version(conductor), CHUNK);
        for (int i = 0; i < 10; i++)
        {
            web().leastConnection().next(0);
        }

        harness.configPut(conductor, "vip add 198.18.1.1:80/tcp --scheduler least-connection\n" + reals.formatted(0),
            version(conductor), CHUNK);

        assertThat(web().leastConnection().active(0) + web().leastConnection().active(1)).isEqualTo(10);
        assertThat(web().leastConnection().next(1)).as("the drained real takes no new flow").isEqualTo(1);
    }

    @Test
    void aDownRealWhoseLiveReplacementsAreAllDrainedLeavesItsSlotsEmpty()
    {
        final ForwardingState state = new ForwardingState(harness.counters, 1, (address) -> 0x0200_0000_0001L, 251);
        final VipKey key = VipKey.parse(WEB);
        final ForwarderConfig config = ForwarderConfig.EMPTY
            .addVip(new VipSpec(key, ForwardingMode.DSR, SchedulerKind.MAGLEV, HealthCheck.parse("tcp,fall=1")))
            .addReal(key, new RealSpec(IpAddress.parse("198.18.0.11"), 0, 0))
            .addReal(key, new RealSpec(IpAddress.parse("198.18.0.12"), 0, 100));
        state.commit(state.plan(config));

        assertThat(state.recordHealth(key, IpAddress.parse("198.18.0.12"), 80, false, 1_000)).isTrue();

        assertThat(state.table(1).vips()[0].maglev()).containsOnly(MaglevTable.NO_ENDPOINT);
    }

    private ConductorAgent configured(final Path configFile)
    {
        final ConductorAgent conductor = harness.newConductor(configFile);
        harness.vipAdd(conductor, WEB);
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        harness.realAdd(conductor, WEB, "198.18.0.12", 100);
        harness.realAdd(conductor, WEB, "198.18.0.13", 100);
        return conductor;
    }

    private long version(final ConductorAgent conductor)
    {
        return harness.configChunk(conductor, 0).version();
    }

    private VipEntry web()
    {
        return harness.tables.current().find(Ipv4.parse("198.18.1.1"), 80, Protocol.TCP.ipProtocol());
    }
}
