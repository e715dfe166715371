package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.LabForwarder;
import io.sluice.lab.SluiceHome;
import io.sluice.lab.http.HttpBackend;
import io.sluice.lab.http.HttpLoad;
import io.sluice.lab.http.LoadReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one lab every *LabIT shares, so the whole suite builds namespaces once: a client, a
 * forwarder namespace, three reals each running {@link HttpBackend}, and (started on first use)
 * the real `sluice forwarder` jar in the forwarder namespace with a state directory of its own.
 * Each test class works on a VIP of its own, so they do not see each other's configuration.
 * {@link LabExtension} creates it once and closes it when the test run ends.
 */
public final class LabFixture implements AutoCloseable
{
    /** The I/O path the forwarder runs on: failsafe runs the lab tests once per path. */
    static final String IO = System.getProperty("sluice.lab.io", "xdp");
    /** Its own lab per I/O path, so a run that was killed for one never leaves the other a half-built lab. */
    static final String NAME = named("it" + IO.charAt(0));
    static final int REALS = 3;

    /** A test lab's name: {@code base} followed by {@code SLUICE_LAB_SUFFIX} when that is set ({@link Lab#named}). */
    static String named(final String base)
    {
        return Lab.named(base);
    }
    static final int PORT = 80;
    /** One VIP per test class; every real carries all of them on lo. */
    static final List<String> VIPS = List.of("198.18.1.1", "198.18.1.2", "198.18.1.3", "198.18.1.4", "198.18.1.5");
    /** IPv6 VIPs, in the lab's IPv6 VIP subnet (2001:2:0:1::/64), on every real's lo too. */
    static final List<String> VIPS6 = List.of("2001:2:0:1::1", "2001:2:0:1::2", "2001:2:0:1::3");

    private static final Duration BACKEND_START_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOAD_CONCURRENCY = 4;
    /** Covers one SYN retransmission (1 s), e.g. while the forwarder still resolves a real's MAC. */
    private static final int LOAD_TIMEOUT_MS = 3_000;
    /** A broken path fails the test after a few timeouts instead of one per request. */
    private static final int LOAD_MAX_FAILURES = 8;

    private final SluiceHome home;
    private final Lab lab;
    private final Path scratch;
    private final LabForwarder forwarder;
    private RuntimeException forwarderFailure;

    private LabFixture(final SluiceHome home, final Lab lab, final Path scratch)
    {
        this.home = home;
        this.lab = lab;
        this.scratch = scratch;
        this.forwarder = new LabForwarder(lab, home, scratch.resolve("state"), IO);
    }

    /** Builds the lab and starts the backends; the forwarder starts on first use. */
    static LabFixture start()
    {
        final SluiceHome home = SluiceHome.locate();
        home.requireJar();
        final Path scratch;
        try
        {
            scratch = Files.createTempDirectory("sluice-labit-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Lab lab = Lab.up(NAME, REALS, java.util.stream.Stream.concat(VIPS.stream(), VIPS6.stream()).toList());
        try
        {
            final LabFixture fixture = new LabFixture(home, lab, scratch);
            for (final String real : lab.realHosts())
            {
                final Process backend = lab.spawn(real, home.javaMain(HttpBackend.class.getName(),
                    "--name", real, "--port", Integer.toString(PORT)));
                lab.awaitOutput(backend, HttpBackend.READY, BACKEND_START_TIMEOUT);
            }
            return fixture;
        }
        catch (final RuntimeException ex)
        {
            lab.close();
            throw ex;
        }
    }

    Lab lab()
    {
        return lab;
    }

    SluiceHome home()
    {
        return home;
    }

    /** A fresh empty directory for a test's own files (another state directory, say). */
    Path scratchDir(final String name)
    {
        try
        {
            return Files.createDirectories(scratch.resolve(name));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The forwarder, started if it is not running; a start that failed once fails every caller the same way. */
    LabForwarder forwarder()
    {
        if (forwarderFailure != null)
        {
            throw forwarderFailure;
        }
        if (!forwarder.isRunning())
        {
            try
            {
                forwarder.start();
            }
            catch (final RuntimeException ex)
            {
                forwarderFailure = ex;
                throw ex;
            }
        }
        return forwarder;
    }

    /** Runs `sluice ARGS --state-dir <the lab forwarder's>`, the forwarder running. */
    ExecResult sluice(final String... args)
    {
        return forwarder().cli().run(args);
    }

    /** Adds {@code vip}:80/tcp with the first {@code reals} reals, asserting every command succeeds. */
    String configureVip(final String vip, final int reals)
    {
        final String key = vip + ":" + PORT + "/tcp";
        assertSucceeded(sluice("vip", "add", key));
        for (int k = 1; k <= reals; k++)
        {
            assertSucceeded(sluice("real", "add", key, Lab.realAddress(k)));
        }
        return key;
    }

    /** {@code requests} HTTP requests from the client namespace to http://ADDRESS/, one TCP connection each. */
    LoadReport load(final String address, final int requests)
    {
        final ExecResult result = lab.exec(Lab.CLIENT, home.javaMain(HttpLoad.class.getName(),
            "--url", "http://" + address + "/", "--requests", Integer.toString(requests),
            "--concurrency", Integer.toString(LOAD_CONCURRENCY), "--timeout-ms", Integer.toString(LOAD_TIMEOUT_MS),
            "--max-failures", Integer.toString(LOAD_MAX_FAILURES), "--json").toArray(String[]::new));
        assertThat(result.exitCode()).as("HttpLoad exit code (0 all answered, 1 some failed): %s", result.stderr()).isIn(0, 1);
        return LoadReport.fromJson(result.stdout());
    }

    static void assertSucceeded(final ExecResult result)
    {
        assertThat(result.exitCode())
            .as("%s%nstdout: %s%nstderr: %s", String.join(" ", result.command()), result.stdout(), result.stderr())
            .isZero();
    }

    @Override
    public void close()
    {
        try
        {
            forwarder.close();
            lab.close();
        }
        finally
        {
            LabForwarder.deleteTree(scratch);
        }
    }
}
