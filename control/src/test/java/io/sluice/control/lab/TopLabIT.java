package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.Processes;
import io.sluice.lab.http.HttpLoad;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice top} against the lab's forwarder while a client sends it HTTP traffic: as JSON,
 * the VIP and every real have non-zero rates; live, in a real terminal (a tmux pane of 120x40),
 * the screen shows the VIP with a rate, re-sorts on {@code b}, quits on {@code q} and leaves the
 * terminal's settings as they were, and so does Ctrl-C.
 */
@ExtendWith(LabExtension.class)
class TopLabIT
{
    private static final String VIP = LabFixture.VIPS.get(3);
    private static final Duration TMUX_TIMEOUT = Duration.ofSeconds(10);
    /** Generous: the JVM in the pane starts on a CPU shared with the forwarder, the load and the lab's backends. */
    private static final long SCREEN_TIMEOUT_MS = 30_000;

    @Test
    void onceAsJsonShowsRatesForTheVipAndEachOfItsReals(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        withTraffic(fixture, (key) ->
        {
            String json = "";
            final long deadlineMs = System.currentTimeMillis() + SCREEN_TIMEOUT_MS;
            while (System.currentTimeMillis() < deadlineMs)
            {
                final ExecResult top = fixture.sluice("top", "--once", "--json");
                LabFixture.assertSucceeded(top);
                json = top.stdout();
                if (allRatesAboveZero(json, key))
                {
                    break;
                }
            }
            assertThat(rate(json, key, "\"vip\":\"" + key + "\"")).as("the VIP's packets/s in %s", json).isPositive();
            for (int k = 1; k <= LabFixture.REALS; k++)
            {
                assertThat(rate(json, key, "\"real\":\"" + Lab.realAddress(k) + "\"")).as("real %d's packets/s in %s", k, json)
                    .isPositive();
            }
            assertThat(json).contains("\"workers\":[{\"worker\":0,");
        });
    }

    @Test
    void liveInATerminalItShowsTheVipReSortsOnBAndRestoresTheTerminalOnQAndOnCtrlC(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/tmux")), "needs tmux (Debian package tmux)");
        final Path dir = fixture.scratchDir("top-tmux");
        // A tmux server of the test's own, its socket in the scratch directory the fixture removes.
        final String server = dir.resolve("tmux.socket").toString();
        final List<String> top = fixture.home().sluice("top", "--interval", "500ms",
            "--state-dir", fixture.forwarder().stateDir().toString());
        // The pane records the terminal's settings before top and after each of two runs (ended by q, then by Ctrl-C, the
        // second once the test has looked at the screen between them) and their exit codes, then stays open. The trap keeps
        // the shell itself going on Ctrl-C, while top gets SIGINT as it would.
        final Path script = dir.resolve("pane.sh");
        write(script, String.join("\n",
            "trap : INT",
            "stty -g > " + dir.resolve("before"),
            shellWords(top),
            "echo $? > " + dir.resolve("rc"),
            "stty -g > " + dir.resolve("after"),
            "while [ ! -e " + dir.resolve("again") + " ]; do sleep 0.1; done",
            shellWords(top),
            "echo $? > " + dir.resolve("rc-interrupted"),
            "stty -g > " + dir.resolve("after-interrupted"),
            "exec sleep 300",
            ""));
        withTraffic(fixture, (key) ->
        {
            tmux(server, "new-session", "-d", "-x", "120", "-y", "40", "-s", "top", "sh " + script);
            try
            {
                final Pattern vipLine = Pattern.compile("^" + Pattern.quote(key) + "\\s+([0-9.]+[kMG]?)\\s", Pattern.MULTILINE);
                final String withRates = awaitScreen(server, (screen) ->
                {
                    final Matcher matcher = vipLine.matcher(screen);
                    return matcher.find() && !matcher.group(1).equals("0");
                });
                assertThat(withRates).contains("VIP / REAL", "sorted by packets");

                tmux(server, "send-keys", "-t", "top", "b");
                assertThat(awaitScreen(server, (screen) -> screen.contains("| sorted by bytes"))).contains(key);

                tmux(server, "send-keys", "-t", "top", "q");
                awaitFile(dir.resolve("after"));
                assertThat(read(dir.resolve("rc"))).as("top's exit code").isEqualTo("0");
                assertThat(read(dir.resolve("after"))).as("the terminal's settings after q")
                    .isEqualTo(read(dir.resolve("before")));
                assertThat(capture(server)).as("the main screen is back").doesNotContain("sorted by");
                write(dir.resolve("again"), "");

                awaitScreen(server, (screen) -> screen.contains("| sorted by packets"));
                tmux(server, "send-keys", "-t", "top", "C-c");
                awaitFile(dir.resolve("after-interrupted"));
                assertThat(read(dir.resolve("rc-interrupted"))).as("top's exit code on SIGINT").isEqualTo("130");
                assertThat(read(dir.resolve("after-interrupted"))).as("the terminal's settings after Ctrl-C")
                    .isEqualTo(read(dir.resolve("before")));
            }
            finally
            {
                Processes.run(List.of("tmux", "-S", server, "kill-server"), TMUX_TIMEOUT);
            }
        });
    }

