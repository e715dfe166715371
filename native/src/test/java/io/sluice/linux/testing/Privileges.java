package io.sluice.linux.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Gate for tests that need root, network namespaces or raw sockets. Outside CI such a test is
 * skipped with a message naming what is missing; under {@code CI=true} (CI runs as root) a
 * missing capability is a failure, never a skip.
 */
public final class Privileges
{
    private Privileges()
    {
    }

    public static boolean isRoot()
    {
        return "0".equals(uid());
    }

    /** Skips (outside CI) or fails (under CI=true) unless the test runs as root with `ip` available. */
    public static void requireRootAndIp()
    {
        require(isRoot(), "needs root (run the tests with sudo ./sluice test)");
        require(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
            "needs the ip command (Debian package iproute2)");
    }

    /** Skips (outside CI) or fails (under CI=true) when the condition does not hold. */
    public static void require(final boolean condition, final String whatIsMissing)
    {
        if (condition)
        {
            return;
        }
        if ("true".equals(System.getenv("CI")))
        {
            fail("CI=true and this test cannot run: " + whatIsMissing);
        }
        assumeTrue(condition, "skipped: " + whatIsMissing);
    }

    private static String uid()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return line.split("\\s+")[1];
                }
            }
        }
        catch (final java.io.IOException ignored)
        {
            // not Linux, or /proc is missing: treat as unprivileged
        }
        return "";
    }
}
