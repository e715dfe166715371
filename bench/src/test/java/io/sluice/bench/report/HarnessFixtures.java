package io.sluice.bench.report;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The compress, cache and gateway tests' runs (fixture files beside this class) and context. */
final class HarnessFixtures
{
    private HarnessFixtures()
    {
    }

    static List<Run> runs(final String name)
    {
        try
        {
            return Run.readAll(Path.of(HarnessFixtures.class.getResource(name).toURI()));
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** The context every harness gives, with the bench's own KEY=VALUE pairs. */
    static Context context(final String... own)
    {
        final List<String> pairs = new ArrayList<>(List.of("stamp=20261207T000000Z", "machine=2 CPUs", "virt=", "kernel=6.1",
            "jdk=25", "packages=nginx 1.22", "sluice_commit=abc1234", "load_average=0.1 0.2 0.3", "command=sudo bench/x",
            "seconds=10", "gen_cpu=0", "proxy_cpu=1", "proxy_cpu_pct=40", "cpu_budget_period_us=20000",
            "backend_command=nginx", "sluice_jvm_command=java", "sluice_transport=io_uring", "cold_s=10",
            "warmup_segments=14 3 3"));
        pairs.addAll(List.of(own));
        return Context.of(pairs);
    }

    static String text(final Consumer<PrintWriter> markdown)
    {
        final StringWriter out = new StringWriter();
        try (PrintWriter md = new PrintWriter(out))
        {
            markdown.accept(md);
        }
        return out.toString();
    }

    static String json(final Consumer<JsonOut> json)
    {
        final StringWriter out = new StringWriter();
        try (JsonOut writer = new JsonOut(out))
        {
            json.accept(writer);
        }
        return out.toString();
    }
}
