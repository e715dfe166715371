package io.sluice.linux;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreadAffinityTest
{
    @Test
    void pinsOnlyTheCallingThread() throws Exception
    {
        final AtomicReference<String> pinned = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            ThreadAffinity.pinCurrentThread(0);
            pinned.set(allowedCpus("/proc/thread-self/status"));
        });
        thread.start();
        thread.join();

        assertThat(pinned.get()).isEqualTo("0");
        if (Runtime.getRuntime().availableProcessors() > 1)
        {
            assertThat(allowedCpus("/proc/thread-self/status")).as("the calling thread is left alone").isNotEqualTo("0");
        }
    }

    @Test
    void refusesACpuTheMachineDoesNotHaveNamingTheCall()
    {
        assertThatThrownBy(() -> ThreadAffinity.pinCurrentThread(1023))
            .isInstanceOf(LinuxException.class)
            .hasMessageContaining("sched_setaffinity(CPU 1023)")
            .hasMessageContaining("errno 22");
        assertThatThrownBy(() -> ThreadAffinity.pinCurrentThread(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String allowedCpus(final String statusFile)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of(statusFile)))
            {
                if (line.startsWith("Cpus_allowed_list:"))
                {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
            return "";
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
