package io.sluice.l7.auth;

import io.sluice.l7.config.AuthSettings;
import io.sluice.l7.filter.RequestFilter;

/** Makes a route's authentication filter from its {@code auth:}. */
public final class Authentication
{
    private Authentication()
    {
    }

    /** The route's filter; a JWT one with a JWKS URL starts fetching its keys now. */
    public static RequestFilter filter(final String route, final AuthSettings settings)
    {
        if (settings.apiKeys() != null)
        {
            return new ApiKeyFilter(route, settings.apiKeys());
        }
        final AuthSettings.Jwt jwt = settings.jwt();
        final KeySource keys;
        if (jwt.jwks() != null)
        {
            keys = new RemoteKeys(route, jwt.jwks(), jwt.fetch(), System::nanoTime);
        }
        else
        {
            final KeySet fileKeys = KeySet.of(jwt.fileKeys());
            keys = () -> fileKeys;
        }
        return new JwtFilter(route, jwt, keys, System::currentTimeMillis);
    }
}
