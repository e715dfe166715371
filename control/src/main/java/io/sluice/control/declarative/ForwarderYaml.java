package io.sluice.control.declarative;

import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A forwarder's whole configuration as YAML, in the words of {@code vip add} and {@code real add}:
 * <pre>
 * vips:
 *   - vip: 198.18.1.1:80/tcp
 *     mode: dsr                 # dsr | tunnel | gue | nat; default dsr
 *     second_chance: false      # gue only: packets name the flow's second real; default false
 *     scheduler: maglev         # maglev | source-hash | round-robin | least-connection; default maglev
 *     health: tcp               # as --health; default none
 *     reals:
 *       - address: 198.18.0.11  # REAL[:PORT]
 *       - { address: 198.18.0.12, weight: 200 }   # 0-65535, default 100; 0 drains the real
 * bgp:                          # optional: the keys of forwarder --bgp FILE (see {@link BgpYaml})
 *   local_as: 65001
 *   router_id: 198.18.0.2
 *   neighbors:
 *     - { address: 198.18.0.1, as: 65000 }
 * </pre>
 * {@link #read} builds the configuration with {@link ForwarderConfig}'s own operations, so a
 * file holds nothing the CLI would refuse (and its {@code bgp:} section nothing {@code --bgp FILE}
 * would), and stops at the first problem with one line {@code FILE:LINE: FIELD: problem}.
 * {@link #write} gives the text {@link #read} reads back to an equal configuration.
 */
public final class ForwarderYaml
{
    /** Scalars written without quotes: no YAML indicator first, no ": " or " #" inside. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:,=%+-]*");

    private ForwarderYaml()
    {
    }

    /**
     * @param source what errors call the text: the file name as given.
     * @throws ConfigException {@code "FILE:LINE: FIELD: problem"} for the first problem.
     */
    public static DeclaredConfig read(final String text, final String source)
    {
        final YamlNode root = YamlNode.root(text, source);
        if (root == null)
        {
            throw YamlNode.error(source, 1, "vips", "missing (the file lists the forwarder's VIPs; 'vips: []' for none)");
        }
        final YamlNode.Fields top = root.fields("vips", "bgp");
        final YamlNode bgp = top.optional("bgp");
        return new DeclaredConfig(vips(top.required("vips")), bgp == null ? null : BgpYaml.read(bgp, source));
    }

    private static ForwarderConfig vips(final YamlNode vips)
    {
        ForwarderConfig config = ForwarderConfig.EMPTY;
        for (final YamlNode vipNode : vips.list())
        {
            final YamlNode.Fields vip = vipNode.fields("vip", "mode", "second_chance", "scheduler", "health", "reals");
            final YamlNode keyNode = vip.required("vip");
            final YamlNode modeNode = vip.optional("mode");
            final YamlNode secondChanceNode = vip.optional("second_chance");
            final VipSpec spec = spec(secondChanceNode != null ? secondChanceNode : modeNode != null ? modeNode : keyNode,
                parse(keyNode, VipKey::parse),
                optional(modeNode, ForwardingMode::parse, ForwardingMode.DSR),
                optional(vip.optional("scheduler"), SchedulerKind::parse, SchedulerKind.MAGLEV),
                optional(vip.optional("health"), HealthCheck::parse, HealthCheck.NONE),
                optional(secondChanceNode, ForwarderYaml::bool, false));
            config = change(keyNode, config, (before) -> before.addVip(spec));
            final YamlNode reals = vip.optional("reals");
            for (final YamlNode realNode : reals == null ? List.<YamlNode>of() : reals.list())
            {
                final YamlNode.Fields real = realNode.fields("address", "weight");
                final YamlNode addressNode = real.required("address");
                final YamlNode weightNode = real.optional("weight");
                final int weight = weightNode == null ? RealSpec.DEFAULT_WEIGHT : parse(weightNode, ForwarderYaml::weight);
                final RealSpec realSpec = parse(addressNode, (address) -> RealSpec.parse(address, weight));
                config = change(addressNode, config, (before) -> before.addReal(spec.key(), realSpec));
            }
        }
        return config;
    }

    /** The YAML {@link #read} reads back to {@code declared}, with a comment saying what it is. */
    public static String write(final DeclaredConfig declared)
    {
        final ForwarderConfig config = declared.config();
        final StringBuilder yaml = new StringBuilder(512 + 96 * (config.vips().size() + config.realCount()));
        yaml.append("# a sluice forwarder's configuration (sluice export); sluice apply FILE makes a forwarder match it\n");
        writeVips(config, yaml);
        if (declared.bgp() != null)
        {
            BgpYaml.write(declared.bgp(), yaml);
        }
        return yaml.toString();
    }

    private static void writeVips(final ForwarderConfig config, final StringBuilder yaml)
    {
        if (config.vips().isEmpty())
        {
            yaml.append("vips: []\n");
            return;
        }
        yaml.append("vips:\n");
        for (final VipConfig vip : config.vips())
        {
            yaml.append("  - vip: ").append(scalar(vip.key().toString())).append('\n');
            yaml.append("    mode: ").append(vip.spec().mode().label()).append('\n');
            if (vip.spec().secondChance())
            {
                yaml.append("    second_chance: true\n");
            }
            yaml.append("    scheduler: ").append(vip.spec().scheduler().label()).append('\n');
            if (vip.spec().health().enabled())
            {
                yaml.append("    health: ").append(scalar(HealthWords.brief(vip.spec().health()))).append('\n');
            }
            if (vip.reals().isEmpty())
            {
                yaml.append("    reals: []\n");
                continue;
            }
            yaml.append("    reals:\n");
            for (final RealSpec real : vip.reals())
            {
                yaml.append("      - address: ").append(scalar(real.endpoint())).append('\n');
                yaml.append("        weight: ").append(real.weight()).append('\n');
            }
        }
    }

    /** A real's weight, 0-65535: digits only, so "1e3" or "-1" are refused rather than guessed at. */
    private static int weight(final String text)
    {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit))
        {
            throw new ConfigException("'" + text + "' is not a weight (" + RealSpec.MIN_WEIGHT + "-" + RealSpec.MAX_WEIGHT + ")");
        }
        final int weight = Integer.parseInt(text);
        if (weight > RealSpec.MAX_WEIGHT)
        {
            throw new ConfigException(weight + " is not " + RealSpec.MIN_WEIGHT + "-" + RealSpec.MAX_WEIGHT);
        }
        return weight;
    }

    /** A VIP's fields that {@link VipSpec} refuses together (second chance outside gue mode, say) are the node's error. */
    private static VipSpec spec(final YamlNode node, final VipKey key, final ForwardingMode mode, final SchedulerKind scheduler,
        final HealthCheck health, final boolean secondChance)
    {
        try
        {
            return new VipSpec(key, mode, scheduler, health, secondChance);
        }
        catch (final ConfigException ex)
        {
            throw node.error(ex.getMessage());
        }
    }

    /** YAML 1.2's core booleans, nothing looser ("yes", "on" are refused rather than guessed at). */
    private static boolean bool(final String text)
    {
        return switch (text)
        {
            case "true", "True", "TRUE" -> true;
            case "false", "False", "FALSE" -> false;
            default -> throw new ConfigException("'" + text + "' is not true or false");
        };
    }

    private static <T> T optional(final YamlNode node, final Function<String, T> parser, final T absent)
    {
        return node == null ? absent : parse(node, parser);
    }

    /** The node's text through a forwarder parser, whose one-line reason becomes the node's error. */
    private static <T> T parse(final YamlNode node, final Function<String, T> parser)
    {
        final String text = node.text();
        try
        {
            return parser.apply(text);
        }
        catch (final ConfigException ex)
        {
            throw node.error(ex.getMessage());
        }
    }

    /** A change refused by {@link ForwarderConfig} (a repeated VIP or real, a limit) is the node's error. */
    private static ForwarderConfig change(
        final YamlNode node, final ForwarderConfig config, final Function<ForwarderConfig, ForwarderConfig> change)
    {
        try
        {
            return change.apply(config);
        }
        catch (final ConfigException ex)
        {
            throw node.error(ex.getMessage());
        }
    }

    private static String scalar(final String text)
    {
        if (PLAIN.matcher(text).matches())
        {
            return text;
        }
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
