package io.sluice.l7.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A listener's {@code tls:} section; the files it names are read and checked by {@link TlsFiles}.
 */
final class TlsReader
{
    static final List<String> DEFAULT_ALPN = List.of("h2", "http/1.1");
    /** X25519 first (fast, and every current client has it), then the NIST curves clients without it use. */
    static final List<String> DEFAULT_GROUPS = List.of("X25519", "P-256", "P-384");
    private static final List<String> PROTOCOLS = List.of("h2", "http/1.1");
    private static final List<String> VERSIONS = List.of("1.2", "1.3");
    private static final List<String> GROUPS = List.of("X25519", "P-256", "P-384", "P-521");
    /** IANA cipher suite names, as both TLS providers take them. */
    private static final Pattern CIPHER = Pattern.compile("TLS_[A-Z0-9_]+");
    private static final Map<String, ListenerTls.ClientAuth> CLIENT_AUTH = Map.of(
        "none", ListenerTls.ClientAuth.NONE,
        "optional", ListenerTls.ClientAuth.OPTIONAL,
        "required", ListenerTls.ClientAuth.REQUIRED);

    private TlsReader()
    {
    }

    static ListenerTls tls(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("certificates", "sni", "alpn", "min_version", "ciphers", "groups",
            "client_auth", "client_ca", "ticket_keys", "hsts");
        final List<CertificateFile> certificates = new ArrayList<>();
        for (final ConfigNode item : fields.required("certificates").nonEmptyList("certificate"))
        {
            certificates.add(certificate(item));
        }
        TlsFiles.checkNamesUnique(certificates);
        final ConfigNode sni = fields.optional("sni");
        final boolean strict = sni != null && oneOf(sni, List.of("default", "strict")).equals("strict");
        final ConfigNode version = fields.optional("min_version");
        final ListenerTls.ClientAuth clientAuth = clientAuth(fields.optional("client_auth"));
        final ClientCa clientCa = clientCa(fields, clientAuth);
        final ConfigNode ticketKeys = fields.optional("ticket_keys");
        final ConfigNode hsts = fields.optional("hsts");
        return new ListenerTls(certificates, strict, distinct(fields.optional("alpn"), DEFAULT_ALPN, PROTOCOLS),
            version == null ? "1.2" : oneOf(version, VERSIONS), ciphers(fields.optional("ciphers")),
            distinct(fields.optional("groups"), DEFAULT_GROUPS, GROUPS), clientAuth, clientCa,
            ticketKeys == null ? null : TlsFiles.ticketKeys(ticketKeys.file(), ticketKeys.where()),
            hsts == null ? null : hsts.parse(TlsReader::hsts), node.where());
    }

    private static CertificateFile certificate(final ConfigNode item)
    {
        final ConfigMapping fields = item.mapping("cert", "key", "names", "ocsp");
        final Path cert = fields.required("cert").file();
        final Path key = fields.required("key").file();
        final ConfigNode ocsp = fields.optional("ocsp");
        final List<String> names = new ArrayList<>();
        final ConfigNode namesNode = fields.optional("names");
        if (namesNode != null)
        {
            for (final ConfigNode name : namesNode.nonEmptyList("name"))
            {
                final String parsed = name.parse(TlsFiles::hostName);
                if (names.contains(parsed))
                {
                    throw name.error("'" + parsed + "' is listed twice");
                }
                names.add(parsed);
            }
        }
        return TlsFiles.certificate(cert, key, names, ocsp == null ? null : ocsp.file(), item.where());
    }

    private static ListenerTls.ClientAuth clientAuth(final ConfigNode node)
    {
        return node == null ? ListenerTls.ClientAuth.NONE : CLIENT_AUTH.get(oneOf(node, List.of("none", "optional", "required")));
    }

    /** {@code client_ca} goes with {@code client_auth} optional or required, and only with them. */
    private static ClientCa clientCa(final ConfigMapping fields, final ListenerTls.ClientAuth clientAuth)
    {
        final ConfigNode node = fields.optional("client_ca");
        if (node == null)
        {
            if (clientAuth != ListenerTls.ClientAuth.NONE)
            {
                throw fields.node().childError("client_ca", "missing; client_auth " + clientAuth.name().toLowerCase(Locale.ROOT)
                    + " needs the CAs client certificates are checked against");
            }
            return null;
        }
        if (clientAuth == ListenerTls.ClientAuth.NONE)
        {
            throw node.error("client_auth is none (the default): set it to optional or required, or remove client_ca");
        }
        return TlsFiles.clientCa(node.file(), node.where());
    }

    private static List<String> ciphers(final ConfigNode node)
    {
        if (node == null)
        {
            return List.of();
        }
        final List<String> ciphers = new ArrayList<>();
        for (final ConfigNode item : node.nonEmptyList("cipher suite"))
        {
            final String cipher = item.text();
            if (!CIPHER.matcher(cipher).matches())
            {
                throw item.error("'" + cipher + "' is not a cipher suite's IANA name (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)");
            }
            if (ciphers.contains(cipher))
            {
                throw item.error("'" + cipher + "' is listed twice");
            }
            ciphers.add(cipher);
        }
        return ciphers;
    }

    /** A list of values from {@code allowed}, each once; absent, the default. */
    private static List<String> distinct(final ConfigNode node, final List<String> otherwise, final List<String> allowed)
    {
        if (node == null)
        {
            return otherwise;
        }
        final List<String> values = new ArrayList<>();
        for (final ConfigNode item : node.nonEmptyList(String.join(" or ", allowed)))
        {
            final String value = oneOf(item, allowed);
            if (values.contains(value))
            {
                throw item.error("'" + value + "' is listed twice");
            }
            values.add(value);
        }
        return values;
    }

    private static String oneOf(final ConfigNode node, final List<String> allowed)
    {
        final String text = node.text();
        if (!allowed.contains(text))
        {
            throw node.error("'" + text + "' is not " + String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or "
                + allowed.get(allowed.size() - 1));
        }
        return text;
    }

    /** A Strict-Transport-Security value: {@code max-age=N}, maybe with directives after it. */
    private static String hsts(final String text)
    {
        if (!text.startsWith("max-age="))
        {
            throw new IllegalArgumentException("'" + text
                + "' does not start with max-age= (max-age=31536000; includeSubDomains)");
        }
        return HttpSyntax.headerValue(text);
    }
}
