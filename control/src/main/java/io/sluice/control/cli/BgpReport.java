package io.sluice.control.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.control.cnc.CounterSnapshot;
import io.sluice.forwarder.bgp.BfdState;
import io.sluice.forwarder.bgp.SessionState;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.worker.SelfTestResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a forwarder started with {@code --bgp} announces and how its BGP sessions are, from the
 * counters its announcer keeps in the control file ({@code "bgp vip 198.18.1.1 announced"},
 * {@code "bgp neighbor 198.18.0.1 state"}): for {@code sluice vip list} and {@code sluice stats}.
 * Always read from a snapshot of totals, since these are states, not rates.
 */
final class BgpReport
{
    /**
     * @param state       the session's state.
     * @param established how many times it came up.
     * @param bfd         its BFD session's state; null with BFD off.
     */
    record Session(SessionState state, long established, BfdState bfd)
    {
        /** "up", "down", ... or "-" with BFD off. */
        String bfdLabel()
        {
            return bfd == null ? "-" : bfd.label();
        }
    }

    final Map<String, Boolean> announced = new LinkedHashMap<>();
    final Map<String, Session> neighbors = new LinkedHashMap<>();
    final Map<String, Long> speaker = new LinkedHashMap<>();
    /** By VIP ("198.18.1.1:80/tcp"), each worker's self-test report ({@link SelfTestResult}), by worker. */
    final Map<String, Map<Integer, Long>> selfTests = new TreeMap<>();

    static BgpReport of(final CounterSnapshot snapshot)
    {
        final BgpReport report = new BgpReport();
        final Map<String, Long> established = new LinkedHashMap<>();
        final Map<String, SessionState> states = new LinkedHashMap<>();
        final Map<String, BfdState> bfd = new LinkedHashMap<>();
        for (final CounterSnapshot.Entry entry : snapshot.entries())
        {
            final String label = entry.label();
            switch (entry.typeId())
            {
                case CounterTypes.BGP_VIP_ANNOUNCED ->
                    report.announced.put(middle(label, "bgp vip ", " announced"), entry.value() == 1);
                case CounterTypes.BGP_NEIGHBOR_STATE -> states.put(middle(label, "bgp neighbor ", " state"),
                    SessionState.ofCode(entry.value()));
                case CounterTypes.BGP_NEIGHBOR_ESTABLISHED -> established.put(middle(label, "bgp neighbor ", " established"),
                    entry.value());
                case CounterTypes.BGP_NEIGHBOR_BFD -> bfd.put(middle(label, "bgp neighbor ", " bfd"),
                    BfdState.ofCode(entry.value()));
                case CounterTypes.BGP_SPEAKER -> report.speaker.put(middle(label, "bgp ", ""), entry.value());
                case CounterTypes.VIP_SELF_TEST -> report.selfTest(label, entry.value());
                default ->
                {
                    // not BGP's
                }
            }
        }
        states.forEach((neighbor, state) ->
            report.neighbors.put(neighbor, new Session(state, established.getOrDefault(neighbor, 0L), bfd.get(neighbor))));
        return report;
    }

    /** @return whether the forwarder runs BGP at all. */
    boolean present()
    {
        return !neighbors.isEmpty();
    }

    /** "announced", "withdrawn", or "-" for an address the forwarder does not announce (or without BGP). */
    String state(final String vipAddress)
    {
        final Boolean announcedNow = announced.get(vipAddress);
        return announcedNow == null ? "-" : announcedNow ? "announced" : "withdrawn";
    }

    /**
     * A VIP's self-test as its workers last reported it: "passed" (on every worker, on the same
     * table), "failed on worker 1: no-next-hop", "testing" (not every worker has reported on the
     * latest table yet), or "-" for a VIP this forwarder has no report of.
     */
    String selfTest(final String vip)
    {
        final Map<Integer, Long> reports = selfTests.get(vip);
        if (reports == null)
        {
            return "-";
        }
        final long version = SelfTestResult.tableVersion(reports.values().iterator().next());
        for (final long report : reports.values())
        {
            if (SelfTestResult.tableVersion(report) != version || version == 0)
            {
                return "testing";
            }
        }
        for (final Map.Entry<Integer, Long> report : reports.entrySet())
        {
            final int outcome = SelfTestResult.outcome(report.getValue());
            if (outcome != SelfTestResult.PASSED)
            {
                return "failed on worker " + report.getKey() + ": " + SelfTestResult.describe(outcome);
            }
        }
        return "passed";
    }

