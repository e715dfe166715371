package io.sluice.control.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The host's files read under a root path: {@code /} on a host, a directory holding a fake
 * /proc and /sys tree in tests. A file that is missing or unreadable reads as empty: to a check
 * that is a finding (no such sysctl, no such interface), not an error.
 */
public final class HostFiles
{
    private final Path root;

    public HostFiles(final Path root)
    {
        this.root = root;
    }

    /** @param path absolute, as on the host (e.g. {@code /proc/sys/net/ipv4/ip_forward}). */
    public Optional<String> read(final String path)
    {
        try
        {
            return Optional.of(Files.readString(resolve(path)).strip());
        }
        catch (final IOException | RuntimeException ex)
        {
            return Optional.empty();
        }
    }

    /** @return the file's content as a number, empty when it is missing or not one. */
    public OptionalInt readInt(final String path)
    {
        final Optional<String> text = read(path);
        if (text.isEmpty())
        {
            return OptionalInt.empty();
        }
        try
        {
            return OptionalInt.of(Integer.parseInt(text.get().split("\\s+")[0]));
        }
        catch (final NumberFormatException ex)
        {
            return OptionalInt.empty();
        }
    }

    public boolean exists(final String path)
    {
        return Files.exists(resolve(path));
    }

    /** @return the names in a directory, sorted; empty when it is missing. */
    public List<String> list(final String directory)
    {
        try (Stream<Path> entries = Files.list(resolve(directory)))
        {
            return entries.map((entry) -> entry.getFileName().toString()).sorted().toList();
        }
        catch (final IOException | RuntimeException ex)
        {
            return List.of();
        }
    }

    private Path resolve(final String path)
    {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }
}
