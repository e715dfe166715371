package io.sluice.control.cli;

import io.sluice.control.SluiceCli;
import io.sluice.forwarder.bgp.BgpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice forwarder --bgp FILE}: a good file reaches the forwarder's context; a bad one is
 * one line and an exit before anything starts (no state directory, no interface, no BIRD).
 */
class BgpOptionTest
{
    @TempDir
    Path dir;

    @Test
    void aGoodFileReachesTheForwardersContext() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("bgp.yaml"), """
            local_as: 65001
            router_id: 198.18.0.2
            neighbors:
              - { address: 198.18.0.1, as: 65000 }
              - { address: 2001:2::1, as: 65000 }    # an IPv6 session, written unquoted
            bfd: { interval: 100ms, multiplier: 3 }   # optional; off when absent
            hold: 9s                                  # optional
            """);
        final CommandLine commandLine =
            SluiceCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        final ForwarderCommand command = (ForwarderCommand)commandLine.parseArgs("forwarder", "--iface", "eth0", "--bgp",
            file.toString(), "--state-dir", dir.resolve("state").toString()).subcommand().commandSpec().userObject();

        final BgpConfig bgp = command.context().bgp();

        assertThat(bgp.localAs()).isEqualTo(65001);
        assertThat(bgp.neighbors()).extracting((neighbor) -> neighbor.address().toString())
            .containsExactly("198.18.0.1", "2001:2::1");
        assertThat(bgp.bfd()).isEqualTo(new BgpConfig.Bfd(100, 3));
        assertThat(bgp.holdS()).isEqualTo(9);
    }

    @Test
    void aBadFileIsOneLineAndNothingStarts() throws IOException
    {
        assertRefused("local_as: 0\nrouter_id: 198.18.0.2\nneighbors: [{ address: 198.18.0.1, as: 65000 }]\n",
            "local_as: '0' is not an AS number (1-4294967295)");
        assertRefused("local_as: 65001\nrouter_id: 198.18.0.2\nneighbors: [{ address: 198.18.0.300, as: 65000 }]\n",
            "neighbors[0].address: '198.18.0.300' is not an IPv4 or IPv6 address");
        assertRefused("local_as: 65001\nrouter_id: 2001:2::2\nneighbors: [{ address: 2001:2::1, as: 65000 }]\n",
            "router_id: 2001:2::2 is IPv6; a router id is a 32-bit id written as an IPv4 address, whatever the sessions' IP version");
        assertRefused("local_as: 65001\nrouter_id: 198.18.0.2\nneighbours: [{ address: 198.18.0.1, as: 65000 }]\n",
            "neighbours: unknown key; allowed here: local_as, router_id, neighbors, hold, keepalive, bfd, communities, announce");
        assertRefused("local_as: 65001\nlocal_as: 65002\n", "not YAML: ");
        assertRefused("", "empty; needs local_as, router_id and neighbors");
        final CliRun missing = run(dir.resolve("nosuch.yaml"));
        assertThat(missing.errLines()).containsExactly(
            "sluice: --bgp " + dir.resolve("nosuch.yaml") + ": no such file (try 'sluice forwarder --help')");
        assertThat(dir.resolve("state")).as("nothing started").doesNotExist();
    }

    private void assertRefused(final String text, final String reason) throws IOException
    {
        final Path file = Files.writeString(dir.resolve("bad.yaml"), text);
        final CliRun run = run(file);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("sluice: --bgp " + file + ": " + reason);
    }

    private CliRun run(final Path file)
    {
        return CliRun.of("forwarder", "--iface", "eth0", "--bgp", file.toString(),
            "--state-dir", dir.resolve("state").toString());
    }
}
