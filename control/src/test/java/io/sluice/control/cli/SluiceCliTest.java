package io.sluice.control.cli;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.IoPath;
import io.sluice.forwarder.config.Ipv4Prefix;
import io.sluice.linux.bpf.XdpMode;
import io.sluice.linux.xdp.XdpBindMode;
import io.sluice.control.SluiceCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing and error lines, with no forwarder running. */
class SluiceCliTest
{
    @TempDir
    Path stateDir;

    @Test
    void helpAndVersionSucceed()
    {
        final CliRun help = CliRun.of("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("forwarder", "vip", "real", "stats", "demo");

        final CliRun vipAddHelp = CliRun.of("vip", "add", "--help");
        assertThat(vipAddHelp.exitCode()).isZero();
        assertThat(vipAddHelp.out()).contains("ADDR:PORT/PROTO", "--mode", "--scheduler", "--state-dir", "--json");

        final CliRun version = CliRun.of("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("sluice ");
    }

    /** Picocli reads descriptions as format strings: a lone '%' gives a warning on stderr and the text unformatted. */
    @Test
    void everyCommandsHelpRendersWithoutAWarning()
    {
        final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        final PrintStream stderr = System.err;
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try
        {
            renderHelp(new CommandLine(new SluiceCli()));
        }
        finally
        {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static void renderHelp(final CommandLine command)
    {
        assertThat(command.getUsageMessage()).as(command.getCommandName()).isNotBlank();
        command.getSubcommands().values().forEach(SluiceCliTest::renderHelp);
    }

    @Test
    void everyCommandTakesStateDirAndJson()
    {
        for (final String[] command : new String[][]{
            { "forwarder" }, { "vip", "add" }, { "vip", "del" }, { "vip", "list" }, { "real", "add" },
            { "real", "del" }, { "real", "list" }, { "stats" }, { "demo" } })
        {
            final String[] args = new String[command.length + 1];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "--help";
            final CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(run.out()).as(String.join(" ", command)).contains("--state-dir", "--json");
        }
    }

    @Test
    void malformedVipIsAUsageErrorOnOneLine()
    {
        final CliRun run = CliRun.of("vip", "add", "198.18.1:80/tcp", "--state-dir", stateDir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
            "sluice: '198.18.1' is not an IPv4 address (try 'sluice vip add --help')");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheValue()
    {
        assertUsageError(CliRun.of("vip", "add", "198.18.1.1:80/sctp"), "sluice: unknown protocol 'sctp' (expected tcp or udp)");
        assertUsageError(CliRun.of("vip", "add", "198.18.1.1:80/tcp", "--mode", "x"),
            "sluice: unknown mode 'x' (expected dsr, tunnel, gue or nat)");
        assertUsageError(CliRun.of("vip", "add", "198.18.1.1:80/tcp", "--scheduler", "random"),
            "sluice: unknown scheduler 'random' (expected maglev, source-hash, round-robin or least-connection)");
        assertUsageError(CliRun.of("vip", "add", "198.18.1.1:0/tcp"), "sluice: '198.18.1.1:0/tcp' port 0 is outside 1-65535");
        assertUsageError(CliRun.of("real", "add", "198.18.1.1:80/tcp", "198.18.0.11", "--weight", "65536"),
            "sluice: weight 65536 is outside 0-65535");
        assertUsageError(CliRun.of("real", "add", "198.18.1.1:80/tcp", "198.18.0.999"), "sluice: '198.18.0.999' is not an IPv4 address");
    }

    @Test
    void missingOrUnknownArgumentsAreUsageErrorsOnOneLine()
    {
        for (final CliRun run : new CliRun[]{
            CliRun.of(), CliRun.of("vip"), CliRun.of("vip", "add"), CliRun.of("bogus"), CliRun.of("vip", "add", "198.18.1.1:80/tcp", "--colour"),
            CliRun.of("real", "add", "198.18.1.1:80/tcp"), CliRun.of("real", "add", "198.18.1.1:80/tcp", "198.18.0.11", "--weight", "x"),
            CliRun.of("forwarder"), CliRun.of("stats", "--watch", "--interval-ms", "5") })
        {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("sluice: ").contains("--help").doesNotContain("Exception").doesNotContain("Usage:");
        }
    }

    @Test
    void noForwarderRunningIsAFailureOnOneLine()
    {
        for (final String[] args : new String[][]{
            { "vip", "add", "198.18.1.1:80/tcp" }, { "vip", "list" }, { "real", "list" }, { "stats" },
            { "real", "del", "198.18.1.1:80/tcp", "198.18.0.11" }, { "vip", "list", "--json" } })
        {
            final String[] withDir = new String[args.length + 2];
            System.arraycopy(args, 0, withDir, 0, args.length);
            withDir[args.length] = "--state-dir";
            withDir[args.length + 1] = stateDir.toString();

            final CliRun run = CliRun.of(withDir);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).containsExactly("sluice: no forwarder running at " + stateDir + " (no sluice.cnc)");
        }
    }

    @Test
    void forwarderOptionsAreValidatedBeforeTheDaemonRuns()
    {
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--queues", "0"), "sluice: --queues 0 is outside 1-64");
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--flows", "1000"),
            "sluice: --flows 1000 must be a power of two from 1024 to 16777216");
        assertUsageError(CliRun.of("forwarder", "--iface", "a/b"), "sluice: 'a/b' is not an interface name (1-15 characters, no '/', ':' or spaces)");
        assertUsageError(CliRun.of("forwarder", "--iface", "a-very-long-interface"),
            "sluice: 'a-very-long-interface' is not an interface name (1-15 characters, no '/', ':' or spaces)");
    }

    @Test
    void forwarderOptionsCarryDefaultsAndValues()
    {
        final CommandLine commandLine = SluiceCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        final CommandLine.ParseResult parsed = commandLine.parseArgs(
            "forwarder", "--iface", "sluice-fwd0", "--queues", "2", "--state-dir", stateDir.toString());
        final ForwarderCommand command = (ForwarderCommand)parsed.subcommand().commandSpec().userObject();

        assertThat(command.context()).usingRecursiveComparison()
            .isEqualTo(new Forwarder.Context().iface("sluice-fwd0").io(IoPath.AUTO).queues(2).stateDir(stateDir)
                .flows(Forwarder.Context.DEFAULT_FLOWS).workerCpus(new int[]{ -1, -1 }).xdpMode(null).xdpBindMode(XdpBindMode.AUTO)
                .tunnelSource(Ipv4Prefix.DEFAULT_TUNNEL_SOURCE).egressIface(null));
    }

    @Test
    void anEgressInterfaceIsTakenAndABadOneRefusedWithOneLine()
    {
        final Forwarder.Context context = forwarderContext("--egress-iface", "eth1", "--io", "xdp");
        assertThat(context.egressIface()).isEqualTo("eth1");
        assertThat(context.io()).isEqualTo(IoPath.XDP);
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--egress-iface", "eth0"),
            "sluice: --egress-iface eth0 is the --iface itself; leave it out to use one interface");
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--egress-iface", "a/b"),
            "sluice: 'a/b' is not an interface name (1-15 characters, no '/', ':' or spaces)");
    }

    @Test
    void ioPathsAndXdpModesAreParsedAndBadOnesRefusedWithOneLine()
    {
        assertThat(forwarderContext("--io", "xdp", "--xdp-mode", "generic", "--xdp-bind", "copy"))
            .extracting(Forwarder.Context::io, Forwarder.Context::xdpMode, Forwarder.Context::xdpBindMode)
            .containsExactly(IoPath.XDP, XdpMode.GENERIC, XdpBindMode.COPY);
        assertThat(forwarderContext("--io", "packet").io()).isEqualTo(IoPath.PACKET);
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--io", "dpdk"), "sluice: unknown --io 'dpdk' (expected xdp or packet)");
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--xdp-mode", "offload"),
            "sluice: unknown XDP mode 'offload' (expected native or generic)");
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--xdp-bind", "shared"),
            "sluice: unknown AF_XDP bind mode 'shared' (expected auto, copy or zero-copy)");
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--io", "packet", "--xdp-mode", "native"),
            "sluice: --xdp-mode and --xdp-bind apply to --io xdp, not --io packet");
    }

    @Test
    void theGuePortDefaultsToGuesOwnAndABadOneIsRefusedWithOneLine()
    {
        assertThat(forwarderContext().guePort()).isEqualTo(6080);
        assertThat(forwarderContext("--gue-port", "7000").guePort()).isEqualTo(7000);
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--gue-port", "70000"), "sluice: --gue-port 70000 is outside 1-65535");
    }

    @Test
    void cpusPinWorkersInOrderAndRoundRobin()
    {
        assertThat(forwarderContext("--queues", "3", "--cpus", "0-1").workerCpus()).containsExactly(0, 1, 0);
        assertThat(forwarderContext("--queues", "2", "--cpus", "1").workerCpus()).containsExactly(1, 1);
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--cpus", "1,x"),
            "sluice: --cpus '1,x' is not a CPU list (e.g. 1 or 1,3 or 2-3)");
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--cpus", "1-0"), "sluice: --cpus '1-0': range 1-0 runs backwards");
        assertUsageError(CliRun.of("forwarder", "--iface", "eth0", "--cpus", "4096"),
            "sluice: --cpus '4096': CPU 4096 is not available to this process");
    }

    private Forwarder.Context forwarderContext(final String... extra)
    {
        final String[] args = new String[extra.length + 3];
        args[0] = "forwarder";
        args[1] = "--iface";
        args[2] = "eth0";
        System.arraycopy(extra, 0, args, 3, extra.length);
        final CommandLine commandLine = SluiceCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        return ((ForwarderCommand)commandLine.parseArgs(args).subcommand().commandSpec().userObject()).context();
    }

    @Test
    void l7RefusesABadConfigurationWithOneLineNamingFileLineAndField() throws Exception
    {
        assertUsageError(CliRun.of("l7"), "sluice: Missing required option: '--config=FILE'");
        final Path missing = stateDir.resolve("missing.yaml");
        final CliRun absent = CliRun.of("l7", "--config", missing.toString());
        assertThat(absent.exitCode()).isNotZero();
        assertThat(absent.errLines()).hasSize(1);
        assertThat(absent.err()).contains(missing + ": cannot read");

        final Path typo = stateDir.resolve("typo.yaml");
        java.nio.file.Files.writeString(typo, """
            listeners:
              - name: web
                adress: 127.0.0.1:8080
            """);
        final CliRun refused = CliRun.of("l7", "--config", typo.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.errLines()).as(refused.err()).hasSize(1);
        assertThat(refused.err()).contains(typo + ":3: listeners[0].adress");
    }

    @Test
    void l7RefusesAnUnknownTransportWithOneLine() throws Exception
    {
        final Path config = stateDir.resolve("l7.yaml");
        java.nio.file.Files.writeString(config, """
            listeners:
              - name: web
                address: 127.0.0.1:0
            """);
        assertUsageError(CliRun.of("l7", "--config", config.toString(), "--transport", "kqueue"),
            "sluice: --transport: unknown transport 'kqueue' (one of auto, io_uring, epoll, nio)");
    }

    private static void assertUsageError(final CliRun run, final String expectedStart)
    {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith(expectedStart);
    }
}
