package io.sluice.forwarder.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTextTest
{
    private static final VipKey WEB = VipKey.parse("198.18.1.1:80/tcp");
    private static final VipKey DNS = VipKey.parse("198.18.1.2:53/udp");

    @Test
    void formatsOneStatementPerLineLikeTheCli()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY
            .addVip(new VipSpec(WEB, ForwardingMode.DSR, SchedulerKind.MAGLEV))
            .addReal(WEB, RealSpec.parse("198.18.0.11", 100));

        assertThat(ConfigText.format(config)).isEqualTo(
            "# sluice forwarder configuration, written by sluice; edit with the CLI\n" +
            "vip add 198.18.1.1:80/tcp --mode dsr --scheduler maglev\n" +
            "real add 198.18.1.1:80/tcp 198.18.0.11 --weight 100\n");
    }

    @Test
    void roundTripsAConfiguration()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY
            .addVip(new VipSpec(WEB, ForwardingMode.DSR, SchedulerKind.MAGLEV))
            .addVip(new VipSpec(DNS, ForwardingMode.DSR, SchedulerKind.MAGLEV))
            .addReal(WEB, RealSpec.parse("198.18.0.12", 3))
            .addReal(WEB, RealSpec.parse("198.18.0.11", 65535))
            .addReal(DNS, RealSpec.parse("198.18.0.21", 1));

        final ForwarderConfig parsed = ConfigText.parse(ConfigText.format(config), "test.conf");

        assertThat(parsed).isEqualTo(config);
        assertThat(parsed.find(WEB).reals()).extracting(RealSpec::weight).containsExactly(3, 65535);
        assertThat(ConfigText.format(parsed)).isEqualTo(ConfigText.format(config));
    }

    @Test
    void roundTripsAGueVipWithSecondChance()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY
            .addVip(new VipSpec(WEB, ForwardingMode.GUE, SchedulerKind.MAGLEV, HealthCheck.NONE, true))
            .addVip(new VipSpec(DNS, ForwardingMode.GUE, SchedulerKind.SOURCE_HASH))
            .addReal(WEB, RealSpec.parse("198.18.0.11", 100));

        final String text = ConfigText.format(config);

        assertThat(text).contains("vip add 198.18.1.1:80/tcp --mode gue --scheduler maglev --second-chance\n",
            "vip add 198.18.1.2:53/udp --mode gue --scheduler source-hash\n");
        assertThat(ConfigText.parse(text, "gue.conf")).isEqualTo(config);
    }

    @Test
    void secondChanceOutsideGueModeOrWithoutMaglevAndGueForIpv6AreRefusedInOneLine()
    {
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.1:80/tcp --second-chance\n", "a.conf"))
            .hasMessage("a.conf:1: VIP 198.18.1.1:80/tcp: --second-chance needs --mode gue (the hop list travels in the GUE " +
                "header), not dsr");
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.1:80/tcp --mode gue --scheduler round-robin " +
            "--second-chance\n", "b.conf"))
            .hasMessage("b.conf:1: VIP 198.18.1.1:80/tcp: --second-chance needs a Maglev table (scheduler maglev or " +
                "source-hash), not round-robin");
        assertThatThrownBy(() -> ConfigText.parse("vip add [2001:2:0:1::1]:80/tcp --mode gue\n", "c.conf"))
            .hasMessage("c.conf:1: VIP [2001:2:0:1::1]:80/tcp: gue mode is IPv4 only (an outer IPv4 header to IPv4 reals); " +
                "use tunnel for IPv6");
    }

    @Test
    void roundTripsTheEmptyConfiguration()
    {
        assertThat(ConfigText.parse(ConfigText.format(ForwarderConfig.EMPTY), "empty.conf")).isEqualTo(ForwarderConfig.EMPTY);
    }

    @Test
    void acceptsCommentsBlankLinesDefaultsAndEqualsOptions()
    {
        final ForwarderConfig config = ConfigText.parse(
            "# hand written\n\n   vip add 198.18.1.1:80/tcp\nreal add 198.18.1.1:80/tcp 198.18.0.11 --weight=7\r\n" +
            "real add 198.18.1.1:80/tcp 198.18.0.12\n", "hand.conf");

        assertThat(config.find(WEB).spec()).isEqualTo(new VipSpec(WEB, ForwardingMode.DSR, SchedulerKind.MAGLEV));
        assertThat(config.find(WEB).reals()).extracting(RealSpec::weight).containsExactly(7, RealSpec.DEFAULT_WEIGHT);
    }

    @Test
    void errorsNameSourceAndLine()
    {
        assertThatThrownBy(() -> ConfigText.parse(
            "# c\nvip add 198.18.1.1:80/tcp\nvip add 198.18.1.2:80/tcp --mode x\n", "config.conf"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("config.conf:3: unknown mode 'x' (expected dsr, tunnel, gue or nat)");
    }

    @Test
    void refusesWhatTheCliRefuses()
    {
        assertThatThrownBy(() -> ConfigText.parse("real add 198.18.1.1:80/tcp 198.18.0.11\n", "a.conf"))
            .hasMessage("a.conf:1: no VIP 198.18.1.1:80/tcp");
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.1:80/tcp\nvip add 198.18.1.1:80/tcp\n", "b.conf"))
            .hasMessage("b.conf:2: VIP 198.18.1.1:80/tcp already exists");
        assertThatThrownBy(() -> ConfigText.parse("vip del 198.18.1.1:80/tcp\n", "c.conf"))
            .hasMessage("c.conf:1: unknown statement 'vip del' (expected 'vip add' or 'real add')");
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.1:80/tcp --colour red\n", "d.conf"))
            .hasMessageStartingWith("d.conf:1: unknown option '--colour'");
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.1:80/tcp --mode\n", "e.conf"))
            .hasMessage("e.conf:1: --mode needs a value");
        assertThatThrownBy(() -> ConfigText.parse(
            "vip add 198.18.1.1:80/tcp\nreal add 198.18.1.1:80/tcp 198.18.0.11 --weight 65536\n", "f.conf"))
            .hasMessage("f.conf:2: weight 65536 is outside 0-65535");
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.1:80/tcp\nreal add 198.18.1.1:80/tcp 198.18.0.11 --weight x\n", "g.conf"))
            .hasMessageStartingWith("g.conf:2: weight 'x' is not a number");
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.1:80/tcp 198.18.1.2:80/tcp\n", "h.conf"))
            .hasMessageStartingWith("h.conf:1: vip add takes one ADDR:PORT/PROTO");
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.1:80/tcp --mode dsr --mode dsr\n", "i.conf"))
            .hasMessage("i.conf:1: --mode is given twice");
        assertThatThrownBy(() -> ConfigText.parse("vip add 198.18.1.300:80/tcp\n", "j.conf"))
            .hasMessage("j.conf:1: '198.18.1.300' is not an IPv4 address");
    }

    @Test
    void roundTripsIpv6VipsAndReals()
    {
        final VipKey web6 = VipKey.parse("[2001:2:0:1::1]:80/tcp");
        final ForwarderConfig config = ForwarderConfig.EMPTY
            .addVip(new VipSpec(web6, ForwardingMode.NAT, SchedulerKind.MAGLEV))
            .addReal(web6, RealSpec.parse("2001:2::11", 100))
            .addReal(web6, RealSpec.parse("[2001:2::12]:8080", 5));

        final String text = ConfigText.format(config);

        assertThat(text).contains(
            "vip add [2001:2:0:1::1]:80/tcp --mode nat --scheduler maglev\n",
            "real add [2001:2:0:1::1]:80/tcp 2001:2::11 --weight 100\n",
            "real add [2001:2:0:1::1]:80/tcp [2001:2::12]:8080 --weight 5\n");
        assertThat(ConfigText.parse(text, "v6.conf")).isEqualTo(config);
    }

    @Test
    void parsesEveryWayToWriteAnEndpoint()
    {
        assertThat(VipKey.parse("[2001:2:0:1::1]:53/udp")).isEqualTo(new VipKey(IpAddress.parse("2001:2:0:1::1"), 53, Protocol.UDP));
        assertThat(RealSpec.parse("[2001:2::11]", 1)).isEqualTo(new RealSpec(IpAddress.parse("2001:2::11"), 0, 1));
        assertThat(RealSpec.parse("[2001:2::11]:8080", 1).endpoint()).isEqualTo("[2001:2::11]:8080");
        assertThat(RealSpec.parse("198.18.0.11:8080", 1).endpoint()).isEqualTo("198.18.0.11:8080");

        assertThatThrownBy(() -> VipKey.parse("2001:2:0:1::1:80/tcp")).hasMessageContaining("is not ADDR:PORT/PROTO");
        assertThatThrownBy(() -> VipKey.parse("[2001:2:0:1::1]/tcp")).hasMessageContaining("is not ADDR:PORT/PROTO");
        assertThatThrownBy(() -> VipKey.parse("[2001:2:0:1::1:80/tcp")).hasMessageContaining("is not ADDR:PORT/PROTO");
        assertThatThrownBy(() -> VipKey.parse("[2001:2:0:1::1]:0/tcp")).hasMessage("'[2001:2:0:1::1]:0/tcp' port 0 is outside 1-65535");
        assertThatThrownBy(() -> RealSpec.parse("[2001:2::11]:", 1)).hasMessage("'[2001:2::11]:' is not [IPV6-ADDR] or [IPV6-ADDR]:PORT");
        assertThatThrownBy(() -> RealSpec.parse("[2001:2::11]x80", 1)).hasMessageContaining("is not [IPV6-ADDR]");
        assertThatThrownBy(() -> RealSpec.parse("[198.18.0.11]:80", 1)).hasMessage("'198.18.0.11' is not an IPv6 address (only IPv6 goes in brackets)");
    }

    @Test
    void aVipsRealsHaveItsIpVersion()
    {
        final VipKey web6 = VipKey.parse("[2001:2:0:1::1]:80/tcp");
        final ForwarderConfig config = ForwarderConfig.EMPTY
            .addVip(new VipSpec(web6, ForwardingMode.DSR, SchedulerKind.MAGLEV))
            .addVip(new VipSpec(WEB, ForwardingMode.DSR, SchedulerKind.MAGLEV));

        assertThatThrownBy(() -> config.addReal(web6, RealSpec.parse("198.18.0.11", 1))).hasMessage(
            "real 198.18.0.11 is IPv4 but VIP [2001:2:0:1::1]:80/tcp is IPv6: a VIP's reals have its IP version");
        assertThatThrownBy(() -> config.addReal(WEB, RealSpec.parse("2001:2::11", 1))).hasMessage(
            "real 2001:2::11 is IPv6 but VIP 198.18.1.1:80/tcp is IPv4: a VIP's reals have its IP version");
    }
}
