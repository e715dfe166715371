package io.sluice.bench.report;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The runs of one report, and the figures over a chosen subset of them. */
public final class RunSet
{
    private final List<Run> runs;

    public RunSet(final List<Run> runs)
    {
        this.runs = List.copyOf(runs);
    }

    public List<Run> all()
    {
        return runs;
    }

    /** The successful runs the predicate selects. */
    public List<Run> ok(final Predicate<Run> which)
    {
        return runs.stream().filter(Run::ok).filter(which).toList();
    }

    public Summary summary(final Predicate<Run> which, final String field)
    {
        return Summary.of(ok(which).stream().map(run -> run.number(field)).toList());
    }

    public double sum(final Predicate<Run> which, final String field)
    {
        return ok(which).stream().mapToDouble(run -> run.number(field)).sum();
    }

    public boolean any(final Predicate<Run> which)
    {
        return runs.stream().anyMatch(which);
    }

    public Optional<Run> first(final Predicate<Run> which)
    {
        return runs.stream().filter(which).findFirst();
    }

    public static Predicate<Run> where(final String field, final String value)
    {
        return run -> value.equals(run.text(field));
    }
}
