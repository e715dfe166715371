package io.sluice.control.top;

import java.util.List;

/**
 * The live screen: samples its sources every interval, draws the rates between the last two
 * samples, re-draws at once in another order when a sort key is typed, and ends on {@code q}.
 */
public final class LiveTop
{
    private final TopSources sources;
    private final Terminal terminal;
    private final long intervalMs;
    private SortKey sort = SortKey.PACKETS;
    private TopSnapshot shown;

    public LiveTop(final TopSources sources, final Terminal terminal, final long intervalMs)
    {
        this.sources = sources;
        this.terminal = terminal;
        this.intervalMs = intervalMs;
    }

    /** Runs until {@code q} (or the terminal goes away). */
    public void run() throws InterruptedException
    {
        TopSources.Sample previous = sources.sample(false);
        draw();
        long nextSampleMs = System.currentTimeMillis() + intervalMs;
        while (true)
        {
            final long waitMs = nextSampleMs - System.currentTimeMillis();
            if (waitMs > 0)
            {
                final int key = terminal.nextKey(waitMs);
                if (key == 'q' || key == 'Q')
                {
                    return;
                }
                final SortKey typed = SortKey.ofKey(key);
                if (typed != null)
                {
                    sort = typed;
                    draw();
                }
                continue;
            }
            final TopSources.Sample current = sources.sample(false);
            shown = sources.snapshot(previous, current);
            previous = current;
            nextSampleMs += intervalMs;
            draw();
        }
    }

    private void draw()
    {
        final int[] size = terminal.size();
        final List<String> screen = TopRenderer.screen(shown, sort, intervalMs / 1000.0, size[0], size[1]);
        terminal.draw(screen);
    }
}