    /** "vip 198.18.1.1:80/tcp self-test worker 0". */
    private void selfTest(final String label, final long report)
    {
        final String marker = " self-test worker ";
        final int at = label.lastIndexOf(marker);
        if (label.startsWith("vip ") && at > 4)
        {
            selfTests.computeIfAbsent(label.substring(4, at), (vip) -> new TreeMap<>())
                .put(Integer.parseInt(label.substring(at + marker.length())), report);
        }
    }

    void printText(final PrintWriter out)
    {
        out.printf("%-40s %-12s %-10s %s%n", "BGP NEIGHBOR", "SESSION", "BFD", "TIMES UP");
        neighbors.forEach((neighbor, session) ->
            out.printf("%-40s %-12s %-10s %d%n", neighbor, session.state().label(), session.bfdLabel(), session.established()));
        out.printf("%-40s %s%n", "BGP VIP", "STATE");
        announced.forEach((vip, announcedNow) -> out.printf("%-40s %s%n", vip, state(vip)));
        out.printf("%-40s %s%n", "VIP SELF-TEST", "STATE");
        selfTests.keySet().forEach((vip) -> out.printf("%-40s %s%n", vip, selfTest(vip)));
        out.printf("BIRD restarts %d, announcements %d, withdrawals %d (by the watchdog %d)%n",
            speaker.getOrDefault("bird restarts", 0L), speaker.getOrDefault("announcements", 0L),
            speaker.getOrDefault("withdrawals", 0L), speaker.getOrDefault("watchdog withdrawals", 0L));
    }

    /** {@code "bgp":{"neighbors":[{"neighbor":...,"session":"established","times_up":1}],"vips":[...],"bird_restarts":0,...}}. */
    void writeJson(final JsonGenerator json) throws IOException
    {
        json.writeObjectFieldStart("bgp");
        writeNeighbors(json, "neighbors");
        json.writeArrayFieldStart("vips");
        for (final String vip : announced.keySet())
        {
            json.writeStartObject();
            json.writeStringField("address", vip);
            json.writeStringField("state", state(vip));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("self_tests");
        for (final String vip : selfTests.keySet())
        {
            json.writeStartObject();
            json.writeStringField("vip", vip);
            json.writeStringField("state", selfTest(vip));
            json.writeEndObject();
        }
        json.writeEndArray();
        for (final Map.Entry<String, Long> count : speaker.entrySet())
        {
            json.writeNumberField(count.getKey().replace(' ', '_'), count.getValue());
        }
        json.writeEndObject();
    }

    /** {@code "FIELD":[{"neighbor":"198.18.0.1","session":"established","bfd":"up","times_up":1}]}; no "bfd" with BFD off. */
    void writeNeighbors(final JsonGenerator json, final String field) throws IOException
    {
        json.writeArrayFieldStart(field);
        for (final Map.Entry<String, Session> neighbor : neighbors.entrySet())
        {
            json.writeStartObject();
            json.writeStringField("neighbor", neighbor.getKey());
            json.writeStringField("session", neighbor.getValue().state().label());
            if (neighbor.getValue().bfd() != null)
            {
                json.writeStringField("bfd", neighbor.getValue().bfd().label());
            }
            json.writeNumberField("times_up", neighbor.getValue().established());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static String middle(final String label, final String prefix, final String suffix)
    {
        return label.startsWith(prefix) && label.endsWith(suffix) && label.length() >= prefix.length() + suffix.length() ?
            label.substring(prefix.length(), label.length() - suffix.length()) : label;
    }
}
