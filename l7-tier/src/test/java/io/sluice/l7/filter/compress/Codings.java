package io.sluice.l7.filter.compress;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/** A body decoded by each coding's own decoder (the JDK's gzip, brotli4j's and zstd-jni's streams), as a client would. */
public final class Codings
{
    private Codings()
    {
    }

    /** @param contentEncoding the response's Content-Encoding, or null for a body as it is. */
    public static byte[] decode(final String contentEncoding, final byte[] body)
    {
        if (contentEncoding == null)
        {
            return body;
        }
        try (InputStream in = decoder(contentEncoding, new ByteArrayInputStream(body)))
        {
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static InputStream decoder(final String contentEncoding, final InputStream in) throws IOException
    {
        return switch (contentEncoding)
        {
            case "gzip" -> new GZIPInputStream(in);
            case "br" ->
            {
                Brotli4jLoader.ensureAvailability();
                yield new BrotliInputStream(in);
            }
            case "zstd" -> new ZstdInputStream(in);
            default -> throw new IllegalArgumentException("no decoder for " + contentEncoding);
        };
    }
}
