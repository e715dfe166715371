package io.sluice.l7.filter.compress;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.github.luben.zstd.util.Native;
import io.sluice.l7.config.ContentCoding;

/**
 * Whether a coding's native library loads on this machine, checked when a route is made: a
 * configuration that names br or zstd where its library cannot load is refused then, instead
 * of failing the first response.
 */
final class NativeCodecs
{
    private NativeCodecs()
    {
    }

    /** @throws IllegalArgumentException naming the route and the library's reason. */
    static void check(final String route, final ContentCoding coding)
    {
        try
        {
            switch (coding)
            {
                case BROTLI -> Brotli4jLoader.ensureAvailability();
                case ZSTD -> Native.load();
                case GZIP ->
                {
                    // the JDK's zlib, always there
                }
            }
        }
        catch (final RuntimeException | LinkageError ex)
        {
            throw new IllegalArgumentException("route '" + route + "': compress " + coding.token()
                + ": its native library does not load here: " + ex.getMessage(), ex);
        }
    }
}
