package io.sluice.l7.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's {@code rate_limit:}, a list of limits. Every refusal names the route as well as the
 * field, since the same limit is often copied from route to route.
 */
final class RateLimitReader
{
    static final List<String> KEY_KINDS = List.of("client-address", "header", "cookie", "claim", "api-key");
    static final int DEFAULT_MAX_KEYS = 1_000_000;
    /** 16 bytes a key: 256 MiB for one limit at most. */
    static final int MAX_MAX_KEYS = 16 * 1024 * 1024;
    static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_MAX_DELAY = Duration.ofMinutes(1);
    static final long MAX_COUNT = 1_000_000_000L;
    static final int MAX_BURST = 1_000_000;
    /** A burst's tolerance (burst emission intervals) beyond this is more than a year early: surely a mistake. */
    static final Duration MAX_TOLERANCE = Duration.ofDays(366);
    private static final Pattern RATE = Pattern.compile("([0-9]{1,10})?/(s|m|h|d)");

    private RateLimitReader()
    {
    }

    /**
     * @param sharedStore whether the file has a top-level store for global limits ({@code redis:});
     *                    without one, {@code global: true} is refused.
     */
    static RouteFilter.RateLimit rateLimit(final ConfigNode node, final String route, final boolean sharedStore)
    {
        final List<RouteFilter.RateLimit.Limit> limits = new ArrayList<>();
        final Map<String, ConfigNode> names = new HashMap<>();
        for (final ConfigNode item : node.nonEmptyList("limit"))
        {
            final RouteFilter.RateLimit.Limit limit = limit(item, route, sharedStore);
            final ConfigNode first = names.putIfAbsent(limit.name(), item);
            if (first != null)
            {
                // The name is the limit's in the RateLimit fields and the metrics: two alike could not be told apart.
                throw item.error(inRoute(route, "'" + limit.name() + "' is " + first.path() + "'s name too (give one a name:)"));
            }
            limits.add(limit);
        }
        return new RouteFilter.RateLimit(limits);
    }

