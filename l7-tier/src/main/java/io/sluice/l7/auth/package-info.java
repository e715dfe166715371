/**
 * Authentication as a route filter: a request proves who it is from with a signed JWT
 * ({@link io.sluice.l7.auth.JwtFilter}, keys from a file or a JWKS URL the proxy fetches without
 * blocking an event loop, {@link io.sluice.l7.auth.RemoteKeys}) or an API key known by its hash
 * ({@link io.sluice.l7.auth.ApiKeyFilter}); it is answered 401 (RFC 6750's
 * {@code WWW-Authenticate}) when it cannot, 403 when the route refuses who it is, and otherwise
 * goes on with its {@code Identity} on the filter context for the filters after it and the access
 * log. A JWT verified once is kept until its {@code exp} ({@link io.sluice.l7.auth.VerifiedTokens}),
 * so its signature is not checked on every request. {@link io.sluice.l7.auth.Authentication} makes
 * a route's filter from its configuration.
 */
package io.sluice.l7.auth;
