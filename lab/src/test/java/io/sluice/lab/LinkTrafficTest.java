package io.sluice.lab;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinkTrafficTest
{
    @Test
    void sinceSubtractsEveryCounter()
    {
        final LinkTraffic before = new LinkTraffic(1, 2, 3, 4, 5, 6);
        final LinkTraffic after = new LinkTraffic(11, 22, 33, 44, 55, 66);

        assertThat(after.since(before)).isEqualTo(new LinkTraffic(10, 20, 30, 40, 50, 60));
    }

    @Test
    void repliesBypassedWhenTheForwarderSawOnlyWhatTheClientSent()
    {
        // 1000 packets out, 900 replies back; the forwarder saw the 1000 and a few ARP packets.
        assertThat(new LinkTraffic(1000, 900, 1012, 1000, 1000, 900).repliesBypassedForwarder()).isTrue();
    }

    @Test
    void repliesDidNotBypassWhenTheForwarderSawThemToo()
    {
        // Replies routed back through the forwarder: it receives requests and replies.
        assertThat(new LinkTraffic(1000, 900, 1900, 1900, 1000, 900).repliesBypassedForwarder()).isFalse();
    }

    @Test
    void nothingIsProvenWithoutReplies()
    {
        assertThat(new LinkTraffic(1000, 0, 1000, 1000, 1000, 0).repliesBypassedForwarder()).isFalse();
    }
}
