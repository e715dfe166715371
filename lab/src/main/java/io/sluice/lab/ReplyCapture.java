package io.sluice.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches, with tcpdump on the client's eth0, the packets that come back from a VIP and records
 * the source MAC each arrived from: the MAC of the last hop. With DSR that is a real's MAC,
 * never the forwarder's. Optional: {@link #available()} says whether tcpdump is installed.
 */
public final class ReplyCapture implements AutoCloseable
{
    private static final Path[] TCPDUMP = {Path.of("/usr/bin/tcpdump"), Path.of("/usr/sbin/tcpdump")};
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** "12:00:00.000000 02:00:c6:12:00:0b > 02:00:c6:12:00:64, ethertype IPv4 ...". */
    private static final Pattern FRAME = Pattern.compile(
        "^\\S+ ([0-9a-f]{2}(?::[0-9a-f]{2}){5}) > [0-9a-f]{2}(?::[0-9a-f]{2}){5}, ethertype IPv4", Pattern.MULTILINE);

    private static final long SETTLE_MS = 500;

    private final Lab lab;
    private final Process tcpdump;

    private ReplyCapture(final Lab lab, final Process tcpdump)
    {
        this.lab = lab;
        this.tcpdump = tcpdump;
    }

    public static boolean available()
    {
        for (final Path path : TCPDUMP)
        {
            if (Files.isExecutable(path))
            {
                return true;
            }
        }
        return false;
    }

    /** Starts capturing packets from {@code vip}:{@code port}/tcp at the client; returns once tcpdump listens. */
    public static ReplyCapture start(final Lab lab, final String vip, final int port)
    {
        final Process tcpdump = lab.spawn(Lab.CLIENT, "tcpdump", "-i", "eth0", "-nn", "-e", "-l", "-Q", "in",
            "ip src " + vip + " and tcp src port " + port);
        lab.awaitOutput(tcpdump, "listening on", START_TIMEOUT);
        return new ReplyCapture(lab, tcpdump);
    }

    /** Stops the capture and counts the packets by source MAC. */
    public Map<String, Long> stopAndCountBySourceMac()
    {
        // tcpdump reads the kernel's capture buffer behind the traffic; let it catch up before
        // it is stopped, or the last packets of the load go uncounted.
        sleepMs(SETTLE_MS);
        lab.stop(tcpdump);
        final Map<String, Long> bySource = new TreeMap<>();
        final Matcher frame = FRAME.matcher(lab.output(tcpdump));
        while (frame.find())
        {
            bySource.merge(frame.group(1), 1L, Long::sum);
        }
        return bySource;
    }

    @Override
    public void close()
    {
        lab.stop(tcpdump);
    }

    private static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
