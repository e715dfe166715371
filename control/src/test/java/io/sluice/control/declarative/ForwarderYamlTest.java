package io.sluice.control.declarative;

import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.ConfigText;
import io.sluice.forwarder.config.ForwarderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The YAML file of {@code sluice apply}: what it means, what it refuses (file, line, field), and export's form of it. */
class ForwarderYamlTest
{
    private static final String ISSUE_EXAMPLE = """
        vips:
          - vip: 198.18.1.1:80/tcp
            mode: dsr                 # dsr | tunnel | nat
            scheduler: maglev         # optional
            health: tcp               # optional, as --health
            reals:
              - { address: 198.18.0.11 }
              - { address: 198.18.0.12, weight: 200 }
        """;

    @Test
    void readsTheFileInTheWordsOfTheCli()
    {
        assertThat(ForwarderYaml.read(ISSUE_EXAMPLE, "fwd.yaml").config()).isEqualTo(ConfigText.parse("""
            vip add 198.18.1.1:80/tcp --mode dsr --scheduler maglev --health tcp
            real add 198.18.1.1:80/tcp 198.18.0.11 --weight 100
            real add 198.18.1.1:80/tcp 198.18.0.12 --weight 200
            """, "expected"));
    }

    @Test
    void everySettingButTheVipAndAddressHasTheCliDefault()
    {
        final String yaml = """
            vips:
              - vip: "[2001:2:0:1::1]:53/udp"
                mode: nat
                scheduler: round-robin
                health: http,path=/healthz,interval=500ms
                reals:
                  - address: "[2001:2::11]:5353"
                    weight: 0
              - vip: 198.18.1.2:443/tcp
            """;
        assertThat(ForwarderYaml.read(yaml, "fwd.yaml").config()).isEqualTo(ConfigText.parse("""
            vip add [2001:2:0:1::1]:53/udp --mode nat --scheduler round-robin --health http,path=/healthz,interval=500ms
            real add [2001:2:0:1::1]:53/udp [2001:2::11]:5353 --weight 0
            vip add 198.18.1.2:443/tcp
            """, "expected"));
        assertThat(ForwarderYaml.read("vips: []\n", "empty.yaml").config()).isEqualTo(ForwarderConfig.EMPTY);
    }

