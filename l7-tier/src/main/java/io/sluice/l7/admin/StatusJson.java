package io.sluice.l7.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.netty.util.NetUtil;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.config.Listener;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Route;
import io.sluice.l7.config.Server;
import io.sluice.l7.tls.ServedCertificate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /status} as JSON: listeners (configured and bound address), routes (their pools and
 * weights), pools (algorithm, sticky cookie, health check, and each server's address, weight,
 * health, outlier ejection and requests in flight), and the requests refused so far, in total and
 * by reason ({@code "refused_requests":{"total":4,"by_reason":{"bad_chunk_size":3,"missing_host":1}}};
 * only the reasons that happened, so an attack stands out; the metrics list them all), and the
 * certificates TLS listeners serve (names, subject, issuer, not-after, key type). Written with
 * Jackson's streaming generator: a well-kept library escapes names from the configuration better
 * than hand-written code, and a status request is rare enough that its cost does not matter.
 */
final class StatusJson
{
    /** Escapes control characters with lower-case hex digits, as sluice's JSON always has. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE).build();

    private StatusJson()
    {
    }

    static String write(final ServingState state)
    {
        final StringWriter out = new StringWriter(1024);
        try (JsonGenerator json = JSON.createGenerator(out))
        {
            write(json, state);
        }
        catch (final IOException ex)
        {
            // A StringWriter does not fail: this is Jackson refusing a document that breaks JSON's structure.
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    private static void write(final JsonGenerator json, final ServingState state) throws IOException
    {
        json.writeStartObject();
        json.writeBooleanField("draining", state.draining());
        json.writeArrayFieldStart("listeners");
        final List<Listener> listeners = state.config().listeners();
        for (int i = 0; i < listeners.size(); i++)
        {
            final Listener listener = listeners.get(i);
            json.writeStartObject();
            json.writeStringField("name", listener.name());
            json.writeStringField("address", address(listener.address()));
            json.writeStringField("bound", i < state.boundListeners().size() ? address(state.boundListeners().get(i)) : null);
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("routes");
        for (final Route route : state.config().routes())
        {
            json.writeStartObject();
            json.writeStringField("name", route.name());
            json.writeArrayFieldStart("to");
            for (final Route.WeightedPool to : route.to())
            {
                json.writeStartObject();
                json.writeStringField("pool", to.pool());
                json.writeNumberField("weight", to.weight());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("pools");
        for (final Pool pool : state.config().pools().values())
        {
            pool(json, pool, state.pools().get(pool.name()));
        }
        json.writeEndArray();
        refusedRequests(json, state.refusedRequests());
        certificates(json, state.certificates());
        json.writeEndObject();
    }

    private static void certificates(final JsonGenerator json, final List<ServedCertificate> certificates) throws IOException
    {
        json.writeArrayFieldStart("certificates");
        for (final ServedCertificate certificate : certificates)
        {
            json.writeStartObject();
            json.writeStringField("listener", certificate.listener());
            json.writeStringField("file", certificate.file());
            json.writeArrayFieldStart("names");
            for (final String name : certificate.names())
            {
                json.writeString(name);
            }
            json.writeEndArray();
            json.writeStringField("subject", certificate.subject());
            json.writeStringField("issuer", certificate.issuer());
            json.writeStringField("not_after", certificate.notAfter().toString());
            json.writeStringField("key_type", certificate.keyType());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void refusedRequests(final JsonGenerator json, final Map<String, Long> byReason) throws IOException
    {
        long total = 0;
        for (final long count : byReason.values())
        {
            total += count;
        }
        json.writeObjectFieldStart("refused_requests");
        json.writeNumberField("total", total);
        json.writeObjectFieldStart("by_reason");
        for (final Map.Entry<String, Long> reason : byReason.entrySet())
        {
            if (reason.getValue() != 0)
            {
                json.writeNumberField(reason.getKey(), reason.getValue().longValue());
            }
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void pool(final JsonGenerator json, final Pool pool, final PoolBalancer balancer) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("name", pool.name());
        json.writeStringField("balance", lower(pool.balance().name()));
        json.writeFieldName("hash_on");
        if (pool.hashOn() == null)
        {
            json.writeNull();
        }
        else
        {
            json.writeStartObject();
            json.writeStringField("kind", lower(pool.hashOn().kind().name()));
            json.writeStringField("name", pool.hashOn().name());
            json.writeEndObject();
        }
        json.writeStringField("sticky_cookie", pool.sticky() == null ? null : pool.sticky().cookie());
        json.writeFieldName("health_check");
        healthCheck(json, pool.health());
        json.writeArrayFieldStart("servers");
        for (final Server server : pool.servers())
        {
            final Upstream upstream = balancer == null ? null : balancer.upstream(server.name());
            json.writeStartObject();
            json.writeStringField("name", server.name());
            json.writeStringField("address", address(server.address()));
            json.writeNumberField("weight", server.weight());
            if (upstream == null)
            {
                json.writeNullField("healthy"); // no balancer: no live state
                json.writeNullField("ejected");
                json.writeNullField("in_flight");
            }
            else
            {
                // healthy: picked now; ejected says whether passive outlier ejection is why not (else the checks are)
                json.writeBooleanField("healthy", upstream.healthy());
                json.writeBooleanField("ejected", upstream.ejected());
                json.writeNumberField("in_flight", upstream.inFlight());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void healthCheck(final JsonGenerator json, final HealthCheck health) throws IOException
    {
        if (health == null)
        {
            json.writeNull(); // no active checks: servers stay healthy
            return;
        }
        json.writeStartObject();
        json.writeStringField("kind", health.grpc() ? "grpc" : "http");
        if (!health.grpc())
        {
            json.writeStringField("path", health.path());
            json.writeNumberField("status", health.status());
            json.writeStringField("body", health.body());
        }
        json.writeNumberField("interval_ms", health.interval().toMillis());
        json.writeNumberField("timeout_ms", health.timeout().toMillis());
        json.writeNumberField("rise", health.rise());
        json.writeNumberField("fall", health.fall());
        json.writeEndObject();
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}: the address as written in a configuration. */
    static String address(final InetSocketAddress address)
    {
        return NetUtil.toSocketAddressString(address);
    }

    /** An enum constant as the configuration file spells it: {@code ROUND_ROBIN} is {@code round-robin}. */
    private static String lower(final String constant)
    {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
