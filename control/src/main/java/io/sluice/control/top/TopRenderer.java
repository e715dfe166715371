package io.sluice.control.top;

import io.sluice.control.cnc.BgpState;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link TopSnapshot} as lines of text for a screen of a given width: a title, the VIPs with
 * their reals (sorted by the {@link SortKey}), each VIP address's BGP announcement and each
 * neighbour's BGP and BFD session (with {@code --bgp}), drops by reason, the workers, the AF_XDP sockets'
 * ring counters, and the L7 proxy's routes and servers. Pure: the same snapshot, order and size
 * always give the same lines, which the tests compare with golden text. {@link #screen} fits
 * them to a terminal's height with the keys in a footer; {@link #lines} is the whole report.
 */
public final class TopRenderer
{
    /** The name column never gets narrower than this; a narrow terminal cuts lines on the right instead. */
    static final int MIN_NAME_WIDTH = 24;
    static final int MAX_NAME_WIDTH = 40;
    /** The widest table's columns besides the name: an L7 server's rates, in flight and health. */
    private static final int WIDEST_COLUMNS = 78;
    private static final String[] STATUS_CLASSES = {"2xx", "3xx", "4xx", "5xx"};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    private TopRenderer()
    {
    }

    /**
     * The screen: {@link #lines} cut to {@code height - 1} lines (the last of them saying how many
     * more there are) and the footer on the bottom line; every line at most {@code width} wide.
     *
     * @param snapshot null before the second sample: the screen says rates are coming.
     */
    public static List<String> screen(final TopSnapshot snapshot, final SortKey sort, final double intervalS, final int width,
        final int height)
    {
        final List<String> body = snapshot == null ?
            List.of(String.format(Locale.ROOT, "sluice top: the first rates come after one interval (%.1f s)", intervalS)) :
            lines(snapshot, sort, width);
        final int room = Math.max(1, height - 1);
        final List<String> screen = new ArrayList<>(height);
        if (body.size() <= room)
        {
            screen.addAll(body);
        }
        else
        {
            screen.addAll(body.subList(0, room - 1));
            screen.add("... " + (body.size() - room + 1) + " more lines (a taller terminal shows them)");
        }
        while (screen.size() < room)
        {
            screen.add("");
        }
        screen.add(footer(sort));
        return cut(screen, width);
    }

    /** The keys the live screen takes, and the order it shows now. */
    static String footer(final SortKey sort)
    {
        final StringBuilder footer = new StringBuilder("q quit");
        for (final SortKey key : SortKey.values())
        {
            footer.append("  ").append(key.key()).append(' ').append(key.label());
        }
        return footer.append("  | sorted by ").append(sort.label()).toString();
    }

    /** The whole report, for {@code --once} and as the screen's body. */
    public static List<String> lines(final TopSnapshot snapshot, final SortKey sort, final int width)
    {
        final int nameWidth = Math.clamp((long)width - WIDEST_COLUMNS, MIN_NAME_WIDTH, MAX_NAME_WIDTH);
        final List<String> lines = new ArrayList<>();
        lines.add(title(snapshot));
        if (snapshot.forwarderRates() != null)
        {
            forwarder(lines, snapshot.forwarderRates(), snapshot.bgp(), sort, nameWidth);
        }
        if (snapshot.l7Rates() != null)
        {
            l7(lines, snapshot.l7Rates(), sort, nameWidth);
        }
        else if (snapshot.l7Error() != null)
        {
            lines.add("");
            lines.add("L7: " + snapshot.l7Error());
        }
        return cut(lines, width);
    }

    private static String title(final TopSnapshot snapshot)
    {
        final StringBuilder title = new StringBuilder("sluice top");
        if (snapshot.forwarder() != null)
        {
            title.append("  forwarder ").append(snapshot.forwarder());
        }
        final double seconds = snapshot.forwarderRates() != null ? snapshot.forwarderRates().seconds() :
            snapshot.l7Rates() != null ? snapshot.l7Rates().seconds() : 0;
        title.append(String.format(Locale.ROOT, "  rates over %.1f s  ", seconds));
        return title.append(CLOCK.format(Instant.ofEpochMilli(snapshot.takenAtMs()))).toString();
    }

    private static void forwarder(final List<String> lines, final ForwarderRates rates, final BgpState bgp, final SortKey sort,
        final int nameWidth)
    {
        lines.add("");
        final String row = "%-" + nameWidth + "s %10s %10s %7s  %s";
        if (rates.vips().isEmpty())
        {
            lines.add("no VIPs");
        }
        else
        {
            lines.add(format(row, "VIP / REAL", "PACKETS/S", "BYTES/S", "SHARE", "HEALTH"));
            for (final ForwarderRates.VipRates vip : sort.sorted(rates.vips()))
            {
                lines.add(format(row, vip.name(), Units.rate(vip.packetsPerS()), Units.rate(vip.bytesPerS()), "", "")
                    .stripTrailing());
                for (final ForwarderRates.RealRates real : sort.sorted(vip.reals()))
                {
                    lines.add(format(row, "  " + real.name(), Units.rate(real.packetsPerS()), Units.rate(real.bytesPerS()),
                        Units.percent(real.sharePercent()), real.health()));
                }
            }
        }
        if (bgp.present())
        {
            bgp(lines, bgp, nameWidth);
        }
        lines.add("");
        if (rates.drops().isEmpty())
        {
            lines.add("no drops");
        }
        else
        {
            final String drop = "%-" + nameWidth + "s %10s %10s";
            lines.add(format(drop, "DROP", "/S", "TOTAL"));
            for (final ForwarderRates.DropRates reason : rates.drops())
            {
                lines.add(format(drop, reason.reason(), Units.rate(reason.perS()), Long.toString(reason.total())));
            }
        }
        lines.add("");
        final String worker = "%-6s %10s %10s %10s %10s %10s %9s %9s %9s %6s";
        lines.add(format(worker, "WORKER", "RX PKT/S", "TX PKT/S", "RX B/S", "TX B/S", "FLOWS/S", "BATCH/S", "PKT/BATCH",
            "TX ERR/S", "LOAD"));
        for (final ForwarderRates.WorkerRates w : rates.workers())
        {
            lines.add(format(worker, Integer.toString(w.index()), Units.rate(w.rxPacketsPerS()), Units.rate(w.txPacketsPerS()),
                Units.rate(w.rxBytesPerS()), Units.rate(w.txBytesPerS()), Units.rate(w.newFlowsPerS()),
                Units.rate(w.batchesPerS()), Units.rate(w.packetsPerBatch()), Units.rate(w.txErrorsPerS()),
                Units.percent(w.loadPercent())));
        }
        lines.add(format(worker, "all", "", "", "", "", Units.rate(rates.newFlowsPerS()), "", "", "", "").stripTrailing());
        sockets(lines, rates.sockets());
    }

    /** Each VIP address's announcement, then each neighbour's BGP session and its BFD session ("-" with BFD off). */
    private static void bgp(final List<String> lines, final BgpState bgp, final int nameWidth)
    {
        lines.add("");
        final String vip = "%-" + nameWidth + "s %s";
        lines.add(format(vip, "BGP VIP", "STATE"));
        for (final String address : bgp.announced().keySet())
        {
            lines.add(format(vip, address, bgp.state(address)));
        }
        final String neighbor = "%-" + nameWidth + "s %-12s %-10s %s";
        lines.add(format(neighbor, "BGP NEIGHBOR", "SESSION", "BFD", "TIMES UP"));
        bgp.neighbors().forEach((address, session) -> lines.add(format(neighbor, address, session.state().label(),
            session.bfdLabel(), Long.toString(session.established()))));
    }

    /** One row per kernel counter and a column per socket: the counters are many, the sockets few. */
    private static void sockets(final List<String> lines, final List<ForwarderRates.SocketRates> sockets)
    {
        if (sockets.isEmpty())
        {
            return;
        }
        lines.add("");
        final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s", "AF_XDP RINGS /S"));
        for (final ForwarderRates.SocketRates socket : sockets)
        {
            header.append(String.format(Locale.ROOT, " %10s", "socket " + socket.index()));
        }
        lines.add(header.toString());
        for (final String statistic : sockets.getFirst().perS().keySet())
        {
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-24s", statistic));
            for (final ForwarderRates.SocketRates socket : sockets)
            {
                row.append(String.format(Locale.ROOT, " %10s", Units.rate(socket.perS().getOrDefault(statistic, 0.0))));
            }
            lines.add(row.toString());
        }
    }

    private static void l7(final List<String> lines, final L7Rates rates, final SortKey sort, final int nameWidth)
    {
        lines.add("");
        lines.add("L7 " + rates.admin() + "  client connections " + rates.clientConnections() + "  backend connections " +
            rates.backendConnections());
        final String row = "%-" + nameWidth + "s %10s %10s %8s %8s %8s %8s %9s  %s";
        exchanges(lines, row, "ROUTE", sort.sorted(rates.routes()), false);
        exchanges(lines, row, "POOL/SERVER", sort.sorted(rates.servers()), true);
    }

    private static void exchanges(final List<String> lines, final String row, final String title,
        final List<L7Rates.ExchangeRates> rows, final boolean servers)
    {
        lines.add(format(row, title, "REQ/S", "BYTES/S", "2XX/S", "3XX/S", "4XX/S", "5XX/S", servers ? "IN FLIGHT" : "",
            servers ? "HEALTH" : "").stripTrailing());
        for (final L7Rates.ExchangeRates exchanges : rows)
        {
            final Object[] values = new Object[9];
            values[0] = exchanges.name();
            values[1] = Units.rate(exchanges.requestsPerS());
            values[2] = Units.rate(exchanges.bytesPerS());
            for (int i = 0; i < STATUS_CLASSES.length; i++)
            {
                values[3 + i] = Units.rate(exchanges.perS(STATUS_CLASSES[i]));
            }
            values[7] = servers ? Long.toString(exchanges.inFlight()) : "";
            values[8] = servers ? exchanges.health() : "";
            lines.add(format(row, values).stripTrailing());
        }
    }

    private static String format(final String pattern, final Object... values)
    {
        return String.format(Locale.ROOT, pattern, values);
    }

    private static List<String> cut(final List<String> lines, final int width)
    {
        final List<String> cut = new ArrayList<>(lines.size());
        for (final String line : lines)
        {
            cut.add(line.length() <= width ? line : line.substring(0, width));
        }
        return cut;
    }
}
