package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.IpAddress;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a BGP file already parsed into maps, lists and scalars (the command line parses the
 * YAML) and makes a {@link BgpConfig} of it. Every problem is one {@link ConfigException} line
 * naming the file and the field ({@code bgp.yaml: neighbors[0].as: 'x' is not an AS number}); an
 * unknown key is one, so a typo is not silently ignored.
 */
public final class BgpConfigReader
{
    private static final long MAX_AS = 0xFFFF_FFFFL;
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)");
    private static final Pattern COMMUNITY = Pattern.compile("([0-9]{1,5}):([0-9]{1,5})");
    /** Anything BIRD's config would read as the end of the string, or a line break. */
    private static final Pattern PASSWORD = Pattern.compile("[^\"\\\\\\n\\r]{1,80}");

    private final String source;

    private BgpConfigReader(final String source)
    {
        this.source = source;
    }

    /**
     * @param root   the file's top level.
     * @param source the file's name, for the messages.
     * @throws ConfigException naming the first field that does not validate.
     */
    public static BgpConfig read(final Object root, final String source)
    {
        return new BgpConfigReader(source).config(root);
    }

    private BgpConfig config(final Object root)
    {
        final Map<?, ?> top = mapping(root, "", "local_as", "router_id", "neighbors", "hold", "keepalive", "bfd",
            "communities", "announce");
        final long localAs = as(required(top, "", "local_as"), "local_as");
        final IpAddress routerId = address(required(top, "", "router_id"), "router_id");
        if (!routerId.isIpv4())
        {
            throw error("router_id", routerId + " is IPv6; a router id is a 32-bit id written as an IPv4 address, " +
                "whatever the sessions' IP version");
        }
        final List<BgpConfig.Neighbor> neighbors = neighbors(required(top, "", "neighbors"));
        final int holdS = top.containsKey("hold") ? seconds(top.get("hold"), "hold", 3, 65_535) : BgpConfig.DEFAULT_HOLD_S;
        final int keepaliveS = top.containsKey("keepalive") ? seconds(top.get("keepalive"), "keepalive", 1, 65_535) :
            Math.max(1, holdS / 3);
        if (keepaliveS >= holdS)
        {
            throw error("keepalive", keepaliveS + " s must be shorter than hold (" + holdS + " s)");
        }
        return new BgpConfig(localAs, routerId, neighbors, holdS, keepaliveS,
            top.containsKey("bfd") ? bfd(top.get("bfd")) : null,
            top.containsKey("communities") ? communities(top.get("communities")) : List.of(),
            top.containsKey("announce") ? announce(top.get("announce"), neighbors) : null);
    }

    private List<BgpConfig.Neighbor> neighbors(final Object value)
    {
        final List<?> items = list(value, "neighbors");
        if (items.isEmpty())
        {
            throw error("neighbors", "needs at least one neighbor");
        }
        final List<BgpConfig.Neighbor> neighbors = new ArrayList<>(items.size());
        final Set<IpAddress> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++)
        {
            final String field = "neighbors[" + i + "]";
            final Map<?, ?> neighbor = mapping(items.get(i), field, "address", "as", "password");
            final IpAddress address = address(required(neighbor, field, "address"), field + ".address");
            if (!seen.add(address))
            {
                throw error(field + ".address", address + " is listed twice");
            }
            final Object password = neighbor.get("password");
            if (password != null && !PASSWORD.matcher(text(password)).matches())
            {
                throw error(field + ".password", "must be 1-80 characters without quotes, backslashes or line breaks");
            }
            neighbors.add(new BgpConfig.Neighbor(address, as(required(neighbor, field, "as"), field + ".as"),
                password == null ? null : text(password)));
        }
        return neighbors;
    }

    private BgpConfig.Bfd bfd(final Object value)
    {
        final Map<?, ?> bfd = mapping(value, "bfd", "interval", "multiplier");
        final long intervalMs = durationMs(required(bfd, "bfd", "interval"), "bfd.interval");
        if (intervalMs < 10 || intervalMs > 10_000)
        {
            throw error("bfd.interval", intervalMs + " ms is outside 10ms-10s");
        }
        final long multiplier = bfd.containsKey("multiplier") ? number(bfd.get("multiplier"), "bfd.multiplier") : 3;
        if (multiplier < 1 || multiplier > 255)
        {
            throw error("bfd.multiplier", multiplier + " is outside 1-255");
        }
        return new BgpConfig.Bfd((int)intervalMs, (int)multiplier);
    }

    private List<BgpConfig.Community> communities(final Object value)
    {
        final List<BgpConfig.Community> communities = new ArrayList<>();
        final List<?> items = list(value, "communities");
        for (int i = 0; i < items.size(); i++)
        {
            final Matcher matcher = COMMUNITY.matcher(text(items.get(i)));
            if (!matcher.matches() || Integer.parseInt(matcher.group(1)) > 0xFFFF || Integer.parseInt(matcher.group(2)) > 0xFFFF)
            {
                throw error("communities[" + i + "]", "'" + text(items.get(i)) + "' is not a community ASN:VALUE (each 0-65535)");
            }
            communities.add(new BgpConfig.Community(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
        }
        return communities;
    }

    /**
     * {@code all} (null: every VIP with a neighbour of its IP version) or a list of VIP addresses,
     * each with a neighbour of its IP version to be announced to.
     */
    private Set<IpAddress> announce(final Object value, final List<BgpConfig.Neighbor> neighbors)
    {
        if ("all".equals(value))
        {
            return null;
        }
        if (!(value instanceof List<?> items))
        {
            throw error("announce", "expected all or a list of VIP addresses, found " + describe(value));
        }
        final Set<IpAddress> addresses = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++)
        {
            final IpAddress address = address(items.get(i), "announce[" + i + "]");
            if (neighbors.stream().noneMatch((neighbor) -> neighbor.address().isIpv4() == address.isIpv4()))
            {
                throw error("announce[" + i + "]", address + " is " + address.family() + " and no neighbor is: " +
                    "a VIP is announced to the neighbors of its own IP version");
            }
            addresses.add(address);
        }
        return addresses;
    }

    private long as(final Object value, final String field)
    {
        final long as = value instanceof Number || text(value).matches("[0-9]{1,10}") ? number(value, field) : -1;
        if (as < 1 || as > MAX_AS)
        {
            throw error(field, describe(value) + " is not an AS number (1-" + MAX_AS + ")");
        }
        return as;
    }

    private IpAddress address(final Object value, final String field)
    {
        try
        {
            return IpAddress.parse(text(value));
        }
        catch (final ConfigException ex)
        {
            throw error(field, describe(value) + " is not an IPv4 or IPv6 address");
        }
    }

    private int seconds(final Object value, final String field, final int min, final int max)
    {
        final long ms = durationMs(value, field);
        if (ms % 1000 != 0 || ms / 1000 < min || ms / 1000 > max)
        {
            throw error(field, describe(value) + " must be whole seconds from " + min + "s to " + max + "s");
        }
        return (int)(ms / 1000);
    }

    /** {@code 100ms}, {@code 9s}, {@code 1m}, or a bare number of seconds. */
    private long durationMs(final Object value, final String field)
    {
        if (value instanceof Number number)
        {
            return number.longValue() * 1000;
        }
        final Matcher matcher = DURATION.matcher(text(value));
        if (!matcher.matches())
        {
            throw error(field, describe(value) + " is not a duration (e.g. 100ms, 9s, 1m)");
        }
        final long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2))
        {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            default -> amount * 60_000;
        };
    }

    private long number(final Object value, final String field)
    {
        if (value instanceof Number number)
        {
            return number.longValue();
        }
        if (!text(value).matches("[0-9]{1,10}"))
        {
            throw error(field, describe(value) + " is not a number");
        }
        return Long.parseLong(text(value));
    }

    private Map<?, ?> mapping(final Object value, final String field, final String... allowed)
    {
        if (!(value instanceof Map<?, ?> map))
        {
            throw error(field, "expected a mapping (" + String.join(", ", allowed) + "), found " + describe(value));
        }
        for (final Object key : map.keySet())
        {
            if (!List.of(allowed).contains(String.valueOf(key)))
            {
                throw error(join(field, String.valueOf(key)), "unknown key; allowed here: " + String.join(", ", allowed));
            }
        }
        return map;
    }

    private List<?> list(final Object value, final String field)
    {
        if (!(value instanceof List<?> list))
        {
            throw error(field, "expected a list, found " + describe(value));
        }
        return list;
    }

    private Object required(final Map<?, ?> map, final String field, final String key)
    {
        final Object value = map.get(key);
        if (value == null)
        {
            throw error(join(field, key), "is required");
        }
        return value;
    }

    private static String text(final Object value)
    {
        return value instanceof Map || value instanceof List || value == null ? "" : String.valueOf(value);
    }

    private static String describe(final Object value)
    {
        if (value == null)
        {
            return "nothing";
        }
        return value instanceof Map ? "a mapping" : value instanceof List ? "a list" : "'" + value + "'";
    }

    private static String join(final String field, final String key)
    {
        return field.isEmpty() ? key : field + "." + key;
    }

    private ConfigException error(final String field, final String reason)
    {
        return new ConfigException(source + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
    }
}
