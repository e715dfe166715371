package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.ConfigText;
import io.sluice.forwarder.config.ForwarderConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Keeps the configuration in one file that is always whole: a new version is written to a
 * temporary file in the same directory, forced to disk, renamed over the old one (atomic on
 * the same file system) and the directory forced, so a crash at any moment leaves either the
 * old or the new configuration, never a mix.
 */
public final class ConfigFileStore
{
    /** The configuration's file name in the forwarder's state directory. */
    public static final String DEFAULT_FILE_NAME = "forwarder.conf";

    private final Path file;

    public ConfigFileStore(final Path file)
    {
        this.file = file;
    }

    public Path file()
    {
        return file;
    }

    /**
     * @return the stored configuration, or {@link ForwarderConfig#EMPTY} when there is no file yet.
     * @throws io.sluice.forwarder.config.ConfigException naming the file and line of the first bad line.
     * @throws UncheckedIOException when the file exists but cannot be read.
     */
    public ForwarderConfig load()
    {
        if (!Files.exists(file))
        {
            return ForwarderConfig.EMPTY;
        }
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + describe(ex), ex);
        }
        return ConfigText.parse(text, file.toString());
    }

    /** @throws UncheckedIOException with a one-line message when the file cannot be written. */
    public void save(final ForwarderConfig config)
    {
        final Path directory = file.toAbsolutePath().getParent();
        final Path temporary = directory.resolve(file.getFileName() + ".tmp");
        try
        {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(temporary,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final ByteBuffer bytes = ByteBuffer.wrap(ConfigText.format(config).getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining())
                {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            moveIntoPlace(temporary);
            forceDirectory(directory);
        }
        catch (final IOException ex)
        {
            try
            {
                Files.deleteIfExists(temporary);
            }
            catch (final IOException ignored)
            {
                // The original failure is the one worth reporting.
            }
            throw new UncheckedIOException("cannot save the configuration to " + file + ": " + describe(ex), ex);
        }
    }

    private void moveIntoPlace(final Path temporary) throws IOException
    {
        try
        {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            throw new IOException("the file system of " + file + " cannot rename atomically", ex);
        }
    }

    /** Makes the rename itself durable; a file system that cannot sync a directory gets no worse. */
    private static void forceDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ignored)
        {
            // Some file systems refuse fsync on a directory; the rename has still happened.
        }
    }

    /** NIO's exceptions often carry only a path as their message; the class name says what went wrong. */
    private static String describe(final IOException ex)
    {
        return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : " " + ex.getMessage());
    }
}
