package io.sluice.control.cli;

import io.sluice.forwarder.conductor.ConfigFileStore;
import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI against a conductor running in this process, through a real control file. */
class CliEndToEndTest
{
    private static final String WEB = "198.18.1.1:80/tcp";

    @TempDir
    Path stateDir;

    private RunningForwarder forwarder;

    @BeforeEach
    void start()
    {
        forwarder = new RunningForwarder(stateDir);
    }

    @AfterEach
    void stop()
    {
        if (forwarder != null)
        {
            forwarder.close();
        }
        assertThat(forwarder == null ? null : forwarder.conductorError.get()).isNull();
    }

    @Test
    void configuresAVipAndListsIt()
    {
        assertOk(sluice("vip", "add", WEB), "added VIP 198.18.1.1:80/tcp (dsr, maglev)\n");
        assertOk(sluice("real", "add", WEB, "198.18.0.11"), "added real 198.18.0.11 to VIP 198.18.1.1:80/tcp (weight 100)\n");
        assertOk(sluice("real", "add", WEB, "198.18.0.12:80", "--weight", "50", "--json"),
            "{\"ok\":true,\"message\":\"added real 198.18.0.12 to VIP 198.18.1.1:80/tcp (weight 50)\"}\n");

        final CliRun list = sluice("vip", "list", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).isEqualTo("{\"vips\":[{\"vip\":\"198.18.1.1:80/tcp\",\"address\":\"198.18.1.1\",\"port\":80," +
            "\"protocol\":\"tcp\",\"mode\":\"dsr\",\"second_chance\":false,\"scheduler\":\"maglev\",\"health\":\"none\"," +
            "\"reals\":[" +
            "{\"real\":\"198.18.0.11\",\"address\":\"198.18.0.11\",\"port\":80,\"weight\":100}," +
            "{\"real\":\"198.18.0.12\",\"address\":\"198.18.0.12\",\"port\":80,\"weight\":50}]}]}\n");

        final CliRun text = sluice("vip", "list");
        assertThat(text.out()).contains("198.18.1.1:80/tcp", "dsr", "maglev").contains("2  none\n");
        final CliRun reals = sluice("real", "list", WEB);
        assertThat(reals.out()).contains("198.18.0.11", "198.18.0.12").contains("    50  -      -                        -\n");
        assertThat(sluice("real", "list", "--json").out()).contains("{\"vip\":\"198.18.1.1:80/tcp\",\"real\":\"198.18.0.12\"")
            .contains("\"health\":\"-\",\"health_changed_ms\":0,\"health_transitions\":0}");

        final VipEntry vip = forwarder.tables.current().find(Ipv4.parse("198.18.1.1"), 80, 6);
        assertThat(vip.reals()).extracting(RealEntry::weight).containsExactly(100, 50);
    }

    @Test
    void aGueVipWithSecondChanceIsAddedListedAndPublishedWithItsSecondaries()
    {
        assertOk(sluice("vip", "add", WEB, "--mode", "gue", "--second-chance"), "added VIP 198.18.1.1:80/tcp (gue+sc, maglev)\n");
        sluice("real", "add", WEB, "198.18.0.11");
        sluice("real", "add", WEB, "198.18.0.12");

        assertThat(sluice("vip", "list", "--json").out())
            .contains("\"mode\":\"gue\",\"second_chance\":true,\"scheduler\":\"maglev\"");
        assertThat(sluice("vip", "list").out()).contains("198.18.1.1:80/tcp        gue+sc  maglev");
        final VipEntry vip = forwarder.tables.current().find(Ipv4.parse("198.18.1.1"), 80, 6);
        assertThat(vip.secondaries()).hasSameSizeAs(vip.maglev()).doesNotContain(-1);
    }

    @Test
    void secondChanceOnADsrVipIsAUsageErrorInOneLine()
    {
        final CliRun refused = sluice("vip", "add", WEB, "--second-chance");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly("sluice: VIP 198.18.1.1:80/tcp: --second-chance needs --mode gue " +
            "(the hop list travels in the GUE header), not dsr (try 'sluice vip add --help')");
        assertThat(sluice("vip", "list").out()).isEqualTo("no VIPs\n");
    }

    @Test
    void removesRealsAndVips()
    {
        sluice("vip", "add", WEB);
        sluice("real", "add", WEB, "198.18.0.11");
        sluice("real", "add", WEB, "198.18.0.12");

        assertOk(sluice("real", "del", WEB, "198.18.0.11"), "removed real 198.18.0.11 from VIP 198.18.1.1:80/tcp\n");
        assertThat(sluice("real", "list", WEB).out()).doesNotContain("198.18.0.11").contains("198.18.0.12");
        assertOk(sluice("vip", "del", WEB), "removed VIP 198.18.1.1:80/tcp and its 1 real\n");
        assertThat(sluice("vip", "list").out()).isEqualTo("no VIPs\n");
        assertThat(sluice("vip", "list", "--json").out()).isEqualTo("{\"vips\":[]}\n");
        assertThat(forwarder.tables.current().vips()).isEmpty();
    }

