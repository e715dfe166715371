package io.sluice.l7.tls;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a certificate is chosen by, read from the client's ClientHello (RFC 8446 4.1.2, RFC 5246
 * 7.4.1.2) before any TLS engine sees it: the name it asks for (SNI), whether it offers TLS 1.3,
 * its cipher suites, signature algorithms and groups. Read strictly, as BoringSSL reads it: every
 * length must add up, no extension twice, exactly one host name; anything else is a
 * {@link MalformedClientHelloException}, and the handshake is refused rather than guessed at.
 *
 * @param serverName         lower case, or null when the client sent none.
 * @param offersTls13        whether supported_versions lists TLS 1.3.
 * @param cipherSuites       their code points, in the client's order.
 * @param signatureSchemes   signature_algorithms' code points, or null when the client sent none.
 * @param groups             supported_groups' code points, or null when the client sent none.
 */
record ClientHello(String serverName, boolean offersTls13, int[] cipherSuites, int[] signatureSchemes, int[] groups)
{
    private static final int SERVER_NAME = 0;
    private static final int SUPPORTED_GROUPS = 10;
    private static final int SIGNATURE_ALGORITHMS = 13;
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int HOST_NAME = 0;
    private static final int TLS13 = 0x0304;
    private static final int RANDOM_BYTES = 32;
    private static final int MAX_SESSION_ID_BYTES = 32;
    private static final int MAX_HOST_NAME_BYTES = 255;
    /** More would be no ClientHello a client sends (each extension type once, and there are few). */
    private static final int MAX_EXTENSIONS = 64;

    /**
     * @param body the handshake message's body (after its type and length), as Netty's
     *             ClientHello handler gathers it; not released here.
     */
    static ClientHello parse(final ByteBuf body)
    {
        final Reader in = new Reader(body);
        in.skip(2 + RANDOM_BYTES, "legacy_version and random");
        in.skip(in.lengthBetween(0, MAX_SESSION_ID_BYTES, "legacy_session_id"), "legacy_session_id");
        final int[] cipherSuites = in.codes("cipher_suites");
        final int compressions = in.lengthBetween(1, 255, "legacy_compression_methods");
        boolean uncompressed = false;
        for (int i = 0; i < compressions; i++)
        {
            uncompressed |= in.u8("legacy_compression_methods") == 0;
        }
        if (!uncompressed)
        {
            throw new MalformedClientHelloException("legacy_compression_methods lacks null compression");
        }
        String serverName = null;
        boolean offersTls13 = false;
        int[] signatureSchemes = null;
        int[] groups = null;
        if (in.remaining() > 0)
        {
            final int extensionsEnd = in.end(in.u16("extensions"), "extensions");
            in.mustEndAt(extensionsEnd, "extensions");
            final int[] seen = new int[MAX_EXTENSIONS];
            int count = 0;
            while (in.at() < extensionsEnd)
            {
                final int type = in.u16("an extension's type");
                for (int i = 0; i < count; i++)
                {
                    if (seen[i] == type)
                    {
                        throw new MalformedClientHelloException("extension " + type + " appears twice");
                    }
                }
                if (count == MAX_EXTENSIONS)
                {
                    throw new MalformedClientHelloException("more than " + MAX_EXTENSIONS + " extensions");
                }
                seen[count++] = type;
                final int end = in.end(in.u16("extension " + type), "extension " + type);
                switch (type)
                {
                    case SERVER_NAME -> serverName = serverName(in, end);
                    case SUPPORTED_VERSIONS ->
                    {
                        for (final int version : in.list(1, end, "supported_versions"))
                        {
                            offersTls13 |= version == TLS13;
                        }
                    }
                    case SIGNATURE_ALGORITHMS -> signatureSchemes = in.list(2, end, "signature_algorithms");
                    case SUPPORTED_GROUPS -> groups = in.list(2, end, "supported_groups");
                    default -> in.skip(end - in.at(), "extension " + type);
                }
                if (in.at() != end)
                {
                    throw new MalformedClientHelloException("extension " + type + " has bytes after its contents");
                }
            }
        }
        return new ClientHello(serverName, offersTls13, cipherSuites, signatureSchemes, groups);
    }

