package io.sluice.control.lab;

import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lab script and its Java wrapper: what they refuse, and what up and down leave behind. */
class LabTest
{
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void scriptRefusesNamesThatCouldReachBeyondTheLabWithOneLine()
    {
        final String script = SluiceHome.locate().labScript().toString();
        for (final String name : List.of("UPPER", "toolongname", "a-b", "../x", "a b"))
        {
            final ExecResult result = Processes.run(List.of(script, "down", name), SCRIPT_TIMEOUT);

            assertThat(result.exitCode()).as("down '%s'", name).isEqualTo(2);
            assertThat(result.stderrLines()).as("down '%s'", name).singleElement().asString().contains("lab name");
        }
    }

    @Test
    void wrapperRefusesBadNamesAndCountsBeforeTouchingAnything()
    {
        assertThatThrownBy(() -> Lab.up("Bad", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad'");
        assertThatThrownBy(() -> Lab.up("ok", 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> Lab.up("ok", 51)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void upBuildsTheTopologyAndCloseRemovesEveryNamespace()
    {
        Privileges.requireRootAndIp();
        final String rootLinksBefore = rootLinks();
        final Lab lab = Lab.up(LabFixture.named("ut"), 2, List.of("198.18.1.1", "198.18.3.3"));
        try
        {
            assertThat(labNamespaces()).containsExactlyInAnyOrder(
                "sluice-ut-sw", "sluice-ut-client", "sluice-ut-fwd", "sluice-ut-real1", "sluice-ut-real2");
            assertThat(lab.exec(Lab.CLIENT, "ip", "-o", "-4", "addr", "show", "dev", "eth0").orThrow().stdout())
                .contains("198.18.0.100/24");
            assertThat(lab.mac(Lab.realHost(2))).isEqualTo("02:00:c6:12:00:0c");
            assertThat(lab.exec(Lab.CLIENT, "ip", "route", "get", "198.18.3.3").orThrow().stdout())
                .contains("via 198.18.0.2");
            assertThat(lab.exec(Lab.SWITCH, "ip", "-o", "link", "show", "master", "br0").orThrow().stdout().lines())
                .hasSize(4);
            assertThat(Processes.run(List.of(SluiceHome.locate().labScript().toString(), "status", "ut"), SCRIPT_TIMEOUT)
                .orThrow().stdout()).contains("real2").contains("198.18.0.12/24");
            assertThat(lab.address(Lab.realHost(1))).isEqualTo("198.18.0.11");
            assertThatThrownBy(() -> lab.namespace("real3")).hasMessageContaining("real3");

            final Process sleeper = lab.spawn(Lab.realHost(1), "sleep", "600");
            assertThat(sleeper.isAlive()).isTrue();
            lab.close();
            assertThat(sleeper.isAlive()).isFalse();
        }
        finally
        {
            lab.close();
        }
        assertThat(labNamespaces()).isEmpty();
        assertThat(rootLinks()).as("the host's own namespace is untouched").isEqualTo(rootLinksBefore);
    }

    private static List<String> labNamespaces()
    {
        return Processes.run(List.of("ip", "netns", "list"), SCRIPT_TIMEOUT).orThrow().stdout().lines()
            .map(line -> line.split(" ")[0])
            .filter(name -> name.startsWith("sluice-ut-"))
            .toList();
    }

    private static String rootLinks()
    {
        return Processes.run(List.of("ip", "-o", "link", "show"), SCRIPT_TIMEOUT).orThrow().stdout()
            .lines().map(line -> line.split(":")[1].strip()).sorted().toList().toString();
    }
}
