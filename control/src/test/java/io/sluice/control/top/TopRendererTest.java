package io.sluice.control.top;

import io.sluice.control.cnc.BgpState;
import io.sluice.forwarder.bgp.BfdState;
import io.sluice.forwarder.bgp.SessionState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The screen as golden text: a change in layout shows here, line by line. */
class TopRendererTest
{
    /** 2026-12-07 22:00:00 UTC. */
    private static final long TAKEN_AT_MS = 1_796_680_800_000L;

    static TopSnapshot snapshot()
    {
        final ForwarderRates forwarder = ForwarderRates.between(
            Samples.forwarder(1_000, 500, 10).at(0), Samples.forwarder(3_000, 2_000, 50).at(2 * Samples.SECOND_NS));
        final L7Rates l7 = new L7Rates("127.0.0.1:9901", 2.0,
            List.of(new L7Rates.ExchangeRates("api", 5, 4_050, List.of(0.0, 0.0, 4.0, 0.0, 0.0, 1.0), "-", 0),
                new L7Rates.ExchangeRates("static", 120, 1_500_000, List.of(0.0, 0.0, 118.0, 2.0, 0.0, 0.0), "-", 0)),
            List.of(new L7Rates.ExchangeRates("web/b1", 60, 750_000, List.of(0.0, 0.0, 60.0, 0.0, 0.0, 0.0), "up", 3),
                new L7Rates.ExchangeRates("web/b2", 0, 0, List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0), "down", 0)),
            12, 4);
        return new TopSnapshot("/run/sluice (pid 4242)", forwarder, l7, null, TAKEN_AT_MS, BgpState.NONE);
    }

    @Test
    void theWholeReport()
    {
        assertThat(String.join("\n", TopRenderer.lines(snapshot(), SortKey.PACKETS, 112))).isEqualTo("""
            sluice top  forwarder /run/sluice (pid 4242)  rates over 2.0 s  22:00:00 UTC

            VIP / REAL                          PACKETS/S    BYTES/S   SHARE  HEALTH
            198.18.1.1:80/tcp                        1000     100.0k
              198.18.0.11                             750      75.0k   75.0%  up
              198.18.0.12                             250      25.0k   25.0%  down

            DROP                                       /S      TOTAL
            no-vip                                      0          7

            WORKER   RX PKT/S   TX PKT/S     RX B/S     TX B/S    FLOWS/S   BATCH/S PKT/BATCH  TX ERR/S   LOAD
            0             500        500      50.0k      50.0k       10.0      50.0      10.0         0  33.3%
            1            1000        500      50.0k      50.0k       10.0      50.0      20.0         0  66.7%
            all                                                      20.0

            AF_XDP RINGS /S            socket 0   socket 1
            rx-ring-full                      0       10.0
            fill-ring-empty                   0          0

            L7 127.0.0.1:9901  client connections 12  backend connections 4
            ROUTE                                   REQ/S    BYTES/S    2XX/S    3XX/S    4XX/S    5XX/S
            static                                    120       1.5M      118      2.0        0        0
            api                                       5.0       4050      4.0        0        0      1.0
            POOL/SERVER                             REQ/S    BYTES/S    2XX/S    3XX/S    4XX/S    5XX/S IN FLIGHT  HEALTH
            web/b1                                   60.0     750.0k     60.0        0        0        0         3  up
            web/b2                                      0          0        0        0        0        0         0  down""");
    }

    @Test
    void aShortTerminalGetsTheTopOfTheReportAndTheKeysAtTheBottomSortedByBytes()
    {
        assertThat(String.join("\n", TopRenderer.screen(snapshot(), SortKey.BYTES, 1.0, 72, 9))).isEqualTo("""
            sluice top  forwarder /run/sluice (pid 4242)  rates over 2.0 s  22:00:00

            VIP / REAL                PACKETS/S    BYTES/S   SHARE  HEALTH
            198.18.1.1:80/tcp              1000     100.0k
              198.18.0.11                   750      75.0k   75.0%  up
              198.18.0.12                   250      25.0k   25.0%  down

            ... 19 more lines (a taller terminal shows them)
            q quit  p packets  b bytes  n name  | sorted by bytes""");
    }

    /** The forwarder's part of {@link #snapshot()}, run with BGP: one VIP address announced, one neighbour up with BFD. */
    static TopSnapshot withBgp()
    {
        final TopSnapshot plain = snapshot();
        final BgpState bgp = new BgpState(Map.of("198.18.1.1", true),
            Map.of("198.18.0.1", new BgpState.Session(SessionState.ESTABLISHED, 2, BfdState.UP)), Map.of("bird restarts", 0L));
        return new TopSnapshot(plain.forwarder(), plain.forwarderRates(), null, null, TAKEN_AT_MS, bgp);
    }

    @Test
    void withBgpEachVipAddresssAnnouncementAndEachNeighboursSessionsFollowTheVips()
    {
        assertThat(String.join("\n", TopRenderer.lines(withBgp(), SortKey.PACKETS, 112).subList(0, 11))).isEqualTo("""
            sluice top  forwarder /run/sluice (pid 4242)  rates over 2.0 s  22:00:00 UTC

            VIP / REAL                          PACKETS/S    BYTES/S   SHARE  HEALTH
            198.18.1.1:80/tcp                        1000     100.0k
              198.18.0.11                             750      75.0k   75.0%  up
              198.18.0.12                             250      25.0k   25.0%  down

            BGP VIP                            STATE
            198.18.1.1                         announced
            BGP NEIGHBOR                       SESSION      BFD        TIMES UP
            198.18.0.1                         established  up         2
            """.stripTrailing());
    }

    @Test
    void beforeTheSecondSampleTheScreenSaysRatesAreComing()
    {
        assertThat(TopRenderer.screen(null, SortKey.NAME, 2.0, 100, 4)).containsExactly(
            "sluice top: the first rates come after one interval (2.0 s)",
            "",
            "",
            "q quit  p packets  b bytes  n name  | sorted by name");
    }
}