    static Stream<Arguments> badFiles()
    {
        return Stream.of(
            Arguments.of("empty", "# nothing\n",
                "f.yaml:1: vips: missing (the file lists the forwarder's VIPs; 'vips: []' for none)"),
            Arguments.of("unknown top-level key", "vip: 198.18.1.1:80/tcp\n",
                "f.yaml:1: vip: unknown key (allowed here: vips, bgp)"),
            Arguments.of("vips not a list", "vips: 198.18.1.1:80/tcp\n",
                "f.yaml:1: vips: expected a list, found '198.18.1.1:80/tcp'"),
            Arguments.of("missing vip", "vips:\n  - mode: dsr\n",
                "f.yaml:2: vips[0].vip: missing"),
            Arguments.of("typo in a key", "vips:\n  - vip: 198.18.1.1:80/tcp\n    shceduler: maglev\n",
                "f.yaml:3: vips[0].shceduler: unknown key (allowed here: vip, mode, second_chance, scheduler, health, reals)"),
            Arguments.of("bad mode", "vips:\n  - vip: 198.18.1.1:80/tcp\n    mode: teleport\n",
                "f.yaml:3: vips[0].mode: unknown mode 'teleport' (expected dsr, tunnel, gue or nat)"),
            Arguments.of("second chance on a DSR VIP", "vips:\n  - vip: 198.18.1.1:80/tcp\n    second_chance: true\n",
                "f.yaml:3: vips[0].second_chance: VIP 198.18.1.1:80/tcp: --second-chance needs --mode gue (the hop list " +
                    "travels in the GUE header), not dsr"),
            Arguments.of("second chance not a boolean",
                "vips:\n  - vip: 198.18.1.1:80/tcp\n    mode: gue\n    second_chance: yes\n",
                "f.yaml:4: vips[0].second_chance: 'yes' is not true or false"),
            Arguments.of("gue for an IPv6 VIP", "vips:\n  - vip: \"[2001:2:0:1::1]:80/tcp\"\n    mode: gue\n",
                "f.yaml:3: vips[0].mode: VIP [2001:2:0:1::1]:80/tcp: gue mode is IPv4 only"),
            Arguments.of("bad health", "vips:\n  - vip: 198.18.1.1:80/tcp\n    health: tcp,rise=0\n",
                "f.yaml:3: vips[0].health: health check rise and fall must be 1-100, not 0 and 3"),
            Arguments.of("weight out of range", ISSUE_EXAMPLE.replace("weight: 200", "weight: 70000"),
                "f.yaml:8: vips[0].reals[1].weight: 70000 is not 0-65535"),
            Arguments.of("weight not a number", ISSUE_EXAMPLE.replace("weight: 200", "weight: -1"),
                "f.yaml:8: vips[0].reals[1].weight: '-1' is not a weight (0-65535)"),
            Arguments.of("real of the other IP version", ISSUE_EXAMPLE.replace("198.18.0.12", "2001:2::12"),
                "f.yaml:8: vips[0].reals[1].address: real 2001:2::12 is IPv6 but VIP 198.18.1.1:80/tcp is IPv4: " +
                    "a VIP's reals have its IP version"),
            Arguments.of("repeated real", ISSUE_EXAMPLE.replace("198.18.0.12", "198.18.0.11"),
                "f.yaml:8: vips[0].reals[1].address: real 198.18.0.11 already exists in VIP 198.18.1.1:80/tcp"),
            Arguments.of("repeated VIP", "vips:\n  - vip: 198.18.1.1:80/tcp\n  - vip: 198.18.1.1:80/tcp\n",
                "f.yaml:3: vips[1].vip: VIP 198.18.1.1:80/tcp already exists"),
            Arguments.of("DSR real with another port",
                "vips:\n  - vip: 198.18.1.1:80/tcp\n    reals:\n      - address: 198.18.0.11:8080\n",
                "f.yaml:4: vips[0].reals[0].address: real 198.18.0.11:8080 for VIP 198.18.1.1:80/tcp: DSR cannot change ports " +
                    "(the real must listen on 80)"),
            Arguments.of("unquoted IPv6 VIP", "vips:\n  - vip: [2001:2:0:1::1]:80/tcp\n",
                "f.yaml:2: invalid YAML: "),
            Arguments.of("a list where a value goes", "vips:\n  - vip: [198.18.1.1]\n",
                "f.yaml:2: vips[0].vip: expected a value, found a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileIsOneLineNamingFileLineAndField(final String name, final String yaml, final String expected)
    {
        assertThatThrownBy(() -> ForwarderYaml.read(yaml, "f.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(expected)
            .satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anUnquotedIpv6VipIsNamedInTheError()
    {
        assertThatThrownBy(() -> ForwarderYaml.read("vips:\n  - vip: [2001:2:0:1::1]:80/tcp\n", "f.yaml"))
            .hasMessageEndingWith("(quote IPv6 addresses: \"[2001:2::1]:80/tcp\")");
    }

    @Test
    void writesWhatItReadsBackToTheSameConfiguration()
    {
        final ForwarderConfig config = ConfigText.parse("""
            vip add 198.18.1.1:80/tcp --mode dsr --scheduler maglev --health tcp
            real add 198.18.1.1:80/tcp 198.18.0.11 --weight 100
            real add 198.18.1.1:80/tcp 198.18.0.12 --weight 0
            vip add [2001:2:0:1::1]:53/udp --mode nat --scheduler source-hash --health http,path=/a"b,body=#ok,timeout=300ms
            real add [2001:2:0:1::1]:53/udp [2001:2::11]:5353 --weight 7
            real add [2001:2:0:1::1]:53/udp 2001:2::12 --weight 100
            vip add 198.18.1.3:9/udp --mode tunnel --scheduler round-robin
            vip add 198.18.1.4:80/tcp --mode gue --scheduler maglev --second-chance
            vip add 198.18.1.5:80/tcp --mode gue --scheduler maglev
            """, "config");

        final String yaml = ForwarderYaml.write(new DeclaredConfig(config, null));

        assertThat(ForwarderYaml.read(yaml, "exported.yaml")).isEqualTo(new DeclaredConfig(config, null));
        assertThat(yaml).contains("""
            vips:
              - vip: 198.18.1.1:80/tcp
                mode: dsr
                scheduler: maglev
                health: tcp
                reals:
                  - address: 198.18.0.11
                    weight: 100
                  - address: 198.18.0.12
                    weight: 0
              - vip: "[2001:2:0:1::1]:53/udp"
            """).contains("    reals: []\n").contains("""
              - vip: 198.18.1.4:80/tcp
                mode: gue
                second_chance: true
                scheduler: maglev
                reals: []
              - vip: 198.18.1.5:80/tcp
                mode: gue
                scheduler: maglev
            """);
        assertThat(ForwarderYaml.write(new DeclaredConfig(ForwarderConfig.EMPTY, null))).endsWith("\nvips: []\n");
        assertThat(ForwarderYaml.read(ForwarderYaml.write(new DeclaredConfig(ForwarderConfig.EMPTY, null)), "empty").config())
            .isEqualTo(ForwarderConfig.EMPTY);
    }
}
