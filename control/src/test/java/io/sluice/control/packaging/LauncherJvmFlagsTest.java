package io.sluice.control.packaging;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;
import io.sluice.lab.SluiceHome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM flags the launcher gives {@code sluice l7}. No other test starts a JVM with them (the tests and the
 * lab start theirs with their own), so a flag this JDK renamed, retired or adjusts with a warning (a young
 * generation as large as the initial heap) would first show as a proxy that does not start.
 */
final class LauncherJvmFlagsTest
{
    private static final Path LAUNCHER = Path.of("..", "sluice");
    private static final Pattern L7_FLAGS = Pattern.compile("\n {2}l7\\) JVM_FLAGS=\\(([^)]*)\\)");

    @Test
    void thisJdkTakesTheProxysFlagsWithoutAWord() throws IOException
    {
        final List<String> flags = l7Flags();
        assertThat(flags).contains("-XX:+UseSerialGC").anyMatch((flag) -> flag.startsWith("-Xmn"));

        final List<String> command = new ArrayList<>(List.of(SluiceHome.javaBinary().toString()));
        command.addAll(flags);
        command.add("-version");
        final ExecResult version = Processes.run(command, Duration.ofSeconds(30));

        // -version writes to standard error, the JVM's own warnings (unified logging) to standard output.
        final String said = version.stdout() + version.stderr();
        assertThat(version.exitCode()).as(said).isZero();
        assertThat(said.lines()).noneMatch((line) -> line.toLowerCase().contains("warning")
            || line.contains("Unrecognized") || line.contains("Error"));
    }

    @Test
    void theUsersJavaOptionsComeAfterTheLaunchersSoTheyWin() throws IOException
    {
        assertThat(Files.readString(LAUNCHER)).contains("exec \"$JAVA_HOME/bin/java\" \"${JVM_FLAGS[@]}\" \"${USER_JVM_FLAGS[@]}\"")
            .contains("read -r -a USER_JVM_FLAGS <<<\"${SLUICE_JAVA_OPTS:-}\"");
    }

    private static List<String> l7Flags() throws IOException
    {
        final Matcher matcher = L7_FLAGS.matcher(Files.readString(LAUNCHER));
        assertThat(matcher.find()).as("the launcher's `l7) JVM_FLAGS=(...)`").isTrue();
        return Arrays.stream(matcher.group(1).trim().split("\\s+")).toList();
    }
}
