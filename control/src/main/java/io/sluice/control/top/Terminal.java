package io.sluice.control.top;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The terminal top draws on, with plain ANSI escape sequences and {@code stty} (no curses): it
 * switches to the alternate screen and hides the cursor, puts the terminal in raw mode (no echo,
 * no line editing: keys arrive as they are typed), reads them on a thread of its own, and draws whole frames from the
 * top-left corner. {@link #close} puts everything back as it was ({@code stty} with the settings
 * saved at the start), and so does a shutdown hook: after {@code q}, Ctrl-C, SIGTERM or an error,
 * the user's shell gets its terminal back.
 *
 * <p>Unlike {@code stty raw} it keeps ISIG: Ctrl-C stays a signal, so it ends top through the same
 * shutdown hook as SIGTERM instead of being one more key to interpret.
 */
public final class Terminal implements AutoCloseable
{
    private static final String ESC = "\u001b[";
    private static final String ALTERNATE_SCREEN = ESC + "?1049h";
    private static final String MAIN_SCREEN = ESC + "?1049l";
    private static final String HIDE_CURSOR = ESC + "?25l";
    private static final String SHOW_CURSOR = ESC + "?25h";
    private static final String HOME = ESC + "H";
    private static final String CLEAR_SCREEN = ESC + "2J";
    private static final String CLEAR_TO_END_OF_LINE = ESC + "K";
    private static final String CLEAR_TO_END_OF_SCREEN = ESC + "J";
    /** Until {@code stty size} answers: the classic terminal. */
    private static final int DEFAULT_WIDTH = 80;
    private static final int DEFAULT_HEIGHT = 24;

    private final PrintStream out;
    private final String savedSettings;
    private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
    private final AtomicBoolean restored = new AtomicBoolean();
    private final Thread restoreOnExit = new Thread(this::restore, "sluice-top-restore");

    private Terminal(final PrintStream out, final String savedSettings)
    {
        this.out = out;
        this.savedSettings = savedSettings;
    }

    /**
     * Takes over the terminal on this process's standard input and output.
     *
     * @throws IllegalStateException when standard input is not a terminal.
     */
    public static Terminal open()
    {
        final String saved = stty("-g");
        if (saved == null)
        {
            throw new IllegalStateException("standard input is not a terminal");
        }
        final Terminal terminal = new Terminal(new PrintStream(System.out, false, StandardCharsets.UTF_8), saved.strip());
        Runtime.getRuntime().addShutdownHook(terminal.restoreOnExit);
        stty("-icanon", "-echo", "min", "1", "time", "0");
        terminal.out.print(ALTERNATE_SCREEN + HIDE_CURSOR + CLEAR_SCREEN);
        terminal.out.flush();
        final Thread reader = new Thread(() -> terminal.readKeys(System.in), "sluice-top-keys");
        reader.setDaemon(true);
        reader.start();
        return terminal;
    }

    /** @return the next key typed within {@code timeoutMs}, or -1 when none was. */
    public int nextKey(final long timeoutMs) throws InterruptedException
    {
        final Integer key = keys.poll(timeoutMs, TimeUnit.MILLISECONDS);
        return key == null ? -1 : key;
    }

    /** {@code {columns, rows}} as the terminal has them now (it may have been resized). */
    public int[] size()
    {
        final String size = stty("size");
        if (size != null)
        {
            final String[] rowsAndColumns = size.strip().split("\\s+");
            if (rowsAndColumns.length == 2)
            {
                try
                {
                    final int rows = Integer.parseInt(rowsAndColumns[0]);
                    final int columns = Integer.parseInt(rowsAndColumns[1]);
                    if (rows > 0 && columns > 0)
                    {
                        return new int[]{ columns, rows };
                    }
                }
                catch (final NumberFormatException ex)
                {
                    // Not what stty prints: fall back to the classic size below.
                }
            }
        }
        return new int[]{ DEFAULT_WIDTH, DEFAULT_HEIGHT };
    }

    /** Draws a frame: each line over the old one, the rest of the old frame cleared. */
    public void draw(final List<String> lines)
    {
        final StringBuilder frame = new StringBuilder(HOME);
        for (int i = 0; i < lines.size(); i++)
        {
            frame.append(lines.get(i)).append(CLEAR_TO_END_OF_LINE);
            if (i < lines.size() - 1)
            {
                frame.append("\r\n");
            }
        }
        frame.append(CLEAR_TO_END_OF_SCREEN);
        out.print(frame);
        out.flush();
    }

    private void readKeys(final InputStream in)
    {
        try
        {
            int key;
            while ((key = in.read()) >= 0)
            {
                keys.add(key);
            }
        }
        catch (final IOException ex)
        {
            // The terminal went away: top quits as if q had been typed.
        }
        keys.add((int)'q');
    }

    /** Back to the main screen, cursor shown, the settings saved at the start; once, whoever comes first. */
    private void restore()
    {
        if (restored.compareAndSet(false, true))
        {
            out.print(SHOW_CURSOR + MAIN_SCREEN);
            out.flush();
            stty(savedSettings);
        }
    }

    @Override
    public void close()
    {
        restore();
        try
        {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        }
        catch (final IllegalStateException ex)
        {
            // Already shutting down: the hook runs and finds the terminal restored.
        }
    }

    /**
     * Runs {@code stty ARGS} on this process's terminal (its standard input).
     *
     * @return what it printed, or null when it failed (no terminal).
     */
    private static String stty(final String... args)
    {
        final String[] command = new String[args.length + 1];
        command[0] = "stty";
        System.arraycopy(args, 0, command, 1, args.length);
        try
        {
            final Process process = new ProcessBuilder(command)
                .redirectInput(Redirect.INHERIT)
                .redirectError(Redirect.DISCARD)
                .start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? output : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
