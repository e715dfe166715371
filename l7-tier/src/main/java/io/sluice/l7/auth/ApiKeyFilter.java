package io.sluice.l7.auth;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.AuthSettings;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.metrics.AuthMetrics;
import io.sluice.l7.metrics.AuthRefusal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code auth.api_keys}: a request goes on only with a key whose SHA-256 is in the route's file;
 * the context's identity becomes {@code api_key} and the key's name. The proxy holds hashes only,
 * and compares the hash of the key shown with every hash it knows, each in constant time and
 * without stopping at a match, so how long the check takes says nothing of which hash came close.
 */
final class ApiKeyFilter implements RequestFilter
{
    static final String SCHEME = "ApiKey";

    private final String route;
    private final String[] names;
    private final byte[][] hashes;
    private final CredentialLocation location;

    ApiKeyFilter(final String route, final AuthSettings.ApiKeys settings)
    {
        this.route = route;
        names = new String[settings.hashes().size()];
        hashes = new byte[names.length][];
        int i = 0;
        for (final Map.Entry<String, String> key : settings.hashes().entrySet())
        {
            names[i] = key.getKey();
            hashes[i] = HexFormat.of().parseHex(key.getValue());
            i++;
        }
        location = new CredentialLocation(settings.source(), SCHEME, route);
    }

    @Override
    public Outcome onRequest(final HttpRequest request, final FilterContext context)
    {
        final AuthMetrics.Route metrics = context.metrics().auth().route(route);
        final String key = location.findOrAnswer(request, context, metrics);
        if (key == null)
        {
            return Outcome.ANSWERED;
        }
        final String name = nameOf(key);
        if (name == null)
        {
            metrics.refused(AuthRefusal.UNKNOWN_API_KEY);
            context.answer(AuthAnswers.invalid(SCHEME, route, "unknown API key"));
            return Outcome.ANSWERED;
        }
        context.identity(new Identity("api_key", name, Map.of()));
        metrics.accepted();
        return Outcome.CONTINUE;
    }

    /** The name of the key whose hash is {@code key}'s, or null. */
    private String nameOf(final String key)
    {
        final byte[] hash = sha256().digest(key.getBytes(StandardCharsets.UTF_8));
        String name = null;
        for (int i = 0; i < hashes.length; i++)
        {
            if (MessageDigest.isEqual(hash, hashes[i]))
            {
                name = names[i];
            }
        }
        return name;
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }
}