    /** RFC 6066 3: a list of one host name, ASCII, without a trailing dot. */
    private static String serverName(final Reader in, final int end)
    {
        in.mustEndAt(in.end(in.u16("server_name_list"), "server_name_list"), end, "server_name_list");
        if (in.u8("server_name's name_type") != HOST_NAME)
        {
            throw new MalformedClientHelloException("server_name's name is not a host_name");
        }
        final int length = in.u16("host_name");
        if (length == 0 || length > MAX_HOST_NAME_BYTES || in.at() + length != end)
        {
            throw new MalformedClientHelloException("server_name holds other than one host name of 1 to 255 bytes");
        }
        final String name = in.ascii(length).toLowerCase(Locale.ROOT);
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'))
            {
                throw new MalformedClientHelloException("host_name holds a byte that is not in a host name");
            }
        }
        if (name.startsWith(".") || name.endsWith(".") || name.contains(".."))
        {
            throw new MalformedClientHelloException("host_name has an empty label");
        }
        return name;
    }

    /** Whether any of {@code codes} is in {@code offered} (null: nothing offered). */
    static boolean offersAny(final int[] offered, final int[] codes)
    {
        for (final int code : codes)
        {
            if (offers(offered, code))
            {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code code} is in {@code offered} (null: nothing offered). */
    static boolean offers(final int[] offered, final int code)
    {
        if (offered != null)
        {
            for (final int candidate : offered)
            {
                if (candidate == code)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** A cursor over the body that refuses to read past its end. */
    private static final class Reader
    {
        private final ByteBuf body;
        private final int limit;
        private int at;

        Reader(final ByteBuf body)
        {
            this.body = body;
            this.at = body.readerIndex();
            this.limit = body.writerIndex();
        }

        int at()
        {
            return at;
        }

        int remaining()
        {
            return limit - at;
        }

        int u8(final String what)
        {
            need(1, what);
            return body.getUnsignedByte(at++);
        }

        int u16(final String what)
        {
            need(2, what);
            final int value = body.getUnsignedShort(at);
            at += 2;
            return value;
        }

        void skip(final int bytes, final String what)
        {
            need(bytes, what);
            at += bytes;
        }

        String ascii(final int bytes)
        {
            final String text = body.toString(at, bytes, StandardCharsets.ISO_8859_1);
            at += bytes;
            return text;
        }

        /** A one-byte length, at least {@code min} and at most {@code max}. */
        int lengthBetween(final int min, final int max, final String what)
        {
            final int length = u8(what);
            if (length < min || length > max)
            {
                throw new MalformedClientHelloException(what + " is " + length + " bytes");
            }
            return length;
        }

        /** Where something of {@code length} bytes starting here ends, which must be within the body. */
        int end(final int length, final String what)
        {
            need(length, what);
            return at + length;
        }

        void mustEndAt(final int end, final String what)
        {
            mustEndAt(end, limit, what);
        }

        void mustEndAt(final int end, final int expected, final String what)
        {
            if (end != expected)
            {
                throw new MalformedClientHelloException(what + " does not end where its container does");
            }
        }

        /** A non-empty list of 2-byte codes behind a 2-byte length ({@code cipher_suites}). */
        int[] codes(final String what)
        {
            final int length = u16(what);
            need(length, what);
            return read(length, what);
        }

        /** Such a list, behind a {@code lengthBytes}-byte length, that must fill its extension, up to {@code end}. */
        int[] list(final int lengthBytes, final int end, final String what)
        {
            final int length = lengthBytes == 1 ? u8(what) : u16(what);
            if (at + length != end)
            {
                throw new MalformedClientHelloException(what + "'s length does not fill its extension");
            }
            return read(length, what);
        }

        private int[] read(final int length, final String what)
        {
            if (length == 0 || length % 2 != 0)
            {
                throw new MalformedClientHelloException(what + " is " + length + " bytes, not a non-empty list of 2-byte codes");
            }
            final int[] codes = new int[length / 2];
            for (int i = 0; i < codes.length; i++)
            {
                codes[i] = body.getUnsignedShort(at);
                at += 2;
            }
            return codes;
        }

        private void need(final int bytes, final String what)
        {
            if (limit - at < bytes)
            {
                throw new MalformedClientHelloException(what + " is cut short");
            }
        }
    }
}
