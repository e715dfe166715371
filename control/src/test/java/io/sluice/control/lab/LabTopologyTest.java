package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.Processes;
import io.sluice.lab.SluiceHome;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the lab's up and down leave behind, in namespaces of their own (what they refuse is the lab module's LabTest). */
class LabTopologyTest
{
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final String NAME = LabFixture.named("ut");

    @Test
    void upBuildsTheTopologyAndCloseRemovesEveryNamespace()
    {
        Privileges.requireRootAndIp();
        final String rootLinksBefore = rootLinks();
        final Lab lab = Lab.up(NAME, 2, List.of("198.18.1.1", "198.18.3.3"));
        try
        {
            assertThat(labNamespaces()).containsExactlyInAnyOrder(
                "sluice-" + NAME + "-sw", "sluice-" + NAME + "-client", "sluice-" + NAME + "-fwd",
                "sluice-" + NAME + "-real1", "sluice-" + NAME + "-real2");
            assertThat(lab.exec(Lab.CLIENT, "ip", "-o", "-4", "addr", "show", "dev", "eth0").orThrow().stdout())
                .contains("198.18.0.100/24");
            assertThat(lab.mac(Lab.realHost(2))).isEqualTo("02:00:c6:12:00:0c");
            assertThat(lab.exec(Lab.CLIENT, "ip", "route", "get", "198.18.3.3").orThrow().stdout())
                .contains("via 198.18.0.2");
            assertThat(lab.exec(Lab.SWITCH, "ip", "-o", "link", "show", "master", "br0").orThrow().stdout().lines())
                .hasSize(4);
            assertThat(Processes.run(List.of(SluiceHome.locate().labScript().toString(), "status", NAME), SCRIPT_TIMEOUT)
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
            .filter(name -> name.startsWith("sluice-" + NAME + "-"))
            .toList();
    }

    private static String rootLinks()
    {
        return Processes.run(List.of("ip", "-o", "link", "show"), SCRIPT_TIMEOUT).orThrow().stdout()
            .lines().map(line -> line.split(":")[1].strip()).sorted().toList().toString();
    }
}
