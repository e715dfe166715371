package io.sluice.control.lab;

import io.sluice.control.demo.KeepAliveConnection;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.LabForwarder;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice apply} against a running forwarder: a file puts its VIP and reals in force and
 * traffic reaches exactly the reals it names; a changed file removes one real and drains another
 * (weight 0), and the drained real keeps its established connections while new ones go elsewhere;
 * the exported configuration applies as no change; a file that does not validate changes nothing.
 * The VIP is least-connection, so new flows spread by the workers' counts of live flows.
 * A file names the forwarder's whole configuration, so this test runs a forwarder of its own.
 */
@ExtendWith(LabExtension.class)
class ApplyLabIT
{
    private static final String VIP = LabFixture.VIPS.get(3);
    private static final String KEY = VIP + ":" + LabFixture.PORT + "/tcp";
    private static final int CONNECTIONS = 30;
    private static final int REQUESTS = 60;

    @Test
    void aFileIsAppliedInOneStepADrainedRealKeepsItsConnectionsAndABadFileChangesNothing(final LabFixture fixture)
        throws Exception
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final Path files = fixture.scratchDir("apply-files");
        // The shared forwarder holds eth0 (its XDP program, or a fanout group that would forward too);
        // the next test that needs it starts it again with its own configuration.
        fixture.forwarder().stop();
        final List<KeepAliveConnection> connections = new ArrayList<>();
        try (LabForwarder forwarder = new LabForwarder(lab, fixture.home(), fixture.scratchDir("apply-state"), LabFixture.IO))
        {
            forwarder.start();
            final Map<String, Integer> all = new LinkedHashMap<>();
            for (final String real : lab.realHosts())
            {
                all.put(real, 100);
            }
            final Path first = write(files.resolve("first.yaml"), all);
            final ExecResult diff = forwarder.cli().run("apply", first.toString(), "--diff");
            LabFixture.assertSucceeded(diff);
            assertThat(diff.stdout()).startsWith("+ vip " + KEY + " dsr scheduler least-connection health tcp\n");
            assertThat(forwarder.cli().run("vip", "list").stdout()).as("--diff changes nothing").isEqualTo("no VIPs\n");

            LabFixture.assertSucceeded(forwarder.cli().run("apply", first.toString()));
            final LoadReport spread = fixture.load(VIP, REQUESTS);
            assertThat(spread.failures()).isEmpty();
            assertThat(spread.servedBy().keySet()).containsExactlyInAnyOrderElementsOf(lab.realHosts());

            final ExecResult export = forwarder.cli().run("export");
            LabFixture.assertSucceeded(export);
            final Path exported = Files.writeString(files.resolve("exported.yaml"), export.stdout());
            final ExecResult noChange = forwarder.cli().run("apply", exported.toString(), "--diff");
            LabFixture.assertSucceeded(noChange);
            assertThat(noChange.stdout()).as("the exported configuration applied again").isEmpty();

            connections.addAll(KeepAliveConnection.inNamespace(lab.namespace(Lab.CLIENT), () ->
            {
                final List<KeepAliveConnection> opened = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++)
                {
                    opened.add(KeepAliveConnection.open(VIP, LabFixture.PORT));
                }
                return opened;
            }));
            final List<String> firstServedBy = new ArrayList<>();
            for (final KeepAliveConnection connection : connections)
            {
                firstServedBy.add(connection.get().servedBy());
            }
            final String drained = firstServedBy.getFirst();
            final String removed = lab.realHosts().stream().filter((real) -> !real.equals(drained)).findFirst().orElseThrow();
            final Map<String, Integer> changed = new LinkedHashMap<>(all);
            changed.remove(removed);
            changed.put(drained, 0);
            final Path second = write(files.resolve("second.yaml"), changed);

            final ExecResult applied = forwarder.cli().run("apply", second.toString());
            LabFixture.assertSucceeded(applied);
            assertThat(applied.stdout()).contains("- real " + KEY + " " + address(removed) + "\n",
                "~ real " + KEY + " " + address(drained) + " weight 100 -> 0\n");

            for (int i = 0; i < CONNECTIONS; i++)
            {
                if (!firstServedBy.get(i).equals(removed))
                {
                    assertThat(connections.get(i).get().servedBy())
                        .as("connection %d on %s after %s was drained and %s removed", i, firstServedBy.get(i), drained, removed)
                        .isEqualTo(firstServedBy.get(i));
                }
            }
            final LoadReport after = fixture.load(VIP, REQUESTS);
            assertThat(after.failures()).isEmpty();
            assertThat(after.servedBy(drained)).as("new connections to the drained %s", drained).isZero();
            assertThat(after.servedBy(removed)).as("new connections to the removed %s", removed).isZero();

            final String before = forwarder.cli().run("export").stdout();
            final String badText = Files.readString(second).replace("weight: 0", "weight: 70000");
            final Path bad = Files.writeString(files.resolve("bad.yaml"), badText.replace("health: tcp", "health: udp"));
            final ExecResult refused = forwarder.cli().run("apply", bad.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).isEqualTo("sluice: " + bad + ":4: vips[0].health: unknown health check 'udp' " +
                "(expected none, tcp or http[,key=value...])\n");
            Files.writeString(bad, badText);
            assertThat(forwarder.cli().run("apply", bad.toString()).stderr()).startsWith("sluice: " + bad + ":" +
                (1 + badText.lines().toList().indexOf("        weight: 70000")) + ": vips[0].reals[");
            assertThat(forwarder.cli().run("export").stdout()).as("a bad file changes nothing").isEqualTo(before);
        }
        finally
        {
            for (final KeepAliveConnection connection : connections)
            {
                connection.close();
            }
        }
    }

    /** The file for the test's VIP (DSR, TCP checks, least-connection) with these reals (lab host name to weight). */
    private static Path write(final Path file, final Map<String, Integer> reals) throws IOException
    {
        final StringBuilder yaml = new StringBuilder("vips:\n  - vip: " + KEY + "\n    mode: dsr\n    health: tcp\n" +
            "    scheduler: least-connection\n    reals:\n");
        reals.forEach((real, weight) -> yaml.append("      - address: ").append(address(real)).append('\n')
            .append("        weight: ").append(weight).append('\n'));
        return Files.writeString(file, yaml);
    }

    private static String address(final String real)
    {
        return Lab.realAddress(Integer.parseInt(real.substring("real".length())));
    }
}
