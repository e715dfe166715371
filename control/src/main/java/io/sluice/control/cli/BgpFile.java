package io.sluice.control.cli;

import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.bgp.BgpConfigReader;
import io.sluice.forwarder.config.ConfigException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The file of {@code sluice forwarder --bgp FILE}: YAML read into maps and lists here, checked by
 * the forwarder's {@link BgpConfigReader}. Every problem is one line naming the file.
 */
final class BgpFile
{
    private BgpFile()
    {
    }

    /** @throws ConfigException {@code bgp.yaml: neighbors[0].as: 'x' is not an AS number (1-4294967295)}. */
    static BgpConfig read(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(file + ": no such file");
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file + ": " + ex.getMessage());
        }
        return parse(text, file.toString());
    }

    static BgpConfig parse(final String text, final String source)
    {
        final Object root;
        try
        {
            root = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setLabel(source).build()).loadFromString(text);
        }
        catch (final YamlEngineException ex)
        {
            throw new ConfigException(source + ": not YAML: " + String.join(" ", ex.getMessage().strip().split("\\s*\\n\\s*")));
        }
        if (root == null)
        {
            throw new ConfigException(source + ": empty; needs local_as, router_id and neighbors");
        }
        return BgpConfigReader.read(root, source);
    }
}
