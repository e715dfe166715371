package io.sluice.control.declarative;

import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.config.ConfigText;
import io.sluice.forwarder.config.ForwarderConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code sluice apply --diff} prints: one line per change, nothing for the same configuration in another order. */
class ConfigDiffTest
{
    private static final ForwarderConfig RUNNING = ConfigText.parse("""
        vip add 198.18.1.1:80/tcp --mode dsr --scheduler maglev
        real add 198.18.1.1:80/tcp 198.18.0.11 --weight 100
        real add 198.18.1.1:80/tcp 198.18.0.12 --weight 100
        real add 198.18.1.1:80/tcp 198.18.0.13 --weight 100
        vip add 198.18.1.2:53/udp --mode nat --health tcp
        real add 198.18.1.2:53/udp 198.18.0.21:5353 --weight 100
        """, "running");

    @Test
    void listsEveryChangeInTheCliWords()
    {
        final ForwarderConfig desired = ConfigText.parse("""
            vip add 198.18.1.1:80/tcp --mode tunnel --scheduler round-robin --health http,path=/healthz
            real add 198.18.1.1:80/tcp 198.18.0.12 --weight 0
            real add 198.18.1.1:80/tcp 198.18.0.11 --weight 200
            real add 198.18.1.1:80/tcp 198.18.0.14 --weight 100
            vip add [2001:2:0:1::1]:80/tcp --mode dsr --scheduler source-hash --health tcp,fall=5
            real add [2001:2:0:1::1]:80/tcp 2001:2::11 --weight 100
            vip add 198.18.1.3:80/tcp
            """, "desired");

        assertThat(ConfigDiff.changes(RUNNING, desired)).containsExactly(
            "~ vip 198.18.1.1:80/tcp mode dsr -> tunnel",
            "~ vip 198.18.1.1:80/tcp scheduler maglev -> round-robin",
            "~ vip 198.18.1.1:80/tcp health none -> http,path=/healthz",
            "- real 198.18.1.1:80/tcp 198.18.0.13",
            "~ real 198.18.1.1:80/tcp 198.18.0.12 weight 100 -> 0",
            "~ real 198.18.1.1:80/tcp 198.18.0.11 weight 100 -> 200",
            "+ real 198.18.1.1:80/tcp 198.18.0.14 weight 100",
            "+ vip [2001:2:0:1::1]:80/tcp dsr scheduler source-hash health tcp,fall=5",
            "+ real [2001:2:0:1::1]:80/tcp 2001:2::11 weight 100",
            "+ vip 198.18.1.3:80/tcp dsr",
            "- vip 198.18.1.2:53/udp");
    }

    @Test
    void secondChanceIsPartOfTheMode()
    {
        final ForwarderConfig gue = ConfigText.parse("vip add 198.18.1.1:80/tcp --mode gue\n", "gue");
        final ForwarderConfig secondChance = ConfigText.parse("vip add 198.18.1.1:80/tcp --mode gue --second-chance\n", "sc");

        assertThat(ConfigDiff.changes(gue, secondChance)).containsExactly("~ vip 198.18.1.1:80/tcp mode gue -> gue+sc");
        assertThat(ConfigDiff.changes(ForwarderConfig.EMPTY, secondChance)).containsExactly("+ vip 198.18.1.1:80/tcp gue+sc");
    }

    @Test
    void theSameConfigurationInAnotherOrderOrSpellingIsNoChange()
    {
        final ForwarderConfig reordered = ConfigText.parse("""
            vip add 198.18.1.2:53/udp --mode nat --health tcp,interval=2s,timeout=1000ms
            real add 198.18.1.2:53/udp 198.18.0.21:5353
            vip add 198.18.1.1:80/tcp
            real add 198.18.1.1:80/tcp 198.18.0.13:80
            real add 198.18.1.1:80/tcp 198.18.0.12
            real add 198.18.1.1:80/tcp 198.18.0.11
            """, "reordered");

        assertThat(ConfigDiff.changes(RUNNING, reordered)).isEmpty();
        assertThat(ConfigDiff.changes(RUNNING, RUNNING)).isEmpty();
        assertThat(ConfigDiff.changes(ForwarderConfig.EMPTY, ForwarderConfig.EMPTY)).isEmpty();
    }

    @Test
    void bgpSettingsChangeOneLinePerSettingAndNoSectionIsNoChange()
    {
        final String vips = "vips: []\n";
        final BgpConfig running = ForwarderYaml.read(vips + """
            bgp:
              local_as: 65001
              router_id: 198.18.0.2
              neighbors: [{ address: 198.18.0.1, as: 65000 }, { address: 198.18.0.3, as: 65000 }]
            """, "running").bgp();
        final BgpConfig desired = ForwarderYaml.read(vips + """
            bgp:
              local_as: 65001
              router_id: 198.18.0.2
              neighbors: [{ address: 198.18.0.1, as: 65000, password: pw }, { address: 198.18.0.5, as: 65002 }]
              hold: 6s
              bfd: { interval: 100ms }
              announce: [198.18.1.1]
            """, "desired").bgp();

        assertThat(ConfigDiff.bgpChanges(running, desired)).containsExactly(
            "- bgp neighbor 198.18.0.3",
            "~ bgp neighbor 198.18.0.1 password changed",
            "+ bgp neighbor 198.18.0.5 as 65002",
            "~ bgp hold 9s -> 6s",
            "~ bgp keepalive 3s -> 2s",
            "~ bgp bfd off -> 100ms x 3",
            "~ bgp announce all -> [198.18.1.1]");
        assertThat(ConfigDiff.bgpChanges(running, running)).isEmpty();
        assertThat(ConfigDiff.bgpChanges(running, null)).as("a file without bgp: leaves BGP alone").isEmpty();
        assertThat(ConfigDiff.bgpChanges(null, desired)).containsExactly("+ bgp AS 65001 router id 198.18.0.2, 2 neighbor(s)");
    }
}
