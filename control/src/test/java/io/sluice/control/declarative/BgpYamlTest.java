package io.sluice.control.declarative;

import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The declarative file's {@code bgp:} section: the keys of {@code --bgp FILE}, written back as read. */
class BgpYamlTest
{
    private static final String VIPS = "vips:\n  - vip: 198.18.1.1:80/tcp\n";

    @Test
    void theSectionIsReadWithTheBgpFilesRulesAndWrittenBackAsItWasRead()
    {
        final String section = """
            bgp:
              local_as: 65001
              router_id: 198.18.0.2
              neighbors:
                - { address: 198.18.0.1, as: 65000 }
                - { address: 198.18.0.5, as: 65000, password: "s3cret, with: colons" }
              hold: 6s
              keepalive: 2s
              bfd: { interval: 100ms, multiplier: 3 }
              communities: ["65001:100"]
              announce: [198.18.1.1]
            """;
        final DeclaredConfig read = ForwarderYaml.read(VIPS + section.replace("  keepalive: 2s\n", ""), "fwd.yaml");
        assertThat(read.bgp()).isEqualTo(new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
            List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null),
                new BgpConfig.Neighbor(IpAddress.parse("198.18.0.5"), 65000, "s3cret, with: colons")),
            6, 2, new BgpConfig.Bfd(100, 3), List.of(new BgpConfig.Community(65001, 100)),
            Set.of(IpAddress.parse("198.18.1.1"))));
        final String written = ForwarderYaml.write(read);
        assertThat(written).as("keepalive written out").endsWith(section);
        assertThat(ForwarderYaml.read(written, "exported.yaml")).isEqualTo(read);
    }

    @Test
    void withoutTheSectionTheFileSaysNothingAboutBgp()
    {
        assertThat(ForwarderYaml.read(VIPS, "fwd.yaml").bgp()).isNull();
        final DeclaredConfig minimal = ForwarderYaml.read(VIPS + "bgp:\n  local_as: 65001\n  router_id: 198.18.0.2\n" +
            "  neighbors: [{ address: 198.18.0.1, as: 65000 }]\n", "fwd.yaml");
        assertThat(minimal.bgp().announce()).isNull();
        assertThat(ForwarderYaml.read(ForwarderYaml.write(minimal), "again.yaml")).isEqualTo(minimal);
    }

    @Test
    void badInputIsOneLineNamingFileLineAndField()
    {
        assertRefused("bgp:\n  local_as: x\n  router_id: 198.18.0.2\n  neighbors: [{ address: 198.18.0.1, as: 65000 }]\n",
            "fwd.yaml:4: bgp: local_as: 'x' is not an AS number (1-4294967295)");
        assertRefused("bgp:\n  local_as: 1\n  router_id: 198.18.0.2\n  neighbors: [{ address: 198.18.0.1, as: 65000 }]\n" +
            "  hold_time: 9s\n", "fwd.yaml:4: bgp: hold_time: unknown key; allowed here: local_as, router_id, neighbors, hold, " +
            "keepalive, bfd, communities, announce");
        assertRefused("bgp:\n  local_as: 1\n  router_id: 198.18.0.2\n  neighbors: [{ address: 198.18.0.300, as: 65000 }]\n",
            "fwd.yaml:4: bgp: neighbors[0].address: '198.18.0.300' is not an IPv4 or IPv6 address");
        assertRefused("bgp:\n  local_as: 1\n  local_as: 2\n", "fwd.yaml:5: bgp.local_as: repeated key");
        assertRefused("bgp:\n", "fwd.yaml:3: bgp: expected a mapping (local_as, router_id, neighbors, hold, keepalive, bfd, " +
            "communities, announce), found nothing");
        assertRefused("bgpp: {}\n", "fwd.yaml:3: bgpp: unknown key (allowed here: vips, bgp)");
    }

    private static void assertRefused(final String bgp, final String message)
    {
        assertThatThrownBy(() -> ForwarderYaml.read(VIPS + bgp, "fwd.yaml")).isInstanceOf(ConfigException.class)
            .hasMessage(message);
    }
}
