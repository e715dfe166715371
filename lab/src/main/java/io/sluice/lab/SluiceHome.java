package io.sluice.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a sluice checkout lives and how to start its pieces as separate processes: the lab
 * script, the runnable jar, and a JVM with the flags sluice needs. The launcher and the test
 * plugins set {@code SLUICE_HOME}; without it the working directory and its parents are searched,
 * so an IDE run from anywhere inside the checkout works too.
 */
public final class SluiceHome
{
    /** Every JVM that runs sluice code needs these: FFM downcalls and Agrona's use of jdk.internal.misc. */
    public static final List<String> JVM_FLAGS = List.of(
        "--enable-native-access=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow");

    /** Short-lived helpers and CLI calls start faster with C1 only and a small serial heap. */
    private static final List<String> CLIENT_JVM_FLAGS = List.of(
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private static final String SCRIPT = "lab/sluice-lab";
    private static final String JAR = "control/target/sluice.jar";

    private final Path home;

    private SluiceHome(final Path home)
    {
        this.home = home;
    }

    /**
     * @throws IllegalStateException naming what was searched when no checkout is found.
     */
    public static SluiceHome locate()
    {
        final String fromEnvironment = System.getenv("SLUICE_HOME");
        if (fromEnvironment != null && !fromEnvironment.isBlank())
        {
            final Path home = Path.of(fromEnvironment).toAbsolutePath().normalize();
            if (!Files.isRegularFile(home.resolve(SCRIPT)))
            {
                throw new IllegalStateException("SLUICE_HOME=" + fromEnvironment + " has no " + SCRIPT);
            }
            return new SluiceHome(home);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve(SCRIPT)))
            {
                return new SluiceHome(dir);
            }
        }
        throw new IllegalStateException(
            "cannot find " + SCRIPT + ": set SLUICE_HOME to the sluice checkout (./sluice does this)");
    }

    public Path home()
    {
        return home;
    }

    public Path labScript()
    {
        return home.resolve(SCRIPT);
    }

    /** The shaded, runnable jar that `./sluice` and `mvn package` build. */
    public Path jar()
    {
        return home.resolve(JAR);
    }

    /** @throws IllegalStateException when the jar has not been built yet. */
    public Path requireJar()
    {
        final Path jar = jar();
        if (!Files.isRegularFile(jar))
        {
            throw new IllegalStateException(jar + " is missing: build it first (./sluice builds it, or mvn -DskipTests package)");
        }
        return jar;
    }

    /** The java binary of the JVM running this code: the one that is known to be new enough. */
    public static Path javaBinary()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code java <flags> -cp sluice.jar MAIN ARGS...}, for the lab helpers. */
    public List<String> javaMain(final String mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        command.addAll(CLIENT_JVM_FLAGS);
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(requireJar().toString());
        command.add(mainClass);
        Collections.addAll(command, args);
        return command;
    }

    /** {@code java <flags> -jar sluice.jar ARGS...}: the `sluice` command line, as the launcher runs it. */
    public List<String> sluice(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        command.addAll(CLIENT_JVM_FLAGS);
        command.addAll(JVM_FLAGS);
        command.add("-jar");
        command.add(requireJar().toString());
        Collections.addAll(command, args);
        return command;
    }

    /** The forwarder daemon: full JIT and a small heap (its tables live off-heap), like the launcher. */
    public List<String> forwarder(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        command.add("-XX:+UseSerialGC");
        command.add("-Xms32m");
        command.add("-Xmx128m");
        command.addAll(JVM_FLAGS);
        command.add("-jar");
        command.add(requireJar().toString());
        command.add("forwarder");
        Collections.addAll(command, args);
        return command;
    }
}
