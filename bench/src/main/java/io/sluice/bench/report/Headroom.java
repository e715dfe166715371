package io.sluice.bench.report;

/**
 * Whether a run may give a verdict at all: the load generator's ceiling ("direct", the generator
 * straight at a backend) must reach at least twice the best peer's median rate; nearer than
 * that, the generator's CPU may be what limits every peer, and a ratio between peers says
 * nothing about them. Without the ceiling the headroom is unknown: no verdict either.
 */
public record Headroom(State state, double direct, String bestPeer, double best, double ratio)
{
    public static final double RULE = 2.0;

    public enum State
    {
        OK("ok"), GENERATOR_BOUND("generator-bound"), UNKNOWN("unknown"), NO_PEER_MEASURED("no proxy measured");

        private final String text;

        State(final String text)
        {
            this.text = text;
        }

        public String text()
        {
            return text;
        }
    }

    /** direct: the ceiling's median rate (0 when not measured); best: the best peer's median rate (0 when none). */
    public static Headroom of(final double direct, final String bestPeer, final double best)
    {
        if (best == 0)
        {
            return new Headroom(State.NO_PEER_MEASURED, direct, bestPeer, best, 0);
        }
        if (direct == 0)
        {
            return new Headroom(State.UNKNOWN, direct, bestPeer, best, 0);
        }
        final double ratio = Fixed.rounded(direct / best, 2);
        return new Headroom(direct >= RULE * best ? State.OK : State.GENERATOR_BOUND, direct, bestPeer, best, ratio);
    }

    public boolean allowsVerdict()
    {
        return state == State.OK;
    }

    /** "met" or "not met" for a comparison, or "no verdict" when the headroom does not allow one. */
    public String verdict(final boolean comparisonHolds)
    {
        if (!allowsVerdict())
        {
            return Verdict.NO_VERDICT;
        }
        return comparisonHolds ? Verdict.MET : Verdict.NOT_MET;
    }

    /** The headroom as the result files' JSON gives it, an object named NAME. */
    public void write(final JsonOut json, final String name)
    {
        json.startObject(name).number("direct_rps", direct, 0).text("best_proxy", bestPeer).number("best_rps", best, 0)
            .number("ratio", ratio, ratio == 0 ? 0 : 2).text("state", state.text()).endObject();
    }
}
