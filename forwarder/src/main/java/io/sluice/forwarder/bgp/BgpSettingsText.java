package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.IpAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forwarder's {@link BgpConfig} as the text that travels between {@code sluice apply} or
 * {@code sluice export} and a running forwarder (the forwarder has no YAML parser), one setting a
 * line:
 * <pre>
 * local_as 65001
 * router_id 198.18.0.2
 * neighbor 198.18.0.1 65000 [PASSWORD]
 * hold 9
 * keepalive 3
 * bfd 100 3
 * community 65001:100
 * announce all | announce 198.18.1.1 198.18.1.2
 * </pre>
 * {@link #parse} turns it into the same maps and lists a BGP file is read into and checks them
 * with {@link BgpConfigReader}, so a setting the file would refuse is refused here too, in its words.
 */
public final class BgpSettingsText
{
    private BgpSettingsText()
    {
    }

    public static String format(final BgpConfig config)
    {
        final StringBuilder text = new StringBuilder(256)
            .append("local_as ").append(config.localAs()).append('\n')
            .append("router_id ").append(config.routerId()).append('\n');
        for (final BgpConfig.Neighbor neighbor : config.neighbors())
        {
            text.append("neighbor ").append(neighbor.address()).append(' ').append(neighbor.as())
                .append(neighbor.password() == null ? "" : " " + neighbor.password()).append('\n');
        }
        text.append("hold ").append(config.holdS()).append('\n').append("keepalive ").append(config.keepaliveS()).append('\n');
        if (config.bfd() != null)
        {
            text.append("bfd ").append(config.bfd().intervalMs()).append(' ').append(config.bfd().multiplier()).append('\n');
        }
        for (final BgpConfig.Community community : config.communities())
        {
            text.append("community ").append(community).append('\n');
        }
        text.append("announce");
        if (config.announce() == null)
        {
            text.append(" all");
        }
        else
        {
            config.announce().stream().sorted().map(IpAddress::toString).forEach((vip) -> text.append(' ').append(vip));
        }
        return text.append('\n').toString();
    }

    /**
     * @param source what the messages call the text.
     * @throws ConfigException naming the first setting that does not validate.
     */
    public static BgpConfig parse(final String text, final String source)
    {
        final Map<String, Object> top = new LinkedHashMap<>();
        final List<Object> neighbors = new ArrayList<>();
        final List<Object> communities = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            // A password is the rest of its line and may hold spaces, even at its end; nothing else does.
            final String[] words = line.split(" ", line.startsWith("neighbor ") ? 4 : -1);
            switch (words[0])
            {
                case "local_as", "router_id" -> top.put(words[0], value(words, source));
                case "hold", "keepalive" -> top.put(words[0], value(words, source) + "s");
                case "neighbor" -> neighbors.add(neighbor(words, source));
                case "bfd" -> top.put("bfd", Map.of("interval", value(words, source) + "ms",
                    "multiplier", words.length > 2 ? words[2] : ""));
                case "community" -> communities.add(value(words, source));
                case "announce" -> top.put("announce", words.length == 2 && words[1].equals("all") ? "all" :
                    List.copyOf(Arrays.asList(words).subList(1, words.length)));
                default -> throw new ConfigException(source + ": unknown setting '" + words[0] + "'");
            }
        }
        top.put("neighbors", neighbors);
        if (!communities.isEmpty())
        {
            top.put("communities", communities);
        }
        return BgpConfigReader.read(top, source);
    }

    private static Map<String, Object> neighbor(final String[] words, final String source)
    {
        final Map<String, Object> neighbor = new LinkedHashMap<>();
        neighbor.put("address", value(words, source));
        neighbor.put("as", words.length > 2 ? words[2] : "");
        if (words.length > 3)
        {
            neighbor.put("password", words[3]);
        }
        return neighbor;
    }

    private static String value(final String[] words, final String source)
    {
        if (words.length < 2)
        {
            throw new ConfigException(source + ": " + words[0] + " has no value");
        }
        return words[1];
    }
}