    @Test
    void refusedOperationsPrintOneLineExitOneAndChangeNothing() throws Exception
    {
        sluice("vip", "add", WEB);
        sluice("real", "add", WEB, "198.18.0.11");
        final String listed = sluice("vip", "list", "--json").out();
        final String saved = Files.readString(stateDir.resolve(ConfigFileStore.DEFAULT_FILE_NAME));

        assertRefused(sluice("vip", "add", WEB), "sluice: VIP 198.18.1.1:80/tcp already exists");
        assertRefused(sluice("real", "add", "198.18.1.2:80/tcp", "198.18.0.11"), "sluice: no VIP 198.18.1.2:80/tcp");
        assertRefused(sluice("real", "add", WEB, "198.18.0.11"), "sluice: real 198.18.0.11 already exists in VIP 198.18.1.1:80/tcp");
        assertRefused(sluice("real", "add", WEB, "198.18.0.13:8080"),
            "sluice: real 198.18.0.13:8080 for VIP 198.18.1.1:80/tcp: DSR cannot change ports (the real must listen on 80)");
        assertRefused(sluice("real", "del", WEB, "198.18.0.99"), "sluice: no real 198.18.0.99 in VIP 198.18.1.1:80/tcp");
        assertRefused(sluice("vip", "del", "198.18.1.2:80/tcp"), "sluice: no VIP 198.18.1.2:80/tcp");
        assertRefused(sluice("real", "list", "198.18.1.2:80/tcp"), "sluice: no VIP 198.18.1.2:80/tcp");

        final CliRun malformed = sluice("vip", "add", "198.18.1:80/tcp");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.errLines()).hasSize(1);
        final CliRun badMode = sluice("vip", "add", "198.18.1.3:80/tcp", "--mode", "x");
        assertThat(badMode.exitCode()).isEqualTo(2);
        assertThat(badMode.errLines()).containsExactly(
            "sluice: unknown mode 'x' (expected dsr, tunnel, gue or nat) (try 'sluice vip add --help')");

        assertThat(sluice("vip", "list", "--json").out()).isEqualTo(listed);
        assertThat(Files.readString(stateDir.resolve(ConfigFileStore.DEFAULT_FILE_NAME))).isEqualTo(saved);
    }

    @Test
    void statsReadsTheCountersSummedOverWorkers()
    {
        sluice("vip", "add", WEB);
        sluice("real", "add", WEB, "198.18.0.11");
        sluice("real", "add", WEB, "198.18.0.12");
        final VipEntry vip = forwarder.tables.current().find(Ipv4.parse("198.18.1.1"), 80, 6);
        vip.packetsByWorker()[0].set(4);
        vip.bytesByWorker()[0].set(400);
        vip.reals()[0].packetsByWorker()[0].set(3);
        vip.reals()[0].bytesByWorker()[0].set(300);
        vip.reals()[1].packetsByWorker()[0].set(1);
        vip.reals()[1].bytesByWorker()[0].set(100);
        forwarder.worker.rxPackets.set(7);
        forwarder.worker.txPackets.set(4);
        forwarder.worker.drops(DropReason.NO_NEXT_HOP).set(2);
        forwarder.worker.partialChecksumsFinished.set(5);

        final CliRun json = sluice("stats", "--json");

        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out())
            .contains("{\"vip\":\"198.18.1.1:80/tcp\",\"packets\":4,\"bytes\":400,\"reals\":[" +
                "{\"real\":\"198.18.0.11\",\"packets\":3,\"bytes\":300,\"share_percent\":75.0}," +
                "{\"real\":\"198.18.0.12\",\"packets\":1,\"bytes\":100,\"share_percent\":25.0}]}")
            .contains("\"no-next-hop\":2")
            .contains("\"ttl-expired\":0")
            .contains("{\"worker\":0,\"rx_packets\":7,\"tx_packets\":4,")
            .contains("\"partial_checksums_finished\":5")
            .contains("\"commands_applied\":3");

        final CliRun text = sluice("stats");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("198.18.1.1:80/tcp", "198.18.0.11", "75.0%", "no-next-hop", "WORKER")
            .containsPattern("partial \\(veth senders\\) finished +5");
    }

    @Test
    void statsWatchPrintsRatesPerInterval()
    {
        sluice("vip", "add", WEB);

        final CliRun watch = sluice("stats", "--watch", "--interval-ms", "100", "--count", "2", "--json");

        assertThat(watch.exitCode()).as(watch.err()).isZero();
        final String[] lines = watch.out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("{\"interval_s\":").contains("\"packets_per_s\":0.0");
    }

    @Test
    void restartKeepsTheConfiguration()
    {
        sluice("vip", "add", WEB);
        sluice("real", "add", WEB, "198.18.0.11", "--weight", "7");
        final String before = sluice("vip", "list", "--json").out();
        forwarder.close();
        forwarder = null;

        assertThat(sluice("vip", "list").errLines()).containsExactly("sluice: no forwarder running at " + stateDir + " (no sluice.cnc)");

        forwarder = new RunningForwarder(stateDir);
        assertThat(sluice("vip", "list", "--json").out()).isEqualTo(before).contains("\"weight\":7");
        assertThat(forwarder.tables.current().vips()).hasSize(1);
    }

    private CliRun sluice(final String... args)
    {
        return CliRun.inStateDir(stateDir, args);
    }

    private static void assertOk(final CliRun run, final String out)
    {
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(out);
    }

    private static void assertRefused(final CliRun run, final String line)
    {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(line);
    }
}
