package io.sluice.lab;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer's address as sluice writes addresses: a dotted quad for IPv4, RFC 5952 for IPv6 (lower
 * case, the first longest run of two or more zero groups as "::", no zone). The lab's backends
 * answer with it, so tests compare the text a backend saw with the text sluice prints. The JDK
 * writes IPv6 uncompressed, and the lab depends on no sluice module for sluice's own formatter.
 */
public final class AddressText
{
    /** Two or more zero groups of an uncompressed address, with the colons around them. */
    private static final Pattern ZERO_RUN = Pattern.compile("(?:^|:)0(?::0)+(?::|$)");

    private AddressText()
    {
    }

    public static String of(final InetAddress address)
    {
        final String full = address.getHostAddress();
        if (address instanceof Inet4Address)
        {
            return full;
        }
        final int zone = full.indexOf('%');
        // The JDK writes all eight groups without leading zeros: "2001:2:0:0:0:0:0:11".
        final String groups = zone < 0 ? full : full.substring(0, zone);
        int bestStart = -1;
        int bestEnd = -1;
        int bestZeros = 0;
        final Matcher run = ZERO_RUN.matcher(groups);
        while (run.find())
        {
            final int zeros = run.group().replace(":", "").length();
            if (zeros > bestZeros)
            {
                bestStart = run.start();
                bestEnd = run.end();
                bestZeros = zeros;
            }
        }
        return bestZeros == 0 ? groups : groups.substring(0, bestStart) + "::" + groups.substring(bestEnd);
    }
}
