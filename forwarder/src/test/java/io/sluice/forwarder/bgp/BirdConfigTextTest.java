package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;
import org.junit.jupiter.api.Test;

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

    @Test
    void leavesBfdOutWhenTheFileHasNone()
    {
        final BgpConfig noBfd = new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
            List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null)), 9, 3, null, List.of(), null);
        assertThat(BirdConfigText.render(noBfd, Map.of())).doesNotContain("bfd", "password");
    }
}
