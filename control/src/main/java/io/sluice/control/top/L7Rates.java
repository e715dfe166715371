package io.sluice.control.top;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an L7 proxy did between two {@link L7Sample}s, per second: requests, response bytes and
 * responses by status class per route and per pool server, with each server's health and
 * requests in flight, and the connections open now.
 *
 * @param admin the admin endpoint read, {@code HOST:PORT}.
 */
public record L7Rates(String admin, double seconds, List<ExchangeRates> routes, List<ExchangeRates> servers,
    long clientConnections, long backendConnections)
{
    /**
     * One route's or one server's rates.
     *
     * @param name       the route's name, or {@code pool/server}.
     * @param byClassPerS responses per second by {@link L7Sample#CLASSES} index.
     * @param health     a server's health ("up", "down", "ejected", "-"); "-" for a route.
     * @param inFlight   a server's requests in flight now; 0 for a route.
     */
    public record ExchangeRates(String name, double requestsPerS, double bytesPerS, List<Double> byClassPerS, String health,
        long inFlight) implements Sortable
    {
        @Override
        public double countPerS()
        {
            return requestsPerS;
        }

        /** @param statusClass "2xx" and so on. */
        public double perS(final String statusClass)
        {
            return byClassPerS.get(L7Sample.CLASSES.indexOf(statusClass));
        }
    }

    public L7Rates
    {
        routes = List.copyOf(routes);
        servers = List.copyOf(servers);
    }

    public static L7Rates between(final String admin, final L7Sample earlier, final L7Sample later)
    {
        final double seconds = (later.takenAtNs() - earlier.takenAtNs()) / 1e9;
        if (seconds <= 0)
        {
            throw new IllegalArgumentException("the later sample is not later: " + seconds + " s");
        }
        final List<ExchangeRates> routes = new ArrayList<>();
        later.routes().forEach((route, exchanges) -> routes.add(rates(route.isEmpty() ? "(no route)" : route, exchanges,
            earlier.routes().getOrDefault(route, L7Sample.Exchanges.NONE), seconds, "-", 0)));
        // Every configured server, busy or not, then those only the metrics know (renamed by a reload, or "none up").
        final Set<L7Sample.ServerName> names = new LinkedHashSet<>(later.states().keySet());
        names.addAll(later.servers().keySet());
        final List<ExchangeRates> servers = new ArrayList<>();
        for (final L7Sample.ServerName name : names)
        {
            final L7Sample.ServerState state = later.states().getOrDefault(name, new L7Sample.ServerState("-", 0));
            servers.add(rates(name.toString(), later.servers().getOrDefault(name, L7Sample.Exchanges.NONE),
                earlier.servers().getOrDefault(name, L7Sample.Exchanges.NONE), seconds, state.health(), state.inFlight()));
        }
        return new L7Rates(admin, seconds, routes, servers, later.clientConnections(), later.backendConnections());
    }

    private static ExchangeRates rates(final String name, final L7Sample.Exchanges now, final L7Sample.Exchanges before,
        final double seconds, final String health, final long inFlight)
    {
        final List<Double> byClass = new ArrayList<>(L7Sample.CLASSES.size());
        for (int i = 0; i < L7Sample.CLASSES.size(); i++)
        {
            byClass.add(perS(now.byClass().get(i), before.byClass().get(i), seconds));
        }
        return new ExchangeRates(name, perS(now.requests(), before.requests(), seconds),
            perS(now.responseBytes(), before.responseBytes(), seconds), List.copyOf(byClass), health, inFlight);
    }

    /** A counter's growth per second; a proxy restarted between samples counts as 0, not negative. */
    private static double perS(final long now, final long before, final double seconds)
    {
        return Math.max(0, now - before) / seconds;
    }
}
