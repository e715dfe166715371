package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The BGP settings on their way to and from a running forwarder: every setting survives, and the file's rules hold. */
class BgpSettingsTextTest
{
    private static final BgpConfig FULL = new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
        List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null),
            new BgpConfig.Neighbor(IpAddress.parse("198.18.0.5"), 4_200_000_000L, "two words, and: more ")),
        6, 2, new BgpConfig.Bfd(100, 3), List.of(new BgpConfig.Community(65001, 100)),
        Set.of(IpAddress.parse("198.18.1.2"), IpAddress.parse("198.18.1.1")));

    @Test
    void everySettingSurvivesTheTrip()
    {
        assertThat(BgpSettingsText.parse(BgpSettingsText.format(FULL), "sent")).isEqualTo(FULL);
        final BgpConfig plain = new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
            List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null)), 9, 3, null, List.of(), null);
        assertThat(BgpSettingsText.format(plain)).isEqualTo("""
            local_as 65001
            router_id 198.18.0.2
            neighbor 198.18.0.1 65000
            hold 9
            keepalive 3
            announce all
            """);
        assertThat(BgpSettingsText.parse(BgpSettingsText.format(plain), "sent")).isEqualTo(plain);
        final BgpConfig none = new BgpConfig(65001, IpAddress.parse("198.18.0.2"), plain.neighbors(), 9, 3, null, List.of(),
            Set.of());
        assertThat(BgpSettingsText.parse(BgpSettingsText.format(none), "sent")).isEqualTo(none);
    }

    @Test
    void whatTheFileWouldRefuseIsRefusedInItsWords()
    {
        assertThatThrownBy(() -> BgpSettingsText.parse("local_as x\nrouter_id 198.18.0.2\nneighbor 198.18.0.1 65000\n", "sent"))
            .isInstanceOf(ConfigException.class).hasMessage("sent: local_as: 'x' is not an AS number (1-4294967295)");
        assertThatThrownBy(() -> BgpSettingsText.parse("local_as 1\nrouter_id 198.18.0.2\nneighbour 198.18.0.1 65000\n", "sent"))
            .isInstanceOf(ConfigException.class).hasMessage("sent: unknown setting 'neighbour'");
    }
}
