package io.sluice.l7.filter;

import java.util.Map;

/**
 * Who a request is from, as an authentication filter of its route established it: a verified
 * token's subject and claims, or the name of the API key it showed. Later filters key on it (a
 * rate limit per user), and the access log records {@link #name()}, never the secret itself.
 *
 * @param scheme how the identity was proven: {@code jwt} or {@code api_key}.
 * @param name   the token's subject ({@code sub}) or the API key's name.
 * @param claims the token's claims whose values are strings or numbers, as strings; empty for an API key.
 */
public record Identity(String scheme, String name, Map<String, String> claims)
{
    public Identity
    {
        claims = Map.copyOf(claims);
    }
}
