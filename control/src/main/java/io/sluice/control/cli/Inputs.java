package io.sluice.control.cli;

import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Parses the CLI's arguments with the same parsers the forwarder uses, before anything is sent;
 * a bad value becomes a usage error (exit 2) carrying the parser's one-line reason.
 */
final class Inputs
{
    private Inputs()
    {
    }

    static VipKey vip(final CommandSpec spec, final String text)
    {
        try
        {
            return VipKey.parse(text);
        }
        catch (final ConfigException ex)
        {
            throw usage(spec, ex);
        }
    }

    static RealSpec real(final CommandSpec spec, final String text, final int weight)
    {
        try
        {
            return RealSpec.parse(text, weight);
        }
        catch (final ConfigException ex)
        {
            throw usage(spec, ex);
        }
    }

    /** Linux interface names are at most IFNAMSIZ - 1 bytes. */
    static final int MAX_INTERFACE_NAME = 15;

    /** @throws CommandLine.ParameterException when {@code name} cannot be a Linux interface name. */
    static String interfaceName(final CommandSpec spec, final String name)
    {
        if (name.isEmpty() || name.length() > MAX_INTERFACE_NAME || name.equals(".") || name.equals("..") ||
            !name.chars().allMatch((c) -> c > ' ' && c < 0x7F && c != '/' && c != ':'))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "'" + name + "' is not an interface name (1-" + MAX_INTERFACE_NAME + " characters, no '/', ':' or spaces)");
        }
        return name;
    }

    static ForwardingMode mode(final CommandSpec spec, final String text)
    {
        try
        {
            return ForwardingMode.parse(text);
        }
        catch (final ConfigException ex)
        {
            throw usage(spec, ex);
        }
    }

    static SchedulerKind scheduler(final CommandSpec spec, final String text)
    {
        try
        {
            return SchedulerKind.parse(text);
        }
        catch (final ConfigException ex)
        {
            throw usage(spec, ex);
        }
    }

    static HealthCheck health(final CommandSpec spec, final String text)
    {
        try
        {
            return HealthCheck.parse(text);
        }
        catch (final ConfigException ex)
        {
            throw usage(spec, ex);
        }
    }

    static CommandLine.ParameterException usage(final CommandSpec spec, final ConfigException ex)
    {
        return new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
    }
}
