package io.sluice.control.cli;

import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice apply} and {@code sluice export} against a conductor running in this process. */
class ApplyCommandTest
{
    private static final String FIRST = """
        vips:
          - vip: 198.18.1.1:80/tcp
            mode: dsr
            health: tcp
            reals:
              - { address: 198.18.0.11 }
              - { address: 198.18.0.12, weight: 200 }
              - { address: 198.18.0.13 }
        """;

    @TempDir
    Path stateDir;

    @TempDir
    Path files;

    private RunningForwarder forwarder;

    @BeforeEach
    void start()
    {
        forwarder = new RunningForwarder(stateDir);
    }

    @AfterEach
    void stop()
    {
        forwarder.close();
        assertThat(forwarder.conductorError.get()).isNull();
    }

    @Test
    void diffShowsTheChangesAndChangesNothingThenApplyMakesTheForwarderMatchTheFile() throws IOException
    {
        final Path file = write("fwd.yaml", FIRST);
        final long tableBefore = forwarder.tables.current().version();

        final CliRun diff = sluice("apply", file.toString(), "--diff");
        assertThat(diff.exitCode()).as(diff.err()).isZero();
        assertThat(diff.out()).isEqualTo("""
            + vip 198.18.1.1:80/tcp dsr health tcp
            + real 198.18.1.1:80/tcp 198.18.0.11 weight 100
            + real 198.18.1.1:80/tcp 198.18.0.12 weight 200
            + real 198.18.1.1:80/tcp 198.18.0.13 weight 100
            """);
        assertThat(forwarder.tables.current().version()).as("--diff changes nothing").isEqualTo(tableBefore);

        final CliRun apply = sluice("apply", file.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out())
            .endsWith("+ real 198.18.1.1:80/tcp 198.18.0.13 weight 100\nconfiguration applied: 1 VIP, 3 reals\n");
        assertThat(forwarder.tables.current().version()).as("one step: one table").isEqualTo(tableBefore + 1);
        assertThat(web().reals()).extracting(RealEntry::weight).containsExactly(100, 200, 100);

        assertThat(sluice("apply", file.toString()).out()).isEqualTo("no changes\n");

        final Path changed = write("changed.yaml", FIRST.replace("      - { address: 198.18.0.13 }\n", "")
            .replace("weight: 200", "weight: 0"));
        final CliRun second = sluice("apply", changed.toString(), "--json");
        assertThat(second.out()).isEqualTo("{\"changes\":[\"- real 198.18.1.1:80/tcp 198.18.0.13\"," +
            "\"~ real 198.18.1.1:80/tcp 198.18.0.12 weight 200 -> 0\"],\"applied\":true}\n");
        assertThat(web().reals()).extracting(RealEntry::weight).containsExactly(100, 0);
    }

    @Test
    void anExportedConfigurationAppliesAsNoChange() throws IOException
    {
        sluice("vip", "add", "198.18.1.1:80/tcp", "--scheduler", "round-robin", "--health", "http,path=/healthz,fall=2");
        sluice("real", "add", "198.18.1.1:80/tcp", "198.18.0.11", "--weight", "0");
        sluice("vip", "add", "[2001:2:0:1::1]:53/udp", "--mode", "nat");
        sluice("real", "add", "[2001:2:0:1::1]:53/udp", "[2001:2::11]:5353");
        sluice("vip", "add", "198.18.1.2:80/tcp", "--mode", "tunnel");
        sluice("vip", "add", "198.18.1.3:80/tcp", "--mode", "gue", "--second-chance");
        sluice("real", "add", "198.18.1.3:80/tcp", "198.18.0.31");

        final CliRun export = sluice("export");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).contains("    health: http,path=/healthz,fall=2\n", "      - address: \"[2001:2::11]:5353\"\n",
            "    mode: gue\n    second_chance: true\n");

