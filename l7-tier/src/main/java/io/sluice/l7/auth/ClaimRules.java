package io.sluice.l7.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.sluice.l7.config.AuthSettings;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a route does with a valid token's claims: its {@code require} (each named claim must hold
 * one of the listed values), its {@code claims_to_headers} (the headers the backend reads them
 * in, always cleared of what the client sent, so no client can forge them), and the claims an
 * {@code Identity} carries (those whose values are strings, numbers or booleans).
 */
final class ClaimRules
{
    /** The claim OAuth scopes are in, as one space-separated string (RFC 8693 4.2). */
    private static final String SCOPE = "scope";

    private final Map<String, List<String>> require;
    private final String[] claims;
    private final AsciiString[] headers;

    ClaimRules(final AuthSettings.Jwt settings)
    {
        require = settings.require();
        claims = settings.claimsToHeaders().keySet().toArray(new String[0]);
        headers = new AsciiString[claims.length];
        for (int i = 0; i < claims.length; i++)
        {
            headers[i] = AsciiString.cached(settings.claimsToHeaders().get(claims[i]));
        }
    }

    /** The claim headers as the client sent them go, whatever becomes of the request. */
    void clearHeaders(final HttpHeaders request)
    {
        for (final AsciiString header : headers)
        {
            request.remove(header);
        }
    }

    /** The first required claim the token lacks a listed value of, or null when it has them all. */
    String unmetRequirement(final JWTClaimsSet token)
    {
        for (final Map.Entry<String, List<String>> required : require.entrySet())
        {
            if (!holds(token.getClaim(required.getKey()), required.getKey(), required.getValue()))
            {
                return required.getKey();
            }
        }
        return null;
    }

    private static boolean holds(final Object value, final String claim, final List<String> allowed)
    {
        if (value instanceof Collection<?> values)
        {
            return values.stream().anyMatch(item -> allowed.contains(String.valueOf(item)));
        }
        if (value instanceof String text && SCOPE.equals(claim))
        {
            return List.of(text.split(" ")).stream().anyMatch(allowed::contains);
        }
        return value != null && allowed.contains(String.valueOf(value));
    }

    /**
     * Sets each claim's header ({@code claims_to_headers}) to its value (a list's items joined by commas).
     *
     * @return the first claim whose value no header may hold (a control character), or null when all were set.
     */
    String setHeaders(final JWTClaimsSet token, final HttpHeaders request)
    {
        for (int i = 0; i < claims.length; i++)
        {
            final Object value = token.getClaim(claims[i]);
            if (value == null)
            {
                continue;
            }
            final String text = value instanceof Collection<?> values ?
                String.join(", ", values.stream().map(String::valueOf).toList()) : String.valueOf(value);
            if (!headerValue(text))
            {
                return claims[i];
            }
            request.set(headers[i], text);
        }
        return null;
    }

    private static boolean headerValue(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    /** The claims an identity carries: strings, numbers and booleans, as text. */
    static Map<String, String> scalarClaims(final JWTClaimsSet token)
    {
        final Map<String, String> scalars = new HashMap<>();
        token.getClaims().forEach((name, value) ->
        {
            if (value instanceof String || value instanceof Number || value instanceof Boolean)
            {
                scalars.put(name, String.valueOf(value));
            }
        });
        return scalars;
    }
}
