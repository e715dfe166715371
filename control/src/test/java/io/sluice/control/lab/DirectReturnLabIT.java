package io.sluice.control.lab;

import io.sluice.lab.Lab;
import io.sluice.lab.LinkTraffic;
import io.sluice.lab.ReplyCapture;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** DSR: replies go from the real straight to the client; the forwarder only ever sees requests. */
@ExtendWith(LabExtension.class)
class DirectReturnLabIT
{
    private static final String VIP = LabFixture.VIPS.get(1);
    private static final int CONNECTIONS = 200;

    @BeforeAll
    static void configureVip(final LabFixture fixture)
    {
        fixture.configureVip(VIP, LabFixture.REALS);
    }

    @Test
    void forwarderReceivesTheRequestsButNotTheReplies(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();

        final LinkTraffic before = LinkTraffic.read(lab);
        final LoadReport report = fixture.load(VIP, CONNECTIONS);
        final LinkTraffic traffic = LinkTraffic.read(lab).since(before);

        assertThat(report.failures()).isEmpty();
        // Each connection is at least SYN, ACK, request and FIN from the client, and SYN-ACK,
        // response and FIN back: the replies are as many packets as the requests, give or take.
        assertThat(traffic.clientTx()).isGreaterThanOrEqualTo(4L * CONNECTIONS);
        assertThat(traffic.clientRx()).isGreaterThanOrEqualTo(3L * CONNECTIONS);
        // Everything the client sent went to the forwarder (a few ARP packets aside) ...
        assertThat(traffic.forwarderRx()).as("forwarder received %s", traffic)
            .isGreaterThanOrEqualTo(traffic.clientTx() - 10)
            // ... and had the replies passed through it, it would have received them as well.
            .isLessThan(traffic.clientTx() + traffic.clientRx() / 2);
        assertThat(traffic.repliesBypassedForwarder()).as("%s", traffic).isTrue();
        assertThat(traffic.realsTx()).as("the replies the client received were sent by the reals: %s", traffic)
            .isGreaterThanOrEqualTo(traffic.clientRx() - 20);
        // DSR rewrites MACs only: the reals saw the client's own address.
        assertThat(report.clientAddresses()).isEqualTo(Map.of(Lab.CLIENT_ADDRESS, (long)CONNECTIONS));
    }

    @Test
    void repliesArriveFromTheRealsMacsNotTheForwarders(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        Privileges.require(ReplyCapture.available(), "needs tcpdump (Debian package tcpdump)");
        final Lab lab = fixture.lab();
        final Set<String> realMacs = new HashSet<>();
        for (final String real : lab.realHosts())
        {
            realMacs.add(lab.mac(real));
        }

        final Map<String, Long> bySourceMac;
        try (ReplyCapture capture = ReplyCapture.start(lab, VIP, LabFixture.PORT))
        {
            assertThat(fixture.load(VIP, 60).failures()).isEmpty();
            bySourceMac = capture.stopAndCountBySourceMac();
        }

        assertThat(bySourceMac).isNotEmpty();
        assertThat(bySourceMac.keySet()).isSubsetOf(realMacs).doesNotContain(lab.mac(Lab.FORWARDER));
        assertThat(bySourceMac.keySet()).as("replies from more than one real").hasSizeGreaterThan(1);
    }
}
