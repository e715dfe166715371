package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** BIRD's configuration as the forwarder writes it. */
class BirdConfigTextTest
{
    private static final BgpConfig CONFIG = new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
        List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, "s3cret")), 9, 3, new BgpConfig.Bfd(100, 3),
        List.of(new BgpConfig.Community(65001, 100)), null);

    private static final String BIRD = "/usr/sbin/bird";
    private static final String DUAL_STACK_GOLDEN = "bird-dual-stack.conf";
    private static final BgpConfig DUAL_STACK = new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
        List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null),
            new BgpConfig.Neighbor(IpAddress.parse("2001:2::1"), 65000, "s3cret")),
        9, 3, new BgpConfig.Bfd(100, 3), List.of(new BgpConfig.Community(65001, 100)), null);
    private static final Map<IpAddress, Boolean> DUAL_STACK_VIPS = new TreeMap<>(Map.of(
        IpAddress.parse("198.18.1.1"), true, IpAddress.parse("2001:2:0:1::1"), true, IpAddress.parse("2001:2:0:1::2"), false));

    @Test
    void announcesWhatIsWantedWithTheSameAttributesOnEveryForwarder()
    {
        final Map<IpAddress, Boolean> vips = new TreeMap<>();
        vips.put(IpAddress.parse("198.18.1.1"), true);
        vips.put(IpAddress.parse("198.18.1.2"), false);

        final String text = BirdConfigText.render(CONFIG, vips);

        assertThat(text).contains(
            "router id 198.18.0.2;",
            "protocol static vip_198_18_1_1 { ipv4; route 198.18.1.1/32 blackhole; }",
            "protocol static vip_198_18_1_2 { disabled; ipv4; route 198.18.1.2/32 blackhole; }",
            "bgp_origin = ORIGIN_IGP;",
            "bgp_community.add((65001,100));",
            "protocol bgp peer_198_18_0_1 {",
            "local as 65001;",
            "neighbor 198.18.0.1 as 65000;",
            "hold time 9; keepalive time 3;",
            "password \"s3cret\";",
            "bfd on;",
            "protocol bfd { interface \"*\" { interval 100 ms; multiplier 3; }; }",
            "ipv4 { import none; export filter sluice_vips; next hop self; };");
        assertThat(text).as("no kernel protocol: the blackhole routes never reach the forwarder's own table")
            .doesNotContain("protocol kernel");
    }

    /** Both IP versions: the golden file is what BIRD 2 accepts ({@link #birdParsesEveryConfigurationWritten}). */
    @Test
    void announcesIpv6VipsOverIpv6SessionsAndIpv4OnesOverIpv4()
    {
        assertThat(BirdConfigText.render(DUAL_STACK, DUAL_STACK_VIPS)).isEqualTo(golden(DUAL_STACK_GOLDEN));
    }

    @Test
    void namesProtocolsAfterTheirAddressesInBirdSymbols()
    {
        assertThat(BirdConfigText.protocolName(IpAddress.parse("2001:2:0:1::1"))).isEqualTo("vip_2001_2_0_1__1");
        assertThat(BirdConfigText.protocolName(DUAL_STACK.neighbors().get(1))).isEqualTo("peer_2001_2__1");
    }

    /** {@code bird -p}: parse the configuration and exit; every variant the forwarder writes must pass. */
    @Test
    void birdParsesEveryConfigurationWritten(@TempDir final Path dir) throws Exception
    {
        Privileges.require(Files.isExecutable(Path.of(BIRD)), "needs BIRD 2 (Debian package bird2)");
        final Map<IpAddress, Boolean> ipv4Vips = new TreeMap<>(Map.of(IpAddress.parse("198.18.1.1"), true));
        for (final String text : List.of(BirdConfigText.render(CONFIG, ipv4Vips), BirdConfigText.render(DUAL_STACK,
            DUAL_STACK_VIPS), BirdConfigText.render(DUAL_STACK, Map.of())))
        {
            final Path file = Files.writeString(dir.resolve("bird.conf"), text);
            final Process bird = new ProcessBuilder(BIRD, "-p", "-c", file.toString()).redirectErrorStream(true).start();
            final String output = new String(bird.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bird.waitFor()).as("bird -p on%n%s%nsaid: %s", text, output).isZero();
        }
    }

    @Test
    void leavesBfdOutWhenTheFileHasNone()
    {
        final BgpConfig noBfd = new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
            List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null)), 9, 3, null, List.of(), null);
        assertThat(BirdConfigText.render(noBfd, Map.of())).doesNotContain("bfd", "password");
    }

    private static String golden(final String name)
    {
        try (InputStream in = BirdConfigTextTest.class.getResourceAsStream(name))
        {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
