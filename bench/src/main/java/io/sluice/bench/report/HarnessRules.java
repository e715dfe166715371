package io.sluice.bench.report;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The rules bench/compress, bench/cache and bench/gateway share (they run one start per peer and
 * round, with "verify", "cold" and "warm" runs): a peer's successful runs, medians of a figure over
 * them, its warm and cold rates, the headroom of the best peer against "direct", a target line of
 * one peer's warm rate over another's with the ratio in each round, the cold start's target, and
 * the pieces of their Markdown (a table row, numbers as the reports have always printed them).
 */
final class HarnessRules
{
    static final String DIRECT = "direct";
    static final String SLUICE = "sluice-l7";
    /** DESIGN.md's budget for the L7 tier's cold start: its first seconds at least this share of warm. */
    static final double COLD_TARGET = 0.8;

    private final RunSet runs;
    private final int rounds;

    HarnessRules(final List<Run> runs, final int rounds)
    {
        this.runs = new RunSet(runs);
        this.rounds = rounds;
    }

    RunSet runs()
    {
        return runs;
    }

    int rounds()
    {
        return rounds;
    }

    /** The successful runs of a kind and peer. */
    List<Run> ok(final String kind, final String peer)
    {
        return runs.ok(run -> kind.equals(run.text("kind")) && peer.equals(run.text("proxy")));
    }

    /** Every run of a kind and peer, whatever its status. */
    List<Run> all(final String kind, final String peer)
    {
        return runs.all().stream().filter(run -> kind.equals(run.text("kind")) && peer.equals(run.text("proxy"))).toList();
    }

    /** The successful warm run of a peer in round r, or null. */
    Run warmIn(final String peer, final int round)
    {
        return ok("warm", peer).stream().filter(run -> run.number("run") == round).findFirst().orElse(null);
    }

    /** Measured runs (cold or warm) of the peer that did not succeed. */
    int failed(final String peer)
    {
        return (int)runs.all().stream().filter(run -> peer.equals(run.text("proxy")) && !run.ok())
            .filter(run -> "warm".equals(run.text("kind")) || "cold".equals(run.text("kind"))).count();
    }

    /** A figure's median over runs, 0 when there are none. */
    static double median(final List<Run> over, final ToDoubleFunction<Run> figure)
    {
        return Summary.of(over.stream().map(figure::applyAsDouble).toList()).median();
    }

    /** A peer's warm rates (median, min, max, count) and cold rate, each a whole number, and cold over warm. */
    PeerRates rates(final String peer)
    {
        final Summary warm = Summary.of(ok("warm", peer).stream().map(run -> run.number("rps")).toList());
        final double cold = median(ok("cold", peer), run -> run.number("rps"));
        return new PeerRates(peer, new Summary(Fixed.rounded(warm.median(), 0), Fixed.rounded(warm.min(), 0),
            Fixed.rounded(warm.max(), 0), warm.count()), Fixed.rounded(cold, 0),
            Fixed.rounded(Verdict.ratio(cold, warm.median()), 2));
    }

    /** Whether a peer passed its check in every round, and "round N: why" for each that did not. */
    Checked checked(final String peer)
    {
        final List<Run> verifies = all("verify", peer);
        final List<String> failures = verifies.stream().filter(run -> !run.ok())
            .map(run -> "round " + plain(run.number("run")) + ": " + run.text("reason")).toList();
        return new Checked(!verifies.isEmpty() && failures.isEmpty(), failures, verifies);
    }

    /** The headroom: direct's warm rate against the best of the other peers' (the last of equals, as before). */
    static Headroom headroom(final List<PeerRates> peers)
    {
        PeerRates best = null;
        double direct = 0;
        for (final PeerRates p : peers)
        {
            if (DIRECT.equals(p.proxy()))
            {
                direct = p.rps().median();
            }
            else if (best == null || p.rps().median() >= best.rps().median())
            {
                best = p;
            }
        }
        return best == null ? Headroom.of(direct, "", 0) : Headroom.of(direct, best.proxy(), best.rps().median());
    }

