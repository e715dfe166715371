/**
 * A route's shared HTTP cache (RFC 9111), configured by its {@code cache:} key: a request and
 * response filter ({@link io.sluice.l7.cache.ResponseCache}) over an in-memory Caffeine cache
 * weighed in bytes, with Vary variants (Accept-Encoding by the coding the route's compression
 * chooses), revalidation, stale-while-revalidate refreshed in the background, stale-if-error
 * (for the proxy's own 5xx too), the request's directives,
 * request coalescing, Cache-Status (RFC 9211) and purges by key, path prefix and Surrogate-Key
 * tag. Stored bodies are copied once, as they stream past, into unpooled buffers of the cache's
 * own and served as retained duplicates. It uses {@code filter}, {@code config} and {@code http}.
 */
package io.sluice.l7.cache;
