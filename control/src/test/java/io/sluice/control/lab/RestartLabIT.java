package io.sluice.control.lab;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.control.json.Json;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.LabForwarder;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A forwarder restarted with the same state directory comes back with its VIPs and reals. */
@ExtendWith(LabExtension.class)
class RestartLabIT
{
    private static final String VIP = LabFixture.VIPS.get(3);

    @Test
    void restartedForwarderKeepsItsVipsAndTrafficFlowsAgain(final LabFixture fixture) throws IOException
    {
        Privileges.requireRootAndIp();
        final String key = fixture.configureVip(VIP, LabFixture.REALS);
        assertThat(fixture.load(VIP, 30).failures()).isEmpty();

        final LabForwarder forwarder = fixture.forwarder();
        forwarder.stop();
        assertThat(forwarder.isRunning()).isFalse();
        assertThat(forwarder.cli().run("vip", "list").exitCode()).as("vip list with the forwarder stopped").isNotZero();

        forwarder.start();
        final ExecResult list = forwarder.cli().run("vip", "list", "--json");
        LabFixture.assertSucceeded(list);
        final List<String> strings = strings(list.stdout());
        assertThat(String.join(" ", strings)).as("vip list --json after the restart: %s", list.stdout())
            .contains(key)
            .contains(Lab.realAddress(1), Lab.realAddress(2), Lab.realAddress(3));

        final LoadReport report = fixture.load(VIP, 60);
        assertThat(report.failures()).isEmpty();
        assertThat(report.servedBy().keySet()).containsExactlyInAnyOrderElementsOf(fixture.lab().realHosts());
    }

    @Test
    void aForwarderKilledWithSigkillLeavesNoXdpProgramBehindAndComesBack(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final LabForwarder forwarder = fixture.forwarder();
        // This class's other test configures the same VIP; leave the configuration as found.
        final boolean configuredHere = !forwarder.cli().run("vip", "list").stdout().contains(VIP + ":");
        final String key = configuredHere ? fixture.configureVip(VIP, LabFixture.REALS) : null;
        assertThat(forwarder.output()).as("start-up line names the I/O path")
            .contains(LabFixture.IO.equals("xdp") ? "AF_XDP" : "AF_PACKET");
        assertThat(eth0(fixture)).as("XDP program attached while running")
            .matches(LabFixture.IO.equals("xdp") ? "(?s).*prog/xdp.*" : "(?s)((?!prog/xdp).)*");

        forwarder.kill();
        assertThat(eth0(fixture)).as("the bpf_link died with the process").doesNotContain("prog/xdp");

        forwarder.start();
        assertThat(fixture.load(VIP, 30).failures()).isEmpty();
        if (configuredHere)
        {
            LabFixture.assertSucceeded(forwarder.cli().run("vip", "del", key));
        }
    }

    private static String eth0(final LabFixture fixture)
    {
        return fixture.lab().exec(Lab.FORWARDER, "ip", "-d", "link", "show", "eth0").orThrow().stdout();
    }

    /** Every name and string value in a JSON document, in order. */
    private static List<String> strings(final String text) throws IOException
    {
        final List<String> strings = new ArrayList<>();
        try (JsonParser json = Json.FACTORY.createParser(text))
        {
            JsonToken token;
            while ((token = json.nextToken()) != null)
            {
                if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING)
                {
                    strings.add(json.getText());
                }
            }
        }
        return strings;
    }
}
