package io.sluice.control.cnc;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.forwarder.bgp.BfdState;
import io.sluice.forwarder.bgp.SessionState;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.worker.SelfTestResult;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a forwarder started with {@code --bgp} announces and how its BGP sessions are, as its
 * announcer keeps them in the control file's counters ({@code "bgp vip 198.18.1.1 announced"},
 * {@code "bgp neighbor 198.18.0.1 state"}): the one reading of them for {@code sluice vip list},
 * {@code sluice stats} and {@code sluice top}, and their one JSON form. States, not rates: read from totals.
 *
 * @param announced by VIP address, whether it is announced now; absent for addresses not announced at all.
 * @param neighbors by neighbour address, its session; empty without BGP.
 * @param speaker   BIRD's counts ({@code "bird restarts"}, {@code "announcements"}, ...).
 * @param selfTests by VIP ("198.18.1.1:80/tcp"), each worker's self-test report ({@link SelfTestResult}), by worker:
 *                  what lets a VIP be announced.
 */
public record BgpState(Map<String, Boolean> announced, Map<String, Session> neighbors, Map<String, Long> speaker,
    Map<String, Map<Integer, Long>> selfTests)
{
    /** A forwarder without BGP. */
    public static final BgpState NONE = new BgpState(Map.of(), Map.of(), Map.of());

    /**
     * @param state       the session's state.
     * @param established how many times it came up.
     * @param bfd         its BFD session's state; null with BFD off.
     */
    public record Session(SessionState state, long established, BfdState bfd)
    {
        /** "up", "down", ... or "-" with BFD off. */
        public String bfdLabel()
        {
            return bfd == null ? "-" : bfd.label();
        }
    }

    public BgpState
    {
        announced = Collections.unmodifiableMap(new LinkedHashMap<>(announced));
        neighbors = Collections.unmodifiableMap(new LinkedHashMap<>(neighbors));
        speaker = Collections.unmodifiableMap(new LinkedHashMap<>(speaker));
        selfTests = Collections.unmodifiableMap(new TreeMap<>(selfTests));
    }

    /** Without self-test reports. */
    public BgpState(final Map<String, Boolean> announced, final Map<String, Session> neighbors, final Map<String, Long> speaker)
    {
        this(announced, neighbors, speaker, Map.of());
    }

    /** @return whether the forwarder runs BGP at all. */
    public boolean present()
    {
        return !neighbors.isEmpty();
    }

    /** "announced", "withdrawn", or "-" for an address the forwarder does not announce (or without BGP). */
    public String state(final String vipAddress)
    {
        final Boolean announcedNow = announced.get(vipAddress);
        return announcedNow == null ? "-" : announcedNow ? "announced" : "withdrawn";
    }

    /**
     * A VIP's self-test as its workers last reported it: "passed" (on every worker, on the same
     * table), "failed on worker 1: no-next-hop", "testing" (not every worker has reported on the
     * latest table yet), or "-" for a VIP this forwarder has no report of.
     */
    public String selfTest(final String vip)
    {
        final Map<Integer, Long> reports = selfTests.get(vip);
        if (reports == null || reports.isEmpty())
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

    /** {@code "bgp":{"neighbors":[{"neighbor":...,"session":"established","times_up":1}],"vips":[...],"bird_restarts":0,...}}. */
    public void writeJson(final JsonGenerator json) throws IOException
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
    public void writeNeighbors(final JsonGenerator json, final String field) throws IOException
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

    /** Takes the counters one at a time (whatever form the caller read them in) and makes the state of those that are BGP's. */
    public static final class Reader
    {
        private final Map<String, Boolean> announced = new LinkedHashMap<>();
        private final Map<String, Long> speaker = new LinkedHashMap<>();
        private final Map<String, Long> established = new LinkedHashMap<>();
        private final Map<String, SessionState> states = new LinkedHashMap<>();
        private final Map<String, BfdState> bfd = new LinkedHashMap<>();
        private final Map<String, Map<Integer, Long>> selfTests = new TreeMap<>();

        /** One counter; those that are not BGP's are passed over. */
        public void add(final int typeId, final String label, final long value)
        {
            switch (typeId)
            {
                case CounterTypes.BGP_VIP_ANNOUNCED -> announced.put(middle(label, "bgp vip ", " announced"), value == 1);
                case CounterTypes.BGP_NEIGHBOR_STATE -> states.put(middle(label, "bgp neighbor ", " state"),
                    SessionState.ofCode(value));
                case CounterTypes.BGP_NEIGHBOR_ESTABLISHED ->
                    established.put(middle(label, "bgp neighbor ", " established"), value);
                case CounterTypes.BGP_NEIGHBOR_BFD -> bfd.put(middle(label, "bgp neighbor ", " bfd"), BfdState.ofCode(value));
                case CounterTypes.BGP_SPEAKER -> speaker.put(middle(label, "bgp ", ""), value);
                case CounterTypes.VIP_SELF_TEST -> selfTest(label, value);
                default ->
                {
                    // not BGP's
                }
            }
        }

        public BgpState state()
        {
            final Map<String, Session> neighbors = new LinkedHashMap<>();
            states.forEach((neighbor, state) ->
                neighbors.put(neighbor, new Session(state, established.getOrDefault(neighbor, 0L), bfd.get(neighbor))));
            return new BgpState(announced, neighbors, speaker, selfTests);
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

        private static String middle(final String label, final String prefix, final String suffix)
        {
            return label.startsWith(prefix) && label.endsWith(suffix) && label.length() >= prefix.length() + suffix.length() ?
                label.substring(prefix.length(), label.length() - suffix.length()) : label;
        }
    }

    /** From a snapshot of totals ({@code sluice vip list}, {@code sluice stats}). */
    public static BgpState of(final CounterSnapshot snapshot)
    {
        final Reader reader = new Reader();
        for (final CounterSnapshot.Entry entry : snapshot.entries())
        {
            reader.add(entry.typeId(), entry.label(), entry.value());
        }
        return reader.state();
    }
}
