package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A ping to a VIP address is answered by the forwarder, once per request, on both I/O paths. */
@ExtendWith(LabExtension.class)
class PingLabIT
{
    private static final String VIP = LabFixture.VIPS.get(1);
    private static final int PINGS = 5;

    @Test
    void pingsToAVipAddressAreAnswered(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        // A VIP on another port of the same address: the address is what ping is about.
        LabFixture.assertSucceeded(fixture.sluice("vip", "add", VIP + ":7/udp"));
        final ExecResult ping = fixture.lab().exec(Duration.ofSeconds(30), Lab.CLIENT,
            "ping", "-n", "-c", Integer.toString(PINGS), "-i", "0.2", "-W", "2", VIP);
        assertThat(ping.exitCode()).as("ping:%n%s%s", ping.stdout(), ping.stderr()).isZero();
        assertThat(ping.stdout()).contains(PINGS + " packets transmitted, " + PINGS + " received").doesNotContain("DUP!");
        assertThat(ping.stdout()).contains("from " + VIP + ": icmp_seq=1 ttl=64");

        final ExecResult stats = fixture.sluice("stats");
        LabFixture.assertSucceeded(stats);
        final Matcher replies = Pattern.compile("echo replies \\(pings to a VIP\\)\\s+(\\d+)").matcher(stats.stdout());
        assertThat(replies.find()).as("stats:%n%s", stats.stdout()).isTrue();
        assertThat(Long.parseLong(replies.group(1))).isGreaterThanOrEqualTo(PINGS);
    }
}
