package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.SluiceRunner;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input through the real command line: each mistake is one line on stderr and a non-zero
 * exit, and the forwarder's configuration is unchanged afterwards.
 */
@ExtendWith(LabExtension.class)
class BadInputLabIT
{
    private static final String VIP = LabFixture.VIPS.get(4);
    private static final String KEY = VIP + ":80/tcp";
    private static final Duration FORWARDER_REFUSAL_TIMEOUT = Duration.ofSeconds(30);

    @BeforeAll
    static void configureVip(final LabFixture fixture)
    {
        fixture.configureVip(VIP, 1);
    }

    static Stream<Arguments> mistakes()
    {
        return Stream.of(
            Arguments.of("malformed VIP address", new String[]{"vip", "add", "198.18.1.999:80/tcp"}),
            Arguments.of("VIP port out of range", new String[]{"vip", "add", "198.18.1.5:70000/tcp"}),
            Arguments.of("unknown protocol", new String[]{"vip", "add", "198.18.1.5:80/sctp"}),
            Arguments.of("unknown mode", new String[]{"vip", "add", "198.18.1.6:80/tcp", "--mode", "teleport"}),
            Arguments.of("duplicate VIP", new String[]{"vip", "add", KEY}),
            Arguments.of("real for a VIP that does not exist", new String[]{"real", "add", "198.18.1.77:80/tcp", "198.18.0.11"}),
            Arguments.of("malformed real address", new String[]{"real", "add", KEY, "198.18.0"}),
            Arguments.of("weight out of range", new String[]{"real", "add", KEY, "198.18.0.12", "--weight", "65536"}),
            Arguments.of("deleting a VIP that does not exist", new String[]{"vip", "del", "198.18.1.78:80/tcp"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakeIsOneLineOnStderrAndChangesNothing(final String what, final String[] args, final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final String before = listJson(fixture);

        final ExecResult result = fixture.sluice(args);

        assertOneLineFailure(what, result);
        assertThat(listJson(fixture)).as("vip list after: %s", what).isEqualTo(before);
    }

    @Test
    void commandWithoutARunningForwarderIsOneLine(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final String before = listJson(fixture);
        final SluiceRunner elsewhere = new SluiceRunner(fixture.home(), "--state-dir", fixture.scratchDir("no-forwarder").toString());

        assertOneLineFailure("vip list, nothing running there", elsewhere.run("vip", "list"));
        assertOneLineFailure("vip add, nothing running there", elsewhere.run("vip", "add", "198.18.1.9:80/tcp"));
        assertThat(listJson(fixture)).isEqualTo(before);
    }

    @Test
    void forwarderOnAnInterfaceThatDoesNotExistIsOneLine(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final String before = listJson(fixture);
        final String stateDir = fixture.scratchDir("nosuch-iface").toString();

        final ExecResult result = fixture.lab().exec(FORWARDER_REFUSAL_TIMEOUT, Lab.FORWARDER,
            fixture.home().forwarder("--iface", "nosuch0", "--state-dir", stateDir).toArray(String[]::new));

        assertOneLineFailure("forwarder --iface nosuch0", result);
        assertThat(result.stderr()).contains("nosuch0");
        assertThat(listJson(fixture)).isEqualTo(before);
    }

    private static String listJson(final LabFixture fixture)
    {
        final ExecResult list = fixture.sluice("vip", "list", "--json");
        LabFixture.assertSucceeded(list);
        assertThat(list.stdout()).contains(KEY);
        return list.stdout();
    }

    private static void assertOneLineFailure(final String what, final ExecResult result)
    {
        assertThat(result.exitCode()).as("%s: exit code (stderr: %s)", what, result.stderr()).isNotZero();
        assertThat(result.stderrLines()).as("%s: stderr", what).hasSize(1);
    }
}