    /**
     * A target line: peer A's median warm rate over B's, with the ratio in each round where both
     * have one, and the verdict against target (0: a figure without one) under the headroom;
     * "not measured" when either has no rate.
     */
    Target versus(final List<PeerRates> peers, final Headroom headroom, final String a, final String b, final String what,
        final double target)
    {
        final PeerRates x = find(peers, a);
        final PeerRates y = find(peers, b);
        if (x == null || y == null || x.rps().median() == 0 || y.rps().median() == 0)
        {
            return Target.of(what).with("verdict", Verdict.NOT_MEASURED);
        }
        final double ratio = Fixed.rounded(Verdict.ratio(x.rps().median(), y.rps().median()), 2);
        final List<Target.Num> perRound = new ArrayList<>();
        for (int r = 1; r <= rounds; r++)
        {
            final Run runA = warmIn(a, r);
            final Run runB = warmIn(b, r);
            if (runA != null && runB != null)
            {
                perRound.add(new Target.Num(Verdict.ratio(runA.number("rps"), runB.number("rps")), 2));
            }
        }
        return Target.of(what).with("a", new Target.Num(x.rps().median(), 0)).with("b", new Target.Num(y.rps().median(), 0))
            .with("ratio", new Target.Num(ratio, 2)).with("per_round", perRound).with("target", new Target.Num(target, 1))
            .with("verdict", target == 0 ? "no target" : headroom.verdict(ratio >= target));
    }

    /** DESIGN.md's cold start as a target line: the peer's cold rate over its warm one, at least 0.8. */
    static Target coldStart(final List<PeerRates> peers, final Headroom headroom, final String peer)
    {
        final PeerRates p = find(peers, peer);
        if (p == null || p.rps().median() == 0)
        {
            return Target.of(peer + " cold / warm").with("verdict", Verdict.NOT_MEASURED);
        }
        return Target.of(peer + " cold / warm requests per second (DESIGN.md: >= 0.8)").with("a", new Target.Num(p.coldRps(), 0))
            .with("b", new Target.Num(p.rps().median(), 0)).with("ratio", new Target.Num(p.coldOverWarm(), 2))
            .with("target", new Target.Num(COLD_TARGET, 1)).with("verdict", headroom.verdict(p.coldOverWarm() >= COLD_TARGET));
    }

    /** Over the lines with a target: false when one was not met, true when every one was, else null. */
    static Boolean targetMet(final List<Target> targets)
    {
        final List<String> verdicts = targets.stream().map(Target::verdict).filter(v -> !"no target".equals(v)).toList();
        if (verdicts.contains(Verdict.NOT_MET))
        {
            return false;
        }
        return !verdicts.isEmpty() && verdicts.stream().allMatch(Verdict.MET::equals) ? Boolean.TRUE : null;
    }

    static PeerRates find(final List<PeerRates> peers, final String peer)
    {
        return peers.stream().filter(p -> p.proxy().equals(peer)).findFirst().orElse(null);
    }

    /**
     * The result file up to its peers: bench, stamp, machine, command and the settings named, as the
     * script gave them, and the headroom; leaves the "peers" array open.
     */
    static void writeOpening(final JsonOut json, final String bench, final Context context, final List<String> settings,
        final Headroom headroom)
    {
        json.startObject().text("bench", bench).text("stamp", context.text("stamp"));
        context.writeMachine(json);
        json.text("command", context.text("command")).startObject("settings");
        for (final String name : settings)
        {
            final String value = context.textOr(name, null);
            if (value == null)
            {
                json.nul(name);
            }
            else
            {
                json.text(name, value);
            }
        }
        json.endObject();
        headroom.write(json, "headroom");
        json.startArray("peers");
    }

    /** A peer's object opened, with its name, its checks and its rates; the caller adds its own figures and closes it. */
    static void writePeer(final JsonOut json, final PeerRates p, final Checked checked)
    {
        json.startObject().text("proxy", p.proxy()).bool("verified", checked.verified());
        writeTexts(json, "verify_failures", checked.failures());
        json.startObject("rps").number("median", p.rps().median(), 0).number("min", p.rps().min(), 0)
            .number("max", p.rps().max(), 0).number("count", p.rps().count(), 0).endObject()
            .number("cold_rps", p.coldRps(), 0).number("cold_over_warm", p.coldOverWarm(), 2);
    }

    static void writeTexts(final JsonOut json, final String name, final List<String> texts)
    {
        json.startArray(name);
        texts.forEach(json::textValue);
        json.endArray();
    }

    /** A Markdown table's row from its cells. */
    static String row(final Object... cells)
    {
        final StringBuilder row = new StringBuilder("|");
        for (final Object cell : cells)
        {
            row.append(' ').append(cell instanceof Double d ? plain(d) : String.valueOf(cell)).append(" |");
        }
        return row.toString();
    }