    private static RouteFilter.RateLimit.Limit limit(final ConfigNode node, final String route, final boolean sharedStore)
    {
        final ConfigMapping fields = node.mapping("name", "key", "rate", "burst", "action", "max_delay", "dry_run", "global",
            "on_redis_error", "max_keys");
        final List<RouteFilter.RateLimit.KeyPart> key = key(fields.required("key"), route);
        final ConfigNode rateNode = fields.required("rate");
        final Matcher rate = RATE.matcher(rateNode.text());
        if (!rate.matches())
        {
            throw rateNode.error(inRoute(route, "'" + rateNode.text()
                + "' is not a rate (requests per s, m, h or d: 100/s, 1000/m)"));
        }
        final long count = rate.group(1) == null ? 1 : Long.parseLong(rate.group(1));
        if (count < 1 || count > MAX_COUNT)
        {
            throw rateNode.error(inRoute(route, "'" + rateNode.text() + "': the count is not 1-" + MAX_COUNT));
        }
        final Duration period = switch (rate.group(2))
        {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        final ConfigNode burstNode = fields.optional("burst");
        final int burst = burstNode == null ? 0 : integer(burstNode, route, 0, MAX_BURST);
        if (period.multipliedBy(burst).dividedBy(count).compareTo(MAX_TOLERANCE) > 0)
        {
            throw burstNode.error(inRoute(route, burst + " at " + rateNode.text() + " lets a request come more than "
                + MAX_TOLERANCE.toDays() + " days early"));
        }
        final RouteFilter.RateLimit.Action action = choice(fields.optional("action"), route, RouteFilter.RateLimit.Action.class,
            RouteFilter.RateLimit.Action.REJECT);
        final ConfigNode maxDelayNode = fields.optional("max_delay");
        if (maxDelayNode != null && action != RouteFilter.RateLimit.Action.DELAY)
        {
            throw fields.key("max_delay").error(inRoute(route, "only with action: delay"));
        }
        final Duration maxDelay = action != RouteFilter.RateLimit.Action.DELAY ? Duration.ZERO
            : maxDelayNode == null ? DEFAULT_MAX_DELAY : maxDelay(maxDelayNode, route);
        final ConfigNode dryRunNode = fields.optional("dry_run");
        final boolean dryRun = dryRunNode != null && dryRunNode.bool();
        final ConfigNode globalNode = fields.optional("global");
        final boolean global = globalNode != null && globalNode.bool();
        if (global && !sharedStore)
        {
            throw globalNode.error(inRoute(route, "global: true needs the top-level redis: (where every proxy counts)"));
        }
        if (global && action == RouteFilter.RateLimit.Action.DELAY)
        {
            // A delay reserves the request's turn in the table; the shared store decides yes or no, in one round trip.
            throw fields.key("action").error(inRoute(route, "action: delay is for local limits, not with global: true"));
        }
        final ConfigNode onErrorNode = fields.optional("on_redis_error");
        if (onErrorNode != null && !global)
        {
            throw fields.key("on_redis_error").error(inRoute(route, "only with global: true"));
        }
        final RouteFilter.RateLimit.OnStoreError onError = choice(onErrorNode, route, RouteFilter.RateLimit.OnStoreError.class,
            RouteFilter.RateLimit.OnStoreError.LOCAL);
        final ConfigNode maxKeysNode = fields.optional("max_keys");
        final int maxKeys = maxKeysNode == null ? DEFAULT_MAX_KEYS : integer(maxKeysNode, route, 1, MAX_MAX_KEYS);
        final ConfigNode nameNode = fields.optional("name");
        final String name = nameNode == null ? defaultName(key) : nameNode.parse(HttpSyntax::name);
        return new RouteFilter.RateLimit.Limit(name, key, count, period, burst, action, maxDelay, dryRun, global, onError,
            maxKeys);
    }

    /** One part, or a list of them (a combination: every part must be in the request). */
    private static List<RouteFilter.RateLimit.KeyPart> key(final ConfigNode node, final String route)
    {
        if (!node.isList())
        {
            return List.of(keyPart(node, route));
        }
        final List<RouteFilter.RateLimit.KeyPart> parts = new ArrayList<>();
        final FirstUses<RouteFilter.RateLimit.KeyPart> seen = new FirstUses<>();
        for (final ConfigNode item : node.nonEmptyList("key part"))
        {
            final RouteFilter.RateLimit.KeyPart part = keyPart(item, route);
            seen.claim(part, item, item, inRoute(route, "this key part"));
            parts.add(part);
        }
        return parts;
    }

    private static RouteFilter.RateLimit.KeyPart keyPart(final ConfigNode node, final String route)
    {
        if (node.isScalar())
        {
            return switch (node.text())
            {
                case "client-address" -> new RouteFilter.RateLimit.ClientAddress(32, 128);
                case "api-key" -> new RouteFilter.RateLimit.ApiKey();
                default -> throw node.error(inRoute(route, "'" + node.text() + "' is not a key kind; known: "
                    + String.join(", ", KEY_KINDS) + " (header, cookie and claim as { header: NAME })"));
            };
        }
        final List<ConfigNode.Entry> entries = node.isMapping() ? node.entries() : List.of();
        if (entries.size() != 1)
        {
            throw node.error(inRoute(route, "expected one key part as KIND or { KIND: ARGUMENT }, found " + node.describe()));
        }
        final ConfigNode.Entry entry = entries.getFirst();
        final ConfigNode value = entry.value();
        return switch (entry.name())
        {
            case "client-address" -> clientAddress(value, route);
            case "header" -> new RouteFilter.RateLimit.Header(value.parse(HttpSyntax::headerName));
            case "cookie" -> new RouteFilter.RateLimit.Cookie(value.parse((text) -> HttpSyntax.token(text, "a cookie name")));
            case "claim" -> new RouteFilter.RateLimit.Claim(claim(value, route));
            default -> throw entry.key().error(inRoute(route, "'" + entry.name() + "' is not a key kind; known: "
                + String.join(", ", KEY_KINDS)));
        };
    }

    /** {@code { v4: 24, v6: 64 }}: the prefix lengths that group addresses; either may be left out (each address alone). */
    private static RouteFilter.RateLimit.ClientAddress clientAddress(final ConfigNode node, final String route)
    {
        final ConfigMapping fields = node.mapping("v4", "v6");
        final ConfigNode v4 = fields.optional("v4");
        final ConfigNode v6 = fields.optional("v6");
        return new RouteFilter.RateLimit.ClientAddress(v4 == null ? 32 : integer(v4, route, 1, 32),
            v6 == null ? 128 : integer(v6, route, 1, 128));
    }

    /** A claim's name: printable ASCII, as JWT claim names are in practice ({@code sub}, {@code https://x.example/tenant}). */
    private static String claim(final ConfigNode node, final String route)
    {
        final String name = node.text();
        if (name.isEmpty() || !name.chars().allMatch((c) -> c > 0x20 && c < 0x7F))
        {
            throw node.error(inRoute(route, "'" + name + "' is not a claim name (printable ASCII, no spaces)"));
        }
        return name;
    }

    private static Duration maxDelay(final ConfigNode node, final String route)
    {
        final Duration delay = node.parse(Durations::parse);
        if (delay.compareTo(MAX_MAX_DELAY) > 0)
        {
            throw node.error(inRoute(route, node.text() + " is more than " + MAX_MAX_DELAY.toSeconds() + "s"));
        }
        return delay;
    }

    private static int integer(final ConfigNode node, final String route, final int min, final int max)
    {
        try
        {
            return node.integer(min, max);
        }
        catch (final ConfigException ex)
        {
            throw node.error(inRoute(route, "'" + node.text() + "' is not " + min + "-" + max));
        }
    }

    /** An enum's constant by its lower-case name ({@code reject}, {@code delay}), or {@code otherwise} when absent. */
    private static <E extends Enum<E>> E choice(final ConfigNode node, final String route, final Class<E> type, final E otherwise)
    {
        if (node == null)
        {
            return otherwise;
        }
        final List<String> known = new ArrayList<>();
        for (final E constant : type.getEnumConstants())
        {
            final String name = constant.name().toLowerCase(Locale.ROOT);
            if (name.equals(node.text()))
            {
                return constant;
            }
            known.add(name);
        }
        throw node.error(inRoute(route, "'" + node.text() + "' is not one of " + String.join(", ", known)));
    }

    /** The key's parts, joined by '+': {@code client-address}, {@code header-x-api-key+client-address-24-64}. */
    private static String defaultName(final List<RouteFilter.RateLimit.KeyPart> key)
    {
        final List<String> parts = new ArrayList<>();
        for (final RouteFilter.RateLimit.KeyPart part : key)
        {
            parts.add(switch (part)
            {
                case RouteFilter.RateLimit.ClientAddress address -> address.v4Bits() == 32 && address.v6Bits() == 128
                    ? "client-address" : "client-address-" + address.v4Bits() + "-" + address.v6Bits();
                case RouteFilter.RateLimit.Header header -> "header-" + header.name().toLowerCase(Locale.ROOT);
                case RouteFilter.RateLimit.Cookie cookie -> "cookie-" + cookie.name();
                case RouteFilter.RateLimit.Claim claim -> "claim-" + claim.name();
                case RouteFilter.RateLimit.ApiKey _ -> "api-key";
            });
        }
        return String.join("+", parts);
    }

    private static String inRoute(final String route, final String reason)
    {
        return "route '" + route + "': " + reason;
    }
}
