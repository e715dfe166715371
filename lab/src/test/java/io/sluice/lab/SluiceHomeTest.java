package io.sluice.lab;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SluiceHomeTest
{
    @Test
    void findsTheCheckoutWithItsLabScript()
    {
        final SluiceHome home = SluiceHome.locate();

        assertThat(Files.isExecutable(home.labScript())).isTrue();
        assertThat(home.jar()).isEqualTo(home.home().resolve("control/target/sluice.jar"));
    }

    @Test
    void helperCommandsUseThisJvmWithTheFlagsSluiceNeeds()
    {
        final SluiceHome home = SluiceHome.locate();
        if (!Files.isRegularFile(home.jar()))
        {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> home.javaMain("x.Y")))
                .hasMessageContaining("sluice.jar is missing");
            return;
        }

        final List<String> command = home.javaMain("io.sluice.lab.http.HttpLoad", "--json");

        assertThat(command.getFirst()).isEqualTo(SluiceHome.javaBinary().toString());
        assertThat(command).containsSubsequence(SluiceHome.JVM_FLAGS);
        assertThat(command).containsSubsequence("-cp", home.jar().toString(), "io.sluice.lab.http.HttpLoad", "--json");
        assertThat(home.forwarder("--iface", "eth0")).containsSubsequence("-jar", home.jar().toString(), "forwarder", "--iface", "eth0");
        assertThat(home.sluice("vip", "list")).endsWith("-jar", home.jar().toString(), "vip", "list");
    }
}
