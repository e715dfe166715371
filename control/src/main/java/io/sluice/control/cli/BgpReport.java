package io.sluice.control.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.control.cnc.BgpState;
import io.sluice.control.cnc.CounterSnapshot;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * A forwarder's {@link BgpState} (what it announces, how its BGP sessions are) as {@code sluice
 * vip list} and {@code sluice stats} print it, in text and JSON.
 */
final class BgpReport
{
    final Map<String, Boolean> announced;
    final Map<String, BgpState.Session> neighbors;
    final Map<String, Long> speaker;
    private final BgpState state;

    /** Without BGP. */
    BgpReport()
    {
        this(BgpState.NONE);
    }

    private BgpReport(final BgpState state)
    {
        this.state = state;
        this.announced = state.announced();
        this.neighbors = state.neighbors();
        this.speaker = state.speaker();
    }

    static BgpReport of(final CounterSnapshot snapshot)
    {
        return new BgpReport(BgpState.of(snapshot));
    }

    /** A VIP's self-test ("198.18.1.1:80/tcp"): see {@link BgpState#selfTest}. */
    String selfTest(final String vip)
    {
        return state.selfTest(vip);
    }

    /** @return whether the forwarder runs BGP at all. */
    boolean present()
    {
        return state.present();
    }

    /** "announced", "withdrawn", or "-" for an address the forwarder does not announce (or without BGP). */
    String state(final String vipAddress)
    {
        return state.state(vipAddress);
    }

    void printText(final PrintWriter out)
    {
        out.printf("%-40s %-12s %-10s %s%n", "BGP NEIGHBOR", "SESSION", "BFD", "TIMES UP");
        neighbors.forEach((neighbor, session) ->
            out.printf("%-40s %-12s %-10s %d%n", neighbor, session.state().label(), session.bfdLabel(), session.established()));
        out.printf("%-40s %s%n", "BGP VIP", "STATE");
        announced.forEach((vip, announcedNow) -> out.printf("%-40s %s%n", vip, state(vip)));
        out.printf("%-40s %s%n", "VIP SELF-TEST", "STATE");
        state.selfTests().keySet().forEach((vip) -> out.printf("%-40s %s%n", vip, selfTest(vip)));
        out.printf("BIRD restarts %d, announcements %d, withdrawals %d (by the watchdog %d)%n",
            speaker.getOrDefault("bird restarts", 0L), speaker.getOrDefault("announcements", 0L),
            speaker.getOrDefault("withdrawals", 0L), speaker.getOrDefault("watchdog withdrawals", 0L));
    }

    /** {@code "bgp":{"neighbors":[...],"vips":[...],"bird_restarts":0,...}}: see {@link BgpState#writeJson}. */
    void writeJson(final JsonGenerator json) throws IOException
    {
        state.writeJson(json);
    }

    /** {@code "FIELD":[{"neighbor":...}]}: see {@link BgpState#writeNeighbors}. */
    void writeNeighbors(final JsonGenerator json, final String field) throws IOException
    {
        state.writeNeighbors(json, field);
    }
}
