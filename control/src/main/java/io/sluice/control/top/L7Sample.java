package io.sluice.control.top;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.control.json.Json;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An L7 proxy's counters at one moment, from its admin endpoint: per route and per pool server
 * the requests, response bytes and responses by status class ({@code sluice_l7_route_*},
 * {@code sluice_l7_server_*} in {@code /metrics}), the open client and backend connections, and
 * each configured server's health and requests in flight ({@code /status}).
 *
 * @param routes    by route name ("" counts requests no route matched).
 * @param servers   by pool and server; metrics only ("" as the server counts requests no server was up for).
 * @param states    the servers {@code /status} lists, in its order.
 * @param takenAtNs when, on the caller's clock.
 */
public record L7Sample(Map<String, Exchanges> routes, Map<ServerName, Exchanges> servers, Map<ServerName, ServerState> states,
    long clientConnections, long backendConnections, long takenAtNs)
{
    /** The status classes the metrics count responses under, in order: 0 is "no response sent". */
    public static final List<String> CLASSES = List.of("0", "1xx", "2xx", "3xx", "4xx", "5xx");

    public record ServerName(String pool, String server)
    {
        @Override
        public String toString()
        {
            return pool + "/" + (server.isEmpty() ? "(none up)" : server);
        }
    }

    /**
     * @param health   "up", "down" (its health checks), "ejected" (passive outlier ejection), or "-" with no live state.
     * @param inFlight requests it is serving now.
     */
    public record ServerState(String health, long inFlight)
    {
    }

    /** @param byClass responses by {@link #CLASSES} index. */
    public record Exchanges(long requests, long responseBytes, List<Long> byClass)
    {
        static final Exchanges NONE = new Exchanges(0, 0, List.of(0L, 0L, 0L, 0L, 0L, 0L));
    }

    public L7Sample
    {
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
        states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
    }

    /**
     * @param metrics the text of {@code GET /metrics}.
     * @param status  the JSON of {@code GET /status}.
     * @throws IllegalArgumentException when either is not what an L7 proxy's admin endpoint answers.
     */
    public static L7Sample parse(final String metrics, final String status, final long nowNs)
    {
        final Map<String, long[]> routes = new LinkedHashMap<>();
        final Map<ServerName, long[]> servers = new LinkedHashMap<>();
        long clientConnections = 0;
        long backendConnections = 0;
        for (final PrometheusSamples.Sample sample : PrometheusSamples.parse(metrics))
        {
            final long value = (long)sample.value();
            final String name = sample.name();
            if (name.startsWith("sluice_l7_route_"))
            {
                count(routes.computeIfAbsent(sample.label("route"), (route) -> new long[2 + CLASSES.size()]),
                    name.substring("sluice_l7_route_".length()), sample, value);
            }
            else if (name.startsWith("sluice_l7_server_"))
            {
                count(servers.computeIfAbsent(new ServerName(sample.label("pool"), sample.label("server")),
                    (server) -> new long[2 + CLASSES.size()]), name.substring("sluice_l7_server_".length()), sample, value);
            }
            else if (name.equals("sluice_l7_client_connections_active"))
            {
                clientConnections = value;
            }
            else if (name.equals("sluice_l7_backend_connections_active"))
            {
                backendConnections = value;
            }
        }
        return new L7Sample(exchanges(routes), exchanges(servers), states(status), clientConnections, backendConnections, nowNs);
    }

    /** Slot 0: requests, 1: response bytes, 2 + class index: responses of that class. */
    private static void count(final long[] slots, final String family, final PrometheusSamples.Sample sample, final long value)
    {
        switch (family)
        {
            case "requests_total" -> slots[0] = value;
            case "response_bytes_total" -> slots[1] = value;
            case "responses_total" ->
            {
                final int index = CLASSES.indexOf(sample.label("class"));
                if (index >= 0)
                {
                    slots[2 + index] = value;
                }
            }
            default ->
            {
                // Request bytes and latency histograms: not on top's screen.
            }
        }
    }

    private static <K> Map<K, Exchanges> exchanges(final Map<K, long[]> slots)
    {
        final Map<K, Exchanges> exchanges = new LinkedHashMap<>();
        slots.forEach((key, values) ->
        {
            final Long[] byClass = new Long[CLASSES.size()];
            for (int i = 0; i < byClass.length; i++)
            {
                byClass[i] = values[2 + i];
            }
            exchanges.put(key, new Exchanges(values[0], values[1], List.of(byClass)));
        });
        return exchanges;
    }

    /** The {@code pools[].servers[]} of {@code /status}: name, healthy, ejected, in_flight. */
    private static Map<ServerName, ServerState> states(final String status)
    {
        final Map<ServerName, ServerState> states = new LinkedHashMap<>();
        try (JsonParser json = Json.FACTORY.createParser(status))
        {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = json.currentName();
                json.nextToken();
                if (field.equals("pools"))
                {
                    expect(json.currentToken(), JsonToken.START_ARRAY);
                    while (json.nextToken() == JsonToken.START_OBJECT)
                    {
                        pool(json, states);
                    }
                }
                else
                {
                    json.skipChildren();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("not an L7 /status answer: " + ex.getMessage(), ex);
        }
        return states;
    }

    private static void pool(final JsonParser json, final Map<ServerName, ServerState> states) throws IOException
    {
        String pool = "";
        final Map<String, ServerState> servers = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = json.currentName();
            json.nextToken();
            if (field.equals("name"))
            {
                pool = json.getText();
            }
            else if (field.equals("servers"))
            {
                expect(json.currentToken(), JsonToken.START_ARRAY);
                while (json.nextToken() == JsonToken.START_OBJECT)
                {
                    server(json, servers);
                }
            }
            else
            {
                json.skipChildren();
            }
        }
        for (final Map.Entry<String, ServerState> server : servers.entrySet())
        {
            states.put(new ServerName(pool, server.getKey()), server.getValue());
        }
    }

    private static void server(final JsonParser json, final Map<String, ServerState> servers) throws IOException
    {
        String name = "";
        Boolean healthy = null;
        boolean ejected = false;
        long inFlight = 0;
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = json.currentName();
            final JsonToken value = json.nextToken();
            switch (field)
            {
                case "name" -> name = json.getText();
                case "healthy" -> healthy = value == JsonToken.VALUE_NULL ? null : json.getBooleanValue();
                case "ejected" -> ejected = value == JsonToken.VALUE_TRUE;
                case "in_flight" -> inFlight = value == JsonToken.VALUE_NUMBER_INT ? json.getLongValue() : 0;
                default -> json.skipChildren();
            }
        }
        final String health = healthy == null ? "-" : healthy ? "up" : ejected ? "ejected" : "down";
        servers.put(name, new ServerState(health, inFlight));
    }

    private static void expect(final JsonToken actual, final JsonToken expected) throws IOException
    {
        if (actual != expected)
        {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }
}
