package io.sluice.control.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The XDP programs attached to interfaces, read from {@code ip -details -oneline link show}:
 * netlink's IFLA_XDP as iproute2 prints it ({@code prog/xdp id 42 name sluice_vip tag ...}).
 */
final class XdpPrograms
{
    private static final Pattern LINK = Pattern.compile("^\\d+: ([^:@ ]+)[@:]");
    private static final Pattern PROGRAM = Pattern.compile("prog/xdp id (\\d+)(?: name (\\S+))?");

    /** One attached program; its name is empty when iproute2 printed none. */
    record Attached(String iface, int id, String name)
    {
        boolean isSluice()
        {
            return name.startsWith("sluice_");
        }

        @Override
        public String toString()
        {
            return (name.isEmpty() ? "program" : name) + " (id " + id + ") on " + iface;
        }
    }

    private XdpPrograms()
    {
    }

    /** @return the programs attached to every interface in the namespace, empty when {@code ip} fails. */
    static List<Attached> attached(final HostCommands commands)
    {
        return parse(commands.run("ip", "-details", "-oneline", "link", "show").orElse(""));
    }

    static List<Attached> parse(final String oneLinePerLink)
    {
        final List<Attached> programs = new ArrayList<>();
        for (final String line : oneLinePerLink.split("\n"))
        {
            final Matcher link = LINK.matcher(line);
            if (!link.find())
            {
                continue;
            }
            final Matcher program = PROGRAM.matcher(line);
            while (program.find())
            {
                programs.add(new Attached(link.group(1), Integer.parseInt(program.group(1)),
                    program.group(2) == null ? "" : program.group(2)));
            }
        }
        return programs;
    }
}
