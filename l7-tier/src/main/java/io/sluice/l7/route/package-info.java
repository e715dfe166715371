/**
 * Request routing for the L7 tier: a {@link io.sluice.l7.route.Router} built once per
 * configuration picks the first {@link io.sluice.l7.route.CompiledRoute} whose match accepts a
 * request; the route then splits requests over its pools and holds its filters (path rewrite,
 * header rules: the {@code filter} package), built once with it. A route that matches on a JWT's
 * claims is chosen only when a request is routed again, once its route's authentication proved them.
 * Everything here is immutable after construction, so one router serves every event loop.
 */
package io.sluice.l7.route;
