package io.sluice.lab;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A command as a person would type it into a shell: the words a shell leaves alone as they are,
 * any other in single quotes. The demo echoes what it runs this way, so a reader can paste it.
 */
public final class CommandText
{
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private CommandText()
    {
    }

    public static String of(final List<String> command)
    {
        return command.stream().map(CommandText::word).collect(Collectors.joining(" "));
    }

    static String word(final String word)
    {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
