package io.sluice.linux;

import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("lab")
class NetworkNamespaceTest
{
    @Test
    void entersTheNamedNamespaceOnTheCallingThreadOnly() throws IOException
    {
        Privileges.requireRootAndIp();
        final String before = currentThreadNamespace();
        try (VethLab lab = VethLab.create("nt"))
        {
            final long expectedInode = (long)Files.getAttribute(Path.of("/run/netns", lab.namespaceA()), "unix:ino");

            final String inside = VethLab.inNamespace(lab.namespaceA(), NetworkNamespaceTest::currentThreadNamespace);
            final String childOfInside = VethLab.inNamespace(lab.namespaceA(), () ->
                VethLab.onNewThread(NetworkNamespaceTest::currentThreadNamespace));

            assertThat(inside).isEqualTo("net:[" + expectedInode + "]");
            assertThat(childOfInside).isEqualTo(inside);
            assertThat(currentThreadNamespace()).isEqualTo(before).isNotEqualTo(inside);
        }
    }

    @Test
    void socketsMadeInsideSeeTheNamespacesInterfaces()
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("nt"))
        {
            final int index = VethLab.inNamespace(lab.namespaceA(), () ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    return Libc.ifNameToIndex(Libc.errnoState(), arena.allocateFrom(VethLab.INTERFACE_A));
                }
            });

            assertThat(index).isPositive();
        }
    }

    @Test
    void badNamesAndMissingNamespacesAreNamedErrors()
    {
        assertThatThrownBy(() -> NetworkNamespace.enter("../etc"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("plain name");
        assertThatThrownBy(() -> NetworkNamespace.enter(""))
            .isInstanceOf(IllegalArgumentException.class);
        Privileges.requireRootAndIp();
        assertThatThrownBy(() -> NetworkNamespace.enter("sluice-does-not-exist"))
            .isInstanceOf(LinuxException.class)
            .hasMessage("open(/run/netns/sluice-does-not-exist): No such file or directory (errno 2)");
    }

    private static String currentThreadNamespace() throws IOException
    {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }
}