        final CliRun diff = sluice("apply", write("exported.yaml", export.out()).toString(), "--diff");
        assertThat(diff.exitCode()).as(diff.err()).isZero();
        assertThat(diff.out()).isEmpty();
        final InputStream stdin = System.in;
        try
        {
            System.setIn(new ByteArrayInputStream(export.out().getBytes(StandardCharsets.UTF_8)));
            assertThat(sluice("apply", "-").out()).as("sluice export | sluice apply -").isEqualTo("no changes\n");
        }
        finally
        {
            System.setIn(stdin);
        }
        assertThat(sluice("export", "--json").out()).isEqualTo(sluice("vip", "list", "--json").out());
    }

    @Test
    void aFileThatDoesNotValidateChangesNothingAndIsOneLine() throws IOException
    {
        final Path good = write("fwd.yaml", FIRST);
        sluice("apply", good.toString());
        final String before = sluice("export").out();
        final Path bad = write("bad.yaml", FIRST.replace("weight: 200", "weight: 70000")
            .replace("198.18.0.11", "198.18.0.21"));

        final CliRun run = sluice("apply", bad.toString());

        assertThat(run.exitCode()).isEqualTo(CliException.EXIT_FAILED);
        assertThat(run.errLines()).containsExactly("sluice: " + bad + ":7: vips[0].reals[1].weight: 70000 is not 0-65535");
        assertThat(sluice("export").out()).isEqualTo(before);
        assertThat(sluice("apply", files.resolve("nosuch.yaml").toString()).errLines()).singleElement().asString()
            .startsWith("sluice: " + files.resolve("nosuch.yaml") + ": cannot read: ");
    }

    @Test
    void aBgpSectionForAForwarderWithoutBgpSaysInOneLineThatBgpStartsWithTheForwarder() throws IOException
    {
        sluice("apply", write("fwd.yaml", FIRST).toString());
        final String before = sluice("export").out();
        assertThat(before).as("a forwarder without BGP exports no bgp: section").doesNotContain("bgp:");
        final Path withBgp = write("bgp.yaml", FIRST.replace("weight: 200", "weight: 300") + """
            bgp:
              local_as: 65001
              router_id: 198.18.0.2
              neighbors: [{ address: 198.18.0.1, as: 65000 }]
            """);

        final CliRun run = sluice("apply", withBgp.toString());

        assertThat(run.exitCode()).isEqualTo(CliException.EXIT_FAILED);
        assertThat(run.errLines()).containsExactly("sluice: " + withBgp + ": bgp: this forwarder runs without BGP; start it " +
            "with --bgp FILE to announce its VIPs (nothing changed)");
        assertThat(sluice("export").out()).isEqualTo(before);
    }

    @Test
    void realChangeGivesOneRealANewWeightInPlace() throws IOException
    {
        sluice("apply", write("fwd.yaml", FIRST).toString());
        final RealEntry[] before = web().reals();

        final CliRun drain = sluice("real", "change", "198.18.1.1:80/tcp", "198.18.0.12", "--weight", "0");

        assertThat(drain.exitCode()).as(drain.err()).isZero();
        assertThat(drain.out()).isEqualTo("changed real 198.18.0.12 of VIP 198.18.1.1:80/tcp: weight 200 -> 0\n");
        assertThat(web().reals()).extracting(RealEntry::weight).containsExactly(100, 0, 100);
        assertThat(web().reals()).extracting(RealEntry::id).as("the same reals, so the same flows")
            .containsExactly(before[0].id(), before[1].id(), before[2].id());
        assertThat(sluice("real", "change", "198.18.1.1:80/tcp", "198.18.0.19", "--weight", "5").errLines())
            .containsExactly("sluice: no real 198.18.0.19 in VIP 198.18.1.1:80/tcp");
        assertThat(sluice("real", "change", "198.18.1.1:80/tcp", "198.18.0.11").exitCode()).as("--weight is required")
            .isEqualTo(CliException.EXIT_USAGE);
    }

    private VipEntry web()
    {
        return forwarder.tables.current().find(Ipv4.parse("198.18.1.1"), 80, 6);
    }

    private Path write(final String name, final String text) throws IOException
    {
        return Files.writeString(files.resolve(name), text);
    }

    private CliRun sluice(final String... args)
    {
        return CliRun.inStateDir(stateDir, args);
    }
}
