package io.sluice.forwarder.config;

import io.sluice.forwarder.config.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForwarderConfigTest
{
    private static final VipKey VIP = VipKey.parse("198.18.1.1:80/tcp");
    private static final VipSpec DSR_VIP = new VipSpec(VIP, ForwardingMode.DSR, SchedulerKind.MAGLEV);

    @Test
    void addsVipsAndRealsInOrderWithoutChangingTheOriginal()
    {
        final ForwarderConfig withVip = ForwarderConfig.EMPTY.addVip(DSR_VIP);
        final ForwarderConfig withReals = withVip
            .addReal(VIP, RealSpec.parse("198.18.0.12", 100))
            .addReal(VIP, RealSpec.parse("198.18.0.11", 50));

        assertThat(ForwarderConfig.EMPTY.vips()).isEmpty();
        assertThat(withVip.find(VIP).reals()).isEmpty();
        assertThat(withReals.find(VIP).reals()).extracting(RealSpec::endpoint).containsExactly("198.18.0.12", "198.18.0.11");
        assertThat(withReals.realCount()).isEqualTo(2);
    }

    @Test
    void refusesDuplicateVip()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY.addVip(DSR_VIP);

        assertThatThrownBy(() -> config.addVip(DSR_VIP))
            .isInstanceOf(ConfigException.class)
            .hasMessage("VIP 198.18.1.1:80/tcp already exists");
    }

    @Test
    void sameAddressAndPortWithAnotherProtocolIsAnotherVip()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY.addVip(DSR_VIP)
            .addVip(new VipSpec(VipKey.parse("198.18.1.1:80/udp"), ForwardingMode.DSR, SchedulerKind.MAGLEV));

        assertThat(config.vips()).hasSize(2);
    }

    @Test
    void refusesToRemoveUnknownVip()
    {
        assertThatThrownBy(() -> ForwarderConfig.EMPTY.removeVip(VIP))
            .isInstanceOf(ConfigException.class)
            .hasMessage("no VIP 198.18.1.1:80/tcp");
    }

    @Test
    void removingVipRemovesItsReals()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY.addVip(DSR_VIP)
            .addReal(VIP, RealSpec.parse("198.18.0.11", 100))
            .removeVip(VIP);

        assertThat(config.vips()).isEmpty();
        assertThat(config.realCount()).isZero();
        assertThat(config).isEqualTo(ForwarderConfig.EMPTY);
    }

    @Test
    void refusesRealForMissingVip()
    {
        assertThatThrownBy(() -> ForwarderConfig.EMPTY.addReal(VIP, RealSpec.parse("198.18.0.11", 100)))
            .isInstanceOf(ConfigException.class)
            .hasMessage("no VIP 198.18.1.1:80/tcp");
    }

    @Test
    void refusesDuplicateRealAlsoWhenSpelledWithTheVipPort()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY.addVip(DSR_VIP).addReal(VIP, RealSpec.parse("198.18.0.11", 100));

        assertThatThrownBy(() -> config.addReal(VIP, RealSpec.parse("198.18.0.11", 7)))
            .hasMessage("real 198.18.0.11 already exists in VIP 198.18.1.1:80/tcp");
        assertThatThrownBy(() -> config.addReal(VIP, RealSpec.parse("198.18.0.11:80", 7)))
            .hasMessage("real 198.18.0.11:80 already exists in VIP 198.18.1.1:80/tcp");
    }

    @Test
    void dsrRealCannotChangePorts()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY.addVip(DSR_VIP);

        assertThatThrownBy(() -> config.addReal(VIP, RealSpec.parse("198.18.0.11:8080", 100)))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("DSR cannot change ports");
        assertThat(config.addReal(VIP, RealSpec.parse("198.18.0.11:80", 100)).find(VIP).reals())
            .containsExactly(new RealSpec(Ipv4.parse("198.18.0.11"), 0, 100));
    }

    @Test
    void removesRealByAddressWithOrWithoutTheVipPort()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY.addVip(DSR_VIP)
            .addReal(VIP, RealSpec.parse("198.18.0.11", 100))
            .addReal(VIP, RealSpec.parse("198.18.0.12", 100));

        assertThat(config.removeReal(VIP, IpAddress.parse("198.18.0.11"), 0).find(VIP).reals())
            .extracting(RealSpec::endpoint).containsExactly("198.18.0.12");
        assertThat(config.removeReal(VIP, IpAddress.parse("198.18.0.12"), 80).find(VIP).reals())
            .extracting(RealSpec::endpoint).containsExactly("198.18.0.11");
        assertThatThrownBy(() -> config.removeReal(VIP, IpAddress.parse("198.18.0.13"), 0))
            .hasMessage("no real 198.18.0.13 in VIP 198.18.1.1:80/tcp");
    }

    @Test
    void enforcesVipLimit()
    {
        ForwarderConfig config = ForwarderConfig.EMPTY;
        for (int i = 0; i < ForwarderConfig.MAX_VIPS; i++)
        {
            config = config.addVip(new VipSpec(new VipKey(Ipv4.parse("198.18.1.1"), i + 1, Protocol.TCP),
                ForwardingMode.DSR, SchedulerKind.MAGLEV));
        }
        final ForwarderConfig full = config;

        assertThatThrownBy(() -> full.addVip(new VipSpec(new VipKey(Ipv4.parse("198.18.1.2"), 1, Protocol.TCP),
            ForwardingMode.DSR, SchedulerKind.MAGLEV)))
            .hasMessageContaining("limit of " + ForwarderConfig.MAX_VIPS + " VIPs");
    }

    @Test
    void enforcesRealsPerVipLimit()
    {
        ForwarderConfig config = ForwarderConfig.EMPTY.addVip(DSR_VIP);
        for (int i = 0; i < ForwarderConfig.MAX_REALS_PER_VIP; i++)
        {
            config = config.addReal(VIP, new RealSpec(Ipv4.parse("198.18.0.0") + i, 0, 1));
        }
        final ForwarderConfig full = config;

        assertThatThrownBy(() -> full.addReal(VIP, new RealSpec(Ipv4.parse("198.19.0.0"), 0, 1)))
            .hasMessageContaining("limit of " + ForwarderConfig.MAX_REALS_PER_VIP + " reals per VIP");
    }

    @Test
    void aRealsWeightChangesInPlaceAndMayBeZero()
    {
        final ForwarderConfig config = ForwarderConfig.EMPTY
            .addVip(new VipSpec(VIP, ForwardingMode.DSR, SchedulerKind.MAGLEV))
            .addReal(VIP, RealSpec.parse("198.18.0.11", 100))
            .addReal(VIP, RealSpec.parse("198.18.0.12", 100));

        assertThat(config.changeRealWeight(VIP, IpAddress.parse("198.18.0.11"), 80, 0).find(VIP).reals())
            .containsExactly(RealSpec.parse("198.18.0.11", 0), RealSpec.parse("198.18.0.12", 100));
        assertThatThrownBy(() -> config.changeRealWeight(VIP, IpAddress.parse("198.18.0.13"), 0, 5))
            .hasMessage("no real 198.18.0.13 in VIP 198.18.1.1:80/tcp");
        assertThatThrownBy(() -> config.changeRealWeight(VIP, IpAddress.parse("198.18.0.11"), 0, 65536))
            .hasMessage("weight 65536 is outside 0-65535");
    }
}
