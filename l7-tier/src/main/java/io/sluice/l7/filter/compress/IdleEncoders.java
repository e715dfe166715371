package io.sluice.l7.filter.compress;

import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The encoders of one coding that this thread's responses are done with, kept by level for its
 * next responses: making a zlib deflater allocates a few hundred KiB of native memory (a zstd
 * context, a few MiB) and clears it, and giving the memory back at each response's end hands it
 * to malloc to allocate again at the next; a reset one starts a new stream in the same memory,
 * as nginx's zlib state comes from its pool. An event loop compresses many responses at once, a
 * chunk of each in turn, so it keeps a few per level; one more than that is ended when given
 * back, so a thread holds at most {@code idlePerLevel} idle per level in use, and a thread's are
 * ended when its event loop ends (Netty removes its thread-locals then).
 */
final class IdleEncoders<E>
{
    private final FastThreadLocal<List<ArrayDeque<E>>> idle;
    private final int idlePerLevel;
    private final Consumer<E> end;

    /**
     * @param maxLevel     the highest level asked for.
     * @param idlePerLevel how many a thread keeps idle per level: their memory is held while they wait.
     * @param end          frees an encoder for good.
     */
    IdleEncoders(final int maxLevel, final int idlePerLevel, final Consumer<E> end)
    {
        this.idlePerLevel = idlePerLevel;
        this.end = end;
        idle = new FastThreadLocal<>()
        {
            @Override
            protected List<ArrayDeque<E>> initialValue()
            {
                final List<ArrayDeque<E>> byLevel = new ArrayList<>(maxLevel + 1);
                for (int level = 0; level <= maxLevel; level++)
                {
                    byLevel.add(new ArrayDeque<>(idlePerLevel));
                }
                return byLevel;
            }

            @Override
            protected void onRemoval(final List<ArrayDeque<E>> byLevel)
            {
                for (final ArrayDeque<E> encoders : byLevel)
                {
                    encoders.forEach(end);
                    encoders.clear();
                }
            }
        };
    }

    /** An idle encoder of {@code level}, reset by whoever gave it back, or null when this thread has none. */
    E take(final int level)
    {
        return idle.get().get(level).pollFirst();
    }

    /** {@code encoder}, reset to start a new stream at {@code level}, for this thread's next response; or ended. */
    void giveBack(final int level, final E encoder)
    {
        final ArrayDeque<E> encoders = idle.get().get(level);
        if (encoders.size() < idlePerLevel)
        {
            encoders.addFirst(encoder);
        }
        else
        {
            end.accept(encoder);
        }
    }

    /** How many this thread keeps idle at {@code level}. */
    int idleCount(final int level)
    {
        return idle.get().get(level).size();
    }
}
