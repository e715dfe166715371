package io.sluice.l7.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One filter a route names, with its argument as read from the file: the route's
 * {@code filters:} list, and its older keys ({@code rewrite}, {@code request_headers},
 * {@code response_headers}), are read into these. The proxy makes each into a request or
 * response filter of the route's chain ({@code io.sluice.l7.filter.FilterChain}); a new kind of
 * filter is a record here, a name in {@link FilterReader} and a case there.
 */
public sealed interface RouteFilter
{
    /** {@code request_headers: { set, remove }}: headers removed, then set, on the request. */
    record RequestHeaders(HeaderRules rules) implements RouteFilter
    {
    }

    /** {@code response_headers: { set, remove }}: headers removed, then set, on the response. */
    record ResponseHeaders(HeaderRules rules) implements RouteFilter
    {
    }

    /** {@code rewrite: { prefix } | { regex, substitution }}: the path on its way to the pool. */
    record PathRewrite(Rewrite rewrite) implements RouteFilter
    {
    }

    /**
     * {@code client_cert_headers: { subject: NAME, sans: NAME }}: the verified client
     * certificate's subject and subjectAltNames to the backend in these headers (either may be null).
     */
    record ClientCertificateHeaders(String subject, String sans) implements RouteFilter
    {
    }

    /**
     * {@code auth: { jwt: {...} } | { api_keys: {...} }}: a request must prove who it is from (401) and the route may
     * refuse who that is (403). It runs before every other filter of its route, which may key on the identity it sets.
     */
    record Auth(AuthSettings settings) implements RouteFilter
    {
    }

    /** {@code cache: { size, max_object, default_ttl, key, ... }}: a shared HTTP cache in front of the route's pools. */
    record Cache(CacheSettings settings) implements RouteFilter
    {
    }

    /**
     * {@code compress: { algorithms, min_size, types, levels, sse }}: responses compressed with the first
     * of {@code codings} (the route's preference) among those the client accepts most.
     *
     * @param codings      the codings the route offers, most preferred first; never empty.
     * @param minSizeBytes bodies shorter than this go out as they are (a streamed body is held up to it).
     * @param types        the media ranges compressed: {@code type/subtype}, {@code type/*}, {@code type/*+suffix}; lower case.
     * @param levels       a level for each coding the route offers.
     * @param flushEventStreams {@code sse: flush}: server-sent events compressed too, each chunk flushed as it comes
     *                     (by default they are not compressed).
     */
    record Compress(List<ContentCoding> codings, int minSizeBytes, List<String> types, Map<ContentCoding, Integer> levels,
        boolean flushEventStreams) implements RouteFilter
    {
        public Compress
        {
            codings = List.copyOf(codings);
            types = List.copyOf(types);
            levels = Map.copyOf(levels);
        }

        /** Event streams left as they are (the default). */
        public Compress(final List<ContentCoding> codings, final int minSizeBytes, final List<String> types,
            final Map<ContentCoding, Integer> levels)
        {
            this(codings, minSizeBytes, types, levels, false);
        }
    }

    /**
     * {@code rate_limit: [{ key, rate, burst, action, max_delay, dry_run, global, on_redis_error, name, max_keys }]}:
     * the route's rate limits, checked in order (the first that refuses answers 429).
     */
    record RateLimit(List<Limit> limits) implements RouteFilter
    {
        public RateLimit
        {
            limits = List.copyOf(limits);
        }

        /**
         * One limit: {@code count} requests per {@code period} for each value of its key, with
         * {@code burst} more at once (GCRA: a request may come {@code burst} emission intervals early).
         *
         * @param name         unique in the route: the RateLimit fields' policy name and the metrics' {@code limit} label.
         * @param key          the parts whose values, together, are the key; the limit does not apply to a request lacking one.
         * @param count        requests per period (the rate's numerator), at least 1.
         * @param period       the rate's unit: a second, a minute, an hour or a day.
         * @param burst        requests that may come at once above the steady rate, 0 or more.
         * @param action       what becomes of a request over the limit.
         * @param maxDelay     with {@link Action#DELAY}, the longest a request waits before it is refused instead; else zero.
         * @param dryRun       count what the limit would do, and let every request go.
         * @param global       decided by the store every proxy shares (the top-level {@code redis:}) rather than by this proxy.
         * @param onStoreError for a global limit, what a request gets when the store fails or does not answer.
         * @param maxKeys      the keys this proxy tracks at once for the limit (its memory bound).
         */
        public record Limit(String name, List<KeyPart> key, long count, Duration period, int burst, Action action,
            Duration maxDelay, boolean dryRun, boolean global, OnStoreError onStoreError, int maxKeys)
        {
            public Limit
            {
                key = List.copyOf(key);
            }
        }

        /** One part of a limit's key. */
        public sealed interface KeyPart
        {
        }

        /**
         * The client's address, grouped by prefix: {@code v4Bits} of an IPv4 address and {@code v6Bits}
         * of an IPv6 one (32 and 128: each address alone).
         */
        public record ClientAddress(int v4Bits, int v6Bits) implements KeyPart
        {
        }

        /** A request header's (first) value. */
        public record Header(String name) implements KeyPart
        {
        }

        /** A request cookie's value. */
        public record Cookie(String name) implements KeyPart
        {
        }

        /** A claim of the identity an authentication filter established (a verified token's). */
        public record Claim(String name) implements KeyPart
        {
        }

        /** The name of the API key an authentication filter accepted. */
        public record ApiKey() implements KeyPart
        {
        }

        /** {@code action:} what a request over the limit gets. */
        public enum Action
        {
            /** 429 at once. */
            REJECT,
            /** Held until it conforms, up to {@code max_delay}; 429 when it would have to wait longer. */
            DELAY
        }

        /** {@code on_redis_error:} a global limit's answer when the shared store cannot decide. */
        public enum OnStoreError
        {
            /** This proxy's own limit decides (the same rate and burst, counted here alone). */
            LOCAL,
            /** The request goes (fail open). */
            ALLOW,
            /** 429 (fail closed). */
            DENY
        }
    }
}