    /** Configures the VIP unless RestartLabIT left it there, runs {@code test} while a client loads it, leaves it as found. */
    private static void withTraffic(final LabFixture fixture, final Consumer<String> test)
    {
        final boolean configuredHere = !fixture.sluice("vip", "list").stdout().contains(VIP + ":");
        final String key = configuredHere ? fixture.configureVip(VIP, LabFixture.REALS) : VIP + ":" + LabFixture.PORT + "/tcp";
        final Process load = fixture.lab().spawn(Lab.CLIENT, fixture.home().javaMain(HttpLoad.class.getName(),
            "--url", "http://" + VIP + "/", "--requests", "10000000", "--concurrency", "2", "--timeout-ms", "3000"));
        try
        {
            test.accept(key);
        }
        finally
        {
            fixture.lab().stop(load);
            if (configuredHere)
            {
                LabFixture.assertSucceeded(fixture.sluice("vip", "del", key));
            }
        }
    }

    private static boolean allRatesAboveZero(final String json, final String key)
    {
        boolean all = rate(json, key, "\"vip\":\"" + key + "\"") > 0;
        for (int k = 1; k <= LabFixture.REALS; k++)
        {
            all &= rate(json, key, "\"real\":\"" + Lab.realAddress(k) + "\"") > 0;
        }
        return all;
    }

    /**
     * The {@code packets_per_s} that follows {@code name} within the VIP {@code key}'s object in top's JSON (other test
     * classes' VIPs have the same reals); -1 when there is none.
     */
    private static double rate(final String json, final String key, final String name)
    {
        final int start = json.indexOf("{\"vip\":\"" + key + "\"");
        if (start < 0)
        {
            return -1;
        }
        final int next = json.indexOf("{\"vip\":", start + 1);
        final String vip = json.substring(start, next < 0 ? json.indexOf("\"drops\":", start) : next);
        final Matcher matcher = Pattern.compile(Pattern.quote(name) + ",\"packets_per_s\":([0-9.E]+)").matcher(vip);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private static String awaitScreen(final String server, final Predicate<String> shows)
    {
        final long deadlineMs = System.currentTimeMillis() + SCREEN_TIMEOUT_MS;
        String screen = capture(server);
        while (!shows.test(screen))
        {
            assertThat(System.currentTimeMillis()).as("the screen did not show what was expected in time:%n%s", screen)
                .isLessThan(deadlineMs);
            Lab.sleepMs(200);
            screen = capture(server);
        }
        return screen;
    }

    private static String capture(final String server)
    {
        return tmux(server, "capture-pane", "-p", "-t", "top").stdout();
    }

    private static ExecResult tmux(final String server, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("tmux", "-S", server));
        command.addAll(List.of(args));
        final ExecResult result = Processes.run(command, TMUX_TIMEOUT);
        LabFixture.assertSucceeded(result);
        return result;
    }

    private static void awaitFile(final Path file)
    {
        final long deadlineMs = System.currentTimeMillis() + SCREEN_TIMEOUT_MS;
        while (!Files.exists(file))
        {
            assertThat(System.currentTimeMillis()).as("%s within %d ms", file, SCREEN_TIMEOUT_MS).isLessThan(deadlineMs);
            Lab.sleepMs(100);
        }
    }

    private static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The command as one line of sh, each word single-quoted. */
    private static String shellWords(final List<String> words)
    {
        final StringBuilder line = new StringBuilder();
        for (final String word : words)
        {
            line.append(line.isEmpty() ? "" : " ").append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }
}
