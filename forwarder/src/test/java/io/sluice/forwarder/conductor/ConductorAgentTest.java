package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.command.CommandTypes;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.ConfigText;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.config.Protocol;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConductorAgentTest
{
    private static final String WEB = "198.18.1.1:80/tcp";
    private static final int WEB_ADDRESS = Ipv4.parse("198.18.1.1");

    private final ConductorHarness harness = new ConductorHarness();

    @TempDir
    Path stateDir;

    @Test
    void startsWithAnEmptyPublishedTableAndTellsTheVipSet()
    {
        harness.newConductor(null);

        assertThat(harness.tables.current().vips()).isEmpty();
        assertThat(harness.tables.current().version()).isEqualTo(1L);
        assertThat(harness.vipSetCalls).hasSize(1);
        assertThat(harness.vipSetCalls.get(0)).isEmpty();
    }

    @Test
    void addedVipAndRealsArePublishedWithMaglevSpreadOverTheReals()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.resolver.macs.put(Ipv4.parse("198.18.0.11"), 0x02_00_00_00_00_11L);

        assertThat(harness.vipAdd(conductor, WEB)).isEqualTo(new ConductorHarness.Reply(
            CommandTypes.REPLY_OK, CommandTypes.STATUS_OK, "added VIP 198.18.1.1:80/tcp (dsr, maglev)"));
        assertThat(harness.realAdd(conductor, WEB, "198.18.0.11", 100).status()).isEqualTo(CommandTypes.STATUS_OK);
        assertThat(harness.realAdd(conductor, WEB, "198.18.0.12", 100).status()).isEqualTo(CommandTypes.STATUS_OK);
        assertThat(harness.realAdd(conductor, WEB, "198.18.0.13", 100).message())
            .isEqualTo("added real 198.18.0.13 to VIP 198.18.1.1:80/tcp (weight 100)");

        final ForwardingTable table = harness.tables.current();
        final VipEntry vip = table.find(WEB_ADDRESS, 80, Protocol.TCP.ipProtocol());
        assertThat(vip).isNotNull();
        assertThat(vip.reals()).extracting(RealEntry::address)
            .containsExactly(IpAddress.parse("198.18.0.11"), IpAddress.parse("198.18.0.12"), IpAddress.parse("198.18.0.13"));
        assertThat(vip.reals()).extracting(RealEntry::port).containsOnly(80);
        assertThat(vip.reals()[0].mac()).isEqualTo(0x02_00_00_00_00_11L);
        assertThat(vip.reals()[1].macResolved()).as("unresolved real is still in the table").isFalse();
        assertThat(vip.packetsByWorker()).hasSize(ConductorHarness.WORKERS);
        assertThat(vip.reals()[2].bytesByWorker()).hasSize(ConductorHarness.WORKERS);

        final int[] maglev = vip.maglev();
        assertThat(maglev).hasSize(MaglevTable.DEFAULT_SIZE);
        final int[] slotsPerReal = new int[3];
        for (final int entry : maglev)
        {
            slotsPerReal[entry]++;
        }
        for (final int slots : slotsPerReal)
        {
            assertThat(slots).isBetween(MaglevTable.DEFAULT_SIZE / 4, MaglevTable.DEFAULT_SIZE / 2);
        }
        assertThat(table.find(WEB_ADDRESS, 81, Protocol.TCP.ipProtocol())).isNull();
        assertThat(table.find(WEB_ADDRESS, 80, Protocol.UDP.ipProtocol())).isNull();
    }

    @Test
    void aGueVipWithSecondChanceIsPublishedWithEachRowsSecondary()
    {
        final ConductorAgent conductor = harness.newConductor(null);

        assertThat(harness.vipAdd(conductor, VipKey.parse(WEB), "gue", "maglev", "none", "second-chance")).isEqualTo(
            new ConductorHarness.Reply(CommandTypes.REPLY_OK, CommandTypes.STATUS_OK,
                "added VIP 198.18.1.1:80/tcp (gue+sc, maglev)"));
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        assertThat(vip().secondaries()).as("one real: no secondary").containsOnly(MaglevTable.NO_ENDPOINT);
        harness.realAdd(conductor, WEB, "198.18.0.12", 100);

        final VipEntry vip = vip();
        assertThat(vip.spec().secondChance()).isTrue();
        final int[] maglev = vip.maglev();
        final int[] secondaries = vip.secondaries();
        assertThat(secondaries).hasSize(maglev.length);
        for (int row = 0; row < maglev.length; row++)
        {
            assertThat(secondaries[row]).as("row %d", row).isEqualTo(1 - maglev[row]);
        }
        assertThat(ConfigText.format(conductor.config())).contains("--mode gue --scheduler maglev --second-chance");
    }

    @Test
    void secondChanceOnADsrVipOrAnUnknownOptionIsRefused()
    {
        final ConductorAgent conductor = harness.newConductor(null);

        assertThat(harness.vipAdd(conductor, VipKey.parse(WEB), "dsr", "maglev", "none", "second-chance")).isEqualTo(
            new ConductorHarness.Reply(CommandTypes.REPLY_ERROR, CommandTypes.STATUS_REFUSED,
                "VIP 198.18.1.1:80/tcp: --second-chance needs --mode gue (the hop list travels in the GUE header), not dsr"));
        assertThat(harness.vipAdd(conductor, VipKey.parse(WEB), "gue", "maglev", "none", "third-chance").message())
            .isEqualTo("unknown VIP option 'third-chance' (expected second-chance)");
        assertThat(harness.vipAdd(conductor, WEB).status()).as("nothing was added").isEqualTo(CommandTypes.STATUS_OK);
        assertThat(vip().secondaries()).isNull();
    }

    @Test
    void realIdsStayWhileTheRealStaysAndAreNeverReused()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.vipAdd(conductor, WEB);
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        harness.realAdd(conductor, WEB, "198.18.0.12", 100);
        harness.realAdd(conductor, WEB, "198.18.0.13", 100);
        final RealEntry[] before = vip().reals();

        harness.realDel(conductor, WEB, "198.18.0.12");
        harness.realAdd(conductor, WEB, "198.18.0.14", 100);
        harness.vipAdd(conductor, "198.18.1.2:53/udp");
        final RealEntry[] after = vip().reals();

        assertThat(after).hasSize(3);
        assertThat(after[0].id()).isEqualTo(before[0].id());
        assertThat(after[1].id()).isEqualTo(before[2].id());
        assertThat(after[2].id()).isNotIn(before[0].id(), before[1].id(), before[2].id());
        assertThat(vip().realIndexOf(before[1].id())).as("removed real's id").isEqualTo(-1);
        assertThat(vip().realIndexOf(before[2].id())).isEqualTo(1);
        assertThat(after[0].packetsByWorker()).as("kept real keeps its counters").isSameAs(before[0].packetsByWorker());
    }

    @Test
    void maglevIsRebuiltWhenRealsChangeAndOnlyThen()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.vipAdd(conductor, WEB);
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        harness.realAdd(conductor, WEB, "198.18.0.12", 100);
        final int[] twoReals = vip().maglev();

        harness.vipAdd(conductor, "198.18.1.2:80/tcp");
        assertThat(vip().maglev()).as("another VIP's change").isSameAs(twoReals);

        harness.realAdd(conductor, WEB, "198.18.0.13", 100);
        final int[] threeReals = vip().maglev();
        int moved = 0;
        int movedToNewReal = 0;
        for (int i = 0; i < twoReals.length; i++)
        {
            if (twoReals[i] != threeReals[i])
            {
                moved++;
                movedToNewReal += threeReals[i] == 2 ? 1 : 0;
            }
        }
        assertThat(threeReals).isNotSameAs(twoReals);
        assertThat(movedToNewReal).as("the new real takes about a third").isGreaterThan(twoReals.length / 4);
        assertThat(moved).as("consistent hashing: most slots stay where they were").isLessThan(twoReals.length / 2);
    }

    @Test
    void schedulersAreAcceptedPersistedAndARoundRobinRotationLivesAsLongAsItsReals()
    {
        final ConductorAgent conductor = harness.newConductor(stateDir.resolve("sluice.conf"));
        final VipKey sticky = VipKey.parse("198.18.1.2:80/tcp");
        final VipKey turns = VipKey.parse("198.18.1.3:80/tcp");
        assertThat(harness.vipAdd(conductor, sticky, "dsr", "source-hash").message())
            .isEqualTo("added VIP 198.18.1.2:80/tcp (dsr, source-hash)");
        assertThat(harness.vipAdd(conductor, turns, "dsr", "round-robin").status()).isEqualTo(CommandTypes.STATUS_OK);
        harness.realAdd(conductor, turns.toString(), "198.18.0.11", 1);
        harness.realAdd(conductor, turns.toString(), "198.18.0.12", 1);

        final VipEntry first = harness.tables.current().find(turns.address().ipv4(), turns.port(), turns.protocol().ipProtocol());
        assertThat(first.scheduler()).isEqualTo(SchedulerKind.ROUND_ROBIN.ordinal());
        assertThat(first.roundRobin().size()).isEqualTo(2);
        assertThat(harness.tables.current().find(sticky.address().ipv4(), sticky.port(), sticky.protocol().ipProtocol()).roundRobin())
            .as("only round-robin VIPs have a rotation").isNull();

        harness.realAdd(conductor, sticky.toString(), "198.18.0.13", 1);
        final VipEntry unchanged = harness.tables.current().find(turns.address().ipv4(), turns.port(), turns.protocol().ipProtocol());
        assertThat(unchanged).as("republished after another VIP changed").isNotSameAs(first);
        assertThat(unchanged.roundRobin()).as("same reals, same rotation").isSameAs(first.roundRobin());

        harness.realAdd(conductor, turns.toString(), "198.18.0.14", 1);
        final VipEntry grown = harness.tables.current().find(turns.address().ipv4(), turns.port(), turns.protocol().ipProtocol());
        assertThat(grown.roundRobin()).isNotSameAs(first.roundRobin());
        assertThat(grown.roundRobin().size()).isEqualTo(3);

        assertThat(readConfig())
            .contains("vip add 198.18.1.2:80/tcp --mode dsr --scheduler source-hash")
            .contains("vip add 198.18.1.3:80/tcp --mode dsr --scheduler round-robin");
    }

    @Test
    void refusedCommandsChangeNothing()
    {
        final ConductorAgent conductor = harness.newConductor(stateDir.resolve("sluice.conf"));
        harness.vipAdd(conductor, WEB);
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        final ForwardingTable table = harness.tables.current();
        final String saved = readConfig();
        final int countersBefore = harness.counterLabels().size();

        assertThat(harness.vipAdd(conductor, WEB)).isEqualTo(new ConductorHarness.Reply(
            CommandTypes.REPLY_ERROR, CommandTypes.STATUS_REFUSED, "VIP 198.18.1.1:80/tcp already exists"));
        assertThat(harness.realAdd(conductor, "198.18.1.9:80/tcp", "198.18.0.11", 100).message())
            .isEqualTo("no VIP 198.18.1.9:80/tcp");
        assertThat(harness.realAdd(conductor, WEB, "198.18.0.11", 100).message())
            .isEqualTo("real 198.18.0.11 already exists in VIP 198.18.1.1:80/tcp");
        assertThat(harness.realAdd(conductor, WEB, "198.18.0.12:8080", 100).message()).contains("DSR cannot change ports");
        assertThat(harness.realDel(conductor, WEB, "198.18.0.99").message()).isEqualTo("no real 198.18.0.99 in VIP 198.18.1.1:80/tcp");
        assertThat(harness.vipDel(conductor, "198.18.1.9:80/tcp").message()).isEqualTo("no VIP 198.18.1.9:80/tcp");
        assertThat(harness.vipAdd(conductor, VipKey.parse("198.18.1.5:80/tcp"), "snat", "maglev").message())
            .isEqualTo("unknown mode 'snat' (expected dsr, tunnel, gue or nat)");
        assertThat(harness.vipAdd(conductor, VipKey.parse("198.18.1.5:80/tcp"), "dsr", "bogus").message())
            .startsWith("unknown scheduler 'bogus'");
        assertThat(harness.realAdd(conductor, WEB, "198.18.0.12", 100).status()).isEqualTo(CommandTypes.STATUS_OK);
        harness.realDel(conductor, WEB, "198.18.0.12");
        final ForwardingTable afterOk = harness.tables.current();

        final ConductorHarness.Reply shortMessage = harness.sendRaw(conductor, CommandTypes.REAL_ADD, 77L, 12);
        assertThat(shortMessage.status()).isEqualTo(CommandTypes.STATUS_MALFORMED);
        assertThat(shortMessage.message()).isEqualTo("malformed real add command (12 bytes)");
        final ConductorHarness.Reply unknown = harness.sendRaw(conductor, 55, 78L, 8);
        assertThat(unknown.status()).isEqualTo(CommandTypes.STATUS_UNKNOWN_COMMAND);

        assertThat(harness.tables.current()).isSameAs(afterOk);
        assertThat(afterOk.vips()[0].reals()).hasSameSizeAs(table.vips()[0].reals());
        assertThat(readConfig()).isEqualTo(saved);
        assertThat(harness.counterLabels()).hasSize(countersBefore);
        assertThat(harness.counterValue("conductor commands refused")).isEqualTo(10L);
        assertThat(harness.counterValue("conductor commands applied")).isEqualTo(4L);
    }

    @Test
    void countsTablesPublishedAndStampsTheHeartbeat()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.epochClock.update(123_456L);

        harness.vipAdd(conductor, WEB);

        assertThat(harness.commands.consumerHeartbeatTime()).isEqualTo(123_456L);
        assertThat(harness.counterValue("conductor tables published")).isEqualTo(2L);
    }

    @Test
    void allocatesCountersPerWorkerAndFreesThemWithTheVip()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.vipAdd(conductor, WEB);
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);

        assertThat(harness.counterLabels())
            .containsOnlyOnce(CounterTypes.CONDUCTOR + " conductor commands applied")
            .filteredOn((label) -> label.equals(CounterTypes.VIP_PACKETS + " vip 198.18.1.1:80/tcp packets"))
            .hasSize(ConductorHarness.WORKERS);
        assertThat(harness.counterLabels())
            .filteredOn((label) -> label.equals(CounterTypes.REAL_BYTES + " real 198.18.1.1:80/tcp 198.18.0.11 bytes"))
            .hasSize(ConductorHarness.WORKERS);

        vip().reals()[0].packetsByWorker()[1].increment();
        assertThat(harness.counterValue("real 198.18.1.1:80/tcp 198.18.0.11 packets")).isEqualTo(1L);

        assertThat(harness.vipDel(conductor, WEB).message()).isEqualTo("removed VIP 198.18.1.1:80/tcp and its 1 real");

        assertThat(harness.counterLabels()).noneMatch((label) -> label.contains("198.18.1.1:80/tcp"));
        assertThat(harness.tables.current().vips()).isEmpty();
    }

    @Test
    void refreshesMacsAboutOnceASecondWithoutReshufflingMaglev()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.vipAdd(conductor, WEB);
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        harness.realAdd(conductor, WEB, "198.18.0.12", 100);
        final ForwardingTable unresolved = harness.tables.current();
        harness.resolver.macs.put(Ipv4.parse("198.18.0.12"), 0x0A_0B_0C_0D_0E_0FL);

        conductor.doWork();
        assertThat(harness.tables.current()).as("before the refresh interval").isSameAs(unresolved);

        harness.nanoClock.advance(ConductorAgent.MAC_REFRESH_INTERVAL_NS);
        conductor.doWork();

        final ForwardingTable resolved = harness.tables.current();
        assertThat(resolved).isNotSameAs(unresolved);
        assertThat(resolved.version()).isGreaterThan(unresolved.version());
        assertThat(vip().reals()[1].mac()).isEqualTo(0x0A_0B_0C_0D_0E_0FL);
        assertThat(vip().reals()[1].id()).isEqualTo(unresolved.vips()[0].reals()[1].id());
        assertThat(vip().maglev()).isSameAs(unresolved.vips()[0].maglev());

        harness.nanoClock.advance(ConductorAgent.MAC_REFRESH_INTERVAL_NS);
        conductor.doWork();
        assertThat(harness.tables.current()).as("nothing changed, nothing published").isSameAs(resolved);
    }

    @Test
    void tellsTheVipSetInOrderWhenItChangesAndOnlyThen()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.vipAdd(conductor, WEB);
        harness.vipAdd(conductor, "198.18.1.1:443/tcp");
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        harness.vipAdd(conductor, "198.18.0.200:53/udp");
        harness.vipDel(conductor, WEB);

        final VipKey web = VipKey.parse(WEB);
        final VipKey https = VipKey.parse("198.18.1.1:443/tcp");
        final VipKey dns = VipKey.parse("198.18.0.200:53/udp");
        assertThat(harness.vipSetCalls).as("a real added changes no VIP, so no call").containsExactly(
            List.of(),
            List.of(web),
            List.of(web, https),
            List.of(dns, web, https),
            List.of(dns, https));
    }

    @Test
    void tellsTheNatRealsWhereRepliesComeFromWhenTheyChange()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        final String nat = "198.18.1.7:80/tcp";
        harness.vipAdd(conductor, VipKey.parse(nat), "nat", "maglev");
        harness.realAdd(conductor, nat, "198.18.0.12:8080", 100);
        harness.realAdd(conductor, nat, "198.18.0.11", 100);
        harness.vipAdd(conductor, WEB);
        harness.realAdd(conductor, WEB, "198.18.0.13", 100);
        harness.realDel(conductor, nat, "198.18.0.12:8080");

        assertThat(harness.natRealCalls).as("DSR reals are not NAT reals; a real with no port gets the VIP's").containsExactly(
            List.of(),
            List.of(VipKey.parse("198.18.0.12:8080/tcp")),
            List.of(VipKey.parse("198.18.0.11:80/tcp"), VipKey.parse("198.18.0.12:8080/tcp")),
            List.of(VipKey.parse("198.18.0.11:80/tcp")));
        final VipEntry entry = harness.tables.current().find(Ipv4.parse("198.18.1.7"), 80, Protocol.TCP.ipProtocol());
        assertThat(entry.spec().mode()).isEqualTo(ForwardingMode.NAT);
        assertThat(harness.tables.current().isNatSource(Ipv4.parse("198.18.0.11"), 80, Protocol.TCP.ipProtocol())).isTrue();
        assertThat(harness.tables.current().isNatSource(Ipv4.parse("198.18.0.13"), 80, Protocol.TCP.ipProtocol())).isFalse();
    }

    @Test
    void persistsEveryChangeAndANewConductorRestoresIt() throws Exception
    {
        final Path file = stateDir.resolve("sluice.conf");
        final ConductorAgent first = harness.newConductor(file);
        harness.vipAdd(first, WEB);
        harness.realAdd(first, WEB, "198.18.0.11", 100);
        harness.realAdd(first, WEB, "198.18.0.12", 5);
        harness.vipAdd(first, "198.18.1.2:53/udp");

        assertThat(Files.readString(file)).isEqualTo(ConfigText.format(first.config()));
        assertThat(Files.readString(file)).contains("real add 198.18.1.1:80/tcp 198.18.0.12 --weight 5\n");
        assertThat(Files.exists(stateDir.resolve("sluice.conf.tmp"))).isFalse();
        final int[] maglevBefore = vip().maglev();

        final ConductorHarness restarted = new ConductorHarness();
        final ConductorAgent second = restarted.newConductor(file);

        assertThat(second.config()).isEqualTo(first.config());
        final VipEntry restored = restarted.tables.current().find(WEB_ADDRESS, 80, Protocol.TCP.ipProtocol());
        assertThat(restored.reals()).extracting(RealEntry::weight).containsExactly(100, 5);
        assertThat(restored.maglev()).as("same configuration, same Maglev table").isEqualTo(maglevBefore);
        assertThat(restarted.vipSetCalls).containsExactly(
            List.of(VipKey.parse(WEB), VipKey.parse("198.18.1.2:53/udp")));
    }

    @Test
    void corruptSavedConfigurationStopsTheStartNamingFileAndLine() throws Exception
    {
        final Path file = stateDir.resolve("sluice.conf");
        Files.writeString(file, ConfigText.HEADER + "\nvip add 198.18.1.1:80/tcp\nreal add 198.18.1.1:80/tcp 198.18.0.x\n");

        assertThatThrownBy(() -> harness.newConductor(file))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ":3: '198.18.0.x' is not an IPv4 address");
    }

    @Test
    void aChangeThatCannotBeSavedIsRefusedAndChangesNothing() throws Exception
    {
        final Path blocker = stateDir.resolve("not-a-directory");
        Files.writeString(blocker, "x");
        final ConductorAgent conductor = harness.newConductor(blocker.resolve("sluice.conf"));
        final ForwardingTable before = harness.tables.current();
        final int countersBefore = harness.counterLabels().size();

        final ConductorHarness.Reply reply = harness.vipAdd(conductor, WEB);

        assertThat(reply.status()).isEqualTo(CommandTypes.STATUS_FAILED);
        assertThat(reply.message()).startsWith("cannot save the configuration to " + blocker.resolve("sluice.conf"));
        assertThat(harness.tables.current()).isSameAs(before);
        assertThat(conductor.config().vips()).isEmpty();
        assertThat(harness.counterLabels()).hasSize(countersBefore);
    }

    @Test
    void servesALargeConfigurationInChunks()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.vipAdd(conductor, WEB);
        for (int i = 0; i < 600; i++)
        {
            assertThat(harness.realAdd(conductor, WEB, Ipv4.format(Ipv4.parse("198.18.8.0") + i), 100).status())
                .isEqualTo(CommandTypes.STATUS_OK);
        }
        final String expected = ConfigText.format(conductor.config());
        assertThat(expected.length()).isGreaterThan(ConductorAgent.MAX_CONFIG_CHUNK_BYTES);

        final ConductorHarness.ConfigChunk first = harness.configChunk(conductor, 0);
        assertThat(first.bytes()).hasSize(ConductorAgent.MAX_CONFIG_CHUNK_BYTES);
        assertThat(harness.configText(conductor)).isEqualTo(expected);
    }

    @Test
    void configOffsetBeyondTheTextIsRefused()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        final String text = harness.configText(conductor);

        assertThat(text).isEqualTo(ConfigText.HEADER + "\n");
        assertThatThrownBy(() -> harness.configChunk(conductor, 100_000)).hasMessageContaining("outside its");
    }

    private VipEntry vip()
    {
        return harness.tables.current().find(WEB_ADDRESS, 80, Protocol.TCP.ipProtocol());
    }

    private String readConfig()
    {
        try
        {
            return Files.readString(stateDir.resolve("sluice.conf"));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
