package io.sluice.forwarder.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a {@link ForwarderConfig}: one statement a line, spelled like the CLI
 * commands that would build it (as {@code ipvsadm-save} does), so a saved file reads like a
 * script and a user who knows the CLI can read it:
 * <pre>
 * # sluice forwarder configuration, written by sluice; edit with the CLI
 * vip add 198.18.1.1:80/tcp --mode dsr --scheduler maglev
 * real add 198.18.1.1:80/tcp 198.18.0.11 --weight 100
 * </pre>
 * It is the persistence format and what {@code GET_CONFIG} returns. Blank lines and lines
 * starting with {@code #} are ignored. Statements are applied in order through the same
 * {@link ForwarderConfig} operations the CLI uses, so a file can hold nothing the CLI refuses.
 */
public final class ConfigText
{
    public static final String HEADER = "# sluice forwarder configuration, written by sluice; edit with the CLI";

    private ConfigText()
    {
    }

    /** @return the text for a configuration; {@link #parse} of it gives an equal configuration. */
    public static String format(final ForwarderConfig config)
    {
        final StringBuilder text = new StringBuilder(64 + 64 * (config.vips().size() + config.realCount()));
        text.append(HEADER).append('\n');
        for (final VipConfig vip : config.vips())
        {
            text.append("vip add ").append(vip.key())
                .append(" --mode ").append(vip.spec().mode().label())
                .append(" --scheduler ").append(vip.spec().scheduler().label());
            if (vip.spec().health().enabled())
            {
                text.append(" --health ").append(vip.spec().health().format());
            }
            if (vip.spec().secondChance())
            {
                text.append(" --").append(VipSpec.SECOND_CHANCE);
            }
            text.append('\n');
            for (final RealSpec real : vip.reals())
            {
                text.append("real add ").append(vip.key()).append(' ').append(real.endpoint())
                    .append(" --weight ").append(real.weight()).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * @param sourceName what errors call the text, e.g. the file name.
     * @throws ConfigException {@code "sourceName:line: reason"} for the first bad line.
     */
    public static ForwarderConfig parse(final String text, final String sourceName)
    {
        ForwarderConfig config = ForwarderConfig.EMPTY;
        final String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            try
            {
                config = apply(config, tokens(line));
            }
            catch (final ConfigException ex)
            {
                throw new ConfigException(sourceName + ":" + (i + 1) + ": " + ex.getMessage());
            }
        }
        return config;
    }

    private static ForwarderConfig apply(final ForwarderConfig config, final List<String> tokens)
    {
        final String statement = tokens.size() >= 2 ? tokens.get(0) + " " + tokens.get(1) : tokens.get(0);
        return switch (statement)
        {
            case "vip add" -> applyVipAdd(config, tokens);
            case "real add" -> applyRealAdd(config, tokens);
            default -> throw new ConfigException("unknown statement '" + statement + "' (expected 'vip add' or 'real add')");
        };
    }

    private static ForwarderConfig applyVipAdd(final ForwarderConfig config, final List<String> tokens)
    {
        final List<String> positional = new ArrayList<>();
        String mode = null;
        String scheduler = null;
        String health = null;
        boolean secondChance = false;
        for (int i = 2; i < tokens.size(); i++)
        {
            final String token = tokens.get(i);
            if (token.equals("--" + VipSpec.SECOND_CHANCE))
            {
                secondChance = true;
            }
            else if (isOption(token, "--mode"))
            {
                mode = once(mode, "--mode", optionValue(tokens, i, "--mode"));
                i += token.contains("=") ? 0 : 1;
            }
            else if (isOption(token, "--scheduler"))
            {
                scheduler = once(scheduler, "--scheduler", optionValue(tokens, i, "--scheduler"));
                i += token.contains("=") ? 0 : 1;
            }
            else if (isOption(token, "--health"))
            {
                health = once(health, "--health", optionValue(tokens, i, "--health"));
                i += token.contains("=") ? 0 : 1;
            }
            else if (token.startsWith("--"))
            {
                throw new ConfigException(
                    "unknown option '" + token + "' for vip add (expected --mode, --scheduler, --health or --second-chance)");
            }
            else
            {
                positional.add(token);
            }
        }
        if (positional.size() != 1)
        {
            throw new ConfigException("vip add takes one ADDR:PORT/PROTO, found " + positional.size());
        }
        final VipSpec spec = new VipSpec(
            VipKey.parse(positional.get(0)),
            mode == null ? ForwardingMode.DSR : ForwardingMode.parse(mode),
            scheduler == null ? SchedulerKind.MAGLEV : SchedulerKind.parse(scheduler),
            health == null ? HealthCheck.NONE : HealthCheck.parse(health),
            secondChance);
        return config.addVip(spec);
    }

    private static ForwarderConfig applyRealAdd(final ForwarderConfig config, final List<String> tokens)
    {
        final List<String> positional = new ArrayList<>();
        String weight = null;
        for (int i = 2; i < tokens.size(); i++)
        {
            final String token = tokens.get(i);
            if (isOption(token, "--weight"))
            {
                weight = once(weight, "--weight", optionValue(tokens, i, "--weight"));
                i += token.contains("=") ? 0 : 1;
            }
            else if (token.startsWith("--"))
            {
                throw new ConfigException("unknown option '" + token + "' for real add (expected --weight)");
            }
            else
            {
                positional.add(token);
            }
        }
        if (positional.size() != 2)
        {
            throw new ConfigException("real add takes ADDR:PORT/PROTO and REAL[:PORT], found " + positional.size() + " values");
        }
        final VipKey key = VipKey.parse(positional.get(0));
        final RealSpec real = RealSpec.parse(positional.get(1), weight == null ? RealSpec.DEFAULT_WEIGHT : parseWeight(weight));
        return config.addReal(key, real);
    }

    /** @throws ConfigException if the text is not a decimal weight (its range is checked by {@link RealSpec}). */
    public static int parseWeight(final String text)
    {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit))
        {
            throw new ConfigException(
                "weight '" + text + "' is not a number (expected " + RealSpec.MIN_WEIGHT + "-" + RealSpec.MAX_WEIGHT + ")");
        }
        return Integer.parseInt(text);
    }

    private static boolean isOption(final String token, final String name)
    {
        return token.equals(name) || token.startsWith(name + "=");
    }

    private static String optionValue(final List<String> tokens, final int index, final String name)
    {
        final String token = tokens.get(index);
        if (token.startsWith(name + "="))
        {
            return token.substring(name.length() + 1);
        }
        if (index + 1 >= tokens.size())
        {
            throw new ConfigException(name + " needs a value");
        }
        return tokens.get(index + 1);
    }

    private static String once(final String previous, final String name, final String value)
    {
        if (previous != null)
        {
            throw new ConfigException(name + " is given twice");
        }
        return value;
    }

    private static List<String> tokens(final String line)
    {
        final List<String> tokens = new ArrayList<>();
        for (final String token : line.split("\\s+"))
        {
            if (!token.isEmpty())
            {
                tokens.add(token);
            }
        }
        return tokens;
    }
}
