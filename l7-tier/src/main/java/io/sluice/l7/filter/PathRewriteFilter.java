package io.sluice.l7.filter;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Rewrite;
import io.sluice.l7.http.RequestTarget;

import java.util.regex.Pattern;

/**
 * A route's {@link Rewrite} of the path on its way to the pool: the matched prefix replaced
 * ({@code /api/} to {@code /v1/}), then every match of a regular expression substituted. The
 * query string, and the scheme and authority of an absolute-form target, are kept as they are.
 * The {@code rewrite} filter.
 */
final class PathRewriteFilter implements RequestFilter
{
    private final String matchedPrefix;
    private final String replacementPrefix;
    private final Pattern regex;
    private final String substitution;

    /** @param pathPrefix the route's prefix path match, or null when its path match is not a prefix. */
    PathRewriteFilter(final String route, final Rewrite rewrite, final String pathPrefix)
    {
        if (rewrite.prefix() != null && pathPrefix == null)
        {
            // Without a prefix match there is no "matched prefix" to replace; refusing beats ignoring it.
            throw new IllegalArgumentException("route '" + route + "': a prefix rewrite needs a prefix path match");
        }
        matchedPrefix = rewrite.prefix() == null ? null : pathPrefix;
        replacementPrefix = rewrite.prefix();
        regex = rewrite.regex();
        substitution = rewrite.substitution() == null ? "" : rewrite.substitution();
    }

    @Override
    public Outcome onRequest(final HttpRequest request, final FilterContext context)
    {
        final String uri = request.uri();
        final String rewritten = rewrite(uri);
        if (!rewritten.equals(uri))
        {
            request.setUri(rewritten);
        }
        return Outcome.CONTINUE;
    }

    /** The target for the pool; {@code uri} itself when unchanged. */
    String rewrite(final String uri)
    {
        final RequestTarget target = RequestTarget.parse(uri);
        final String path = uri.substring(target.pathStart(), target.pathEnd());
        String rewritten = path;
        if (matchedPrefix != null && rewritten.startsWith(matchedPrefix))
        {
            rewritten = replacementPrefix + rewritten.substring(matchedPrefix.length());
        }
        if (regex != null)
        {
            rewritten = regex.matcher(rewritten).replaceAll(substitution);
        }
        if (rewritten.equals(path))
        {
            return uri;
        }
        if (rewritten.isEmpty() || rewritten.charAt(0) != '/')
        {
            // "/api" with prefix "/api" replaced by "": the backend still needs an origin-form path.
            rewritten = "/" + rewritten;
        }
        return uri.substring(0, target.pathStart()) + rewritten + uri.substring(target.pathEnd());
    }
}
