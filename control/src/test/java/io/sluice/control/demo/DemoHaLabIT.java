package io.sluice.control.demo;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;
import io.sluice.lab.SluiceHome;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice demo --ha}, run as a person runs it (the packaged jar, as root): two forwarders
 * behind a BGP router, one stopped with SIGTERM and one killed with SIGKILL under load; it prints
 * a status line each second and a summary whose figures meet issue 20's targets, exits 0, and
 * leaves no namespace behind.
 */
class DemoHaLabIT
{
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(4);
    /** A summary line's figures: {@code N new connections, M failed}. */
    private static final String COUNTS = "\\s+(\\d+) new connections, (\\d+) failed";

    @Test
    void demoHaFailsOverWithinTheIssuesTargetsAndLeavesNothingBehind()
    {
        Privileges.requireRootAndIp();
        final ExecResult demo = Processes.run(SluiceHome.locate().sluice("demo", "--ha"), DEMO_TIMEOUT);
        final String text = demo.stdout();
        assertThat(demo.exitCode()).as("sluice demo --ha exit code; stderr: %s; stdout: %s", demo.stderr(), text).isZero();

        assertThat(text).as("the router's route with both forwarders").containsPattern("nexthop via 198\\.18\\.0\\.2")
            .containsPattern("nexthop via 198\\.18\\.0\\.3");
        assertThat(text).as("a status line each second").containsPattern("router -> fwd,fwd2 ").containsPattern("router -> fwd2 ")
            .containsPattern("router -> fwd ");
        final Matcher sigterm = summary(text, HaDemo.SIGTERM_LINE + COUNTS);
        assertThat(Long.parseLong(sigterm.group(1))).as("new connections across the SIGTERM").isPositive();
        assertThat(sigterm.group(2)).as("new connections failed across the SIGTERM").isEqualTo("0");
        final Matcher kill = summary(text, HaDemo.KILL_LINE + COUNTS);
        final long killAttempted = Long.parseLong(kill.group(1));
        assertThat(killAttempted).as("new connections across the SIGKILL").isPositive();
        assertThat(100.0 * (killAttempted - Long.parseLong(kill.group(2))) / killAttempted)
            .as("success across the SIGKILL, percent").isGreaterThanOrEqualTo(99.9);
        final Matcher longLived = summary(text, HaDemo.LONG_LIVED_LINE + "\\s+(\\d+) of (\\d+) survived");
        assertThat(longLived.group(1)).as("long-lived connections that survived").isEqualTo(longLived.group(2));
        assertThat(summary(text, "kill -9 -> 1 next hop in (\\d+) ms").group(1)).as("ms until the router dropped the killed path")
            .matches("\\d{1,3}");
        assertThat(text).contains("PASS: every figure met issue 20's targets");

        final ExecResult namespaces = Processes.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).orThrow();
        assertThat(namespaces.stdout()).as("namespaces left").doesNotContain("sluice-" + HaDemo.LAB_NAME + "-");
    }

    private static Matcher summary(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("a summary line matching %s in: %s", regex, text).isTrue();
        return matcher;
    }
}