    /** The rates cell: "median (min-max, count)". */
    static String ratesCell(final PeerRates p)
    {
        return plain(p.rps().median()) + " (" + plain(p.rps().min()) + "-" + plain(p.rps().max()) + ", " + p.rps().count() + ")";
    }

    /** A number in its shortest form, as the reports print a figure without fixed decimals ("1970", "0.8"). */
    static String plain(final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A run's field as a table cell: a number in its shortest form, text as recorded, "null" when absent. */
    static String cell(final Run run, final String name)
    {
        final Object value = run.fields().get(name);
        return switch (value)
        {
            case null -> "null";
            case Double d -> plain(d);
            default -> value.toString();
        };
    }

    /**
     * The "Headroom" section: direct (what it was) against the best peer (a "proxy" or "variant"), the
     * ratio and the state, with what a generator-bound or unknown headroom means for the verdicts
     * (on: "" for every verdict, " on rates" when some figures are counts that do not depend on it).
     */
    static void headroomSection(final PrintWriter md, final Headroom h, final String direct, final String unit,
        final String peer, final String on)
    {
        final String tail = switch (h.state())
        {
            case OK -> " (the rule: at least 2x)";
            case GENERATOR_BOUND -> ": under 2x, the generator may limit every " + peer + "; no verdict" + on;
            default -> ": no verdict" + on;
        };
        md.println("## Headroom");
        md.println();
        md.println("direct (" + direct + ") " + plain(h.direct()) + " " + unit + ", the best " + peer + " (" + h.bestPeer() + ") "
            + plain(h.best()) + ": " + Fixed.of(h.ratio(), 2) + "x, " + h.state().text() + tail + ".");
        md.println();
    }

    /**
     * A rate target's Markdown line: "- what: a / b = **ratio x** (per round: ...)..." with the extra
     * text given; an empty list of rounds is shown only when emptyRounds says so (as each report always has).
     */
    static String rateLine(final Target t, final String extra, final boolean emptyRounds)
    {
        final Map<String, Object> f = t.fields();
        final String perRound = f.get("per_round") instanceof List<?> list && (emptyRounds || !list.isEmpty())
            ? " (per round: " + String.join(", ", list.stream().map(n -> Fixed.of(((Target.Num)n).value(), 2)).toList()) + ")"
            : "";
        final double target = ((Target.Num)f.get("target")).value();
        return "- " + f.get("what") + ": " + plain(((Target.Num)f.get("a")).value()) + " / "
            + plain(((Target.Num)f.get("b")).value()) + " = **" + Fixed.of(((Target.Num)f.get("ratio")).value(), 2) + "x**"
            + perRound + extra + (target > 0 ? "; target >= " + plain(target) + "x: " + t.verdict() : "");
    }

    /** "target met: true|false|no verdict". */
    static String metLine(final Boolean met)
    {
        return "target met: " + (met == null ? "no verdict" : met.toString());
    }

    /** The warm runs' commands, each once, sorted: "`command` (proxy command); ...". */
    String commandsLine()
    {
        final TreeSet<String> commands = new TreeSet<>();
        runs.all().stream().filter(run -> "warm".equals(run.text("kind")))
            .forEach(run -> commands.add("`" + run.text("command") + "` (" + run.text("proxy_command") + ")"));
        return "Commands: " + String.join("; ", commands);
    }

    /** The layout line's budget words: "; its CPU time from its cgroup's account" is the caller's. */
    static String budget(final Context c)
    {
        return c.text("proxy_cpu_pct") + " % of it (CFS quota per " + c.text("cpu_budget_period_us") + " us period"
            + ("100".equals(c.text("proxy_cpu_pct")) ? ", no cgroup" : "") + ")";
    }

    /** A peer's warm and cold rates: medians as whole numbers, cold over warm to two places. */
    record PeerRates(String proxy, Summary rps, double coldRps, double coldOverWarm)
    {
        boolean direct()
        {
            return DIRECT.equals(proxy);
        }
    }

    /** A peer's checks before it was measured: all passed, the failures, and the check runs. */
    record Checked(boolean verified, List<String> failures, List<Run> runs)
    {
        String failuresText()
        {
            return "no: " + String.join("; ", failures);
        }
    }
}
