package io.sluice.control.top;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.control.cnc.BgpState;
import io.sluice.control.json.Json;

import java.io.IOException;
import java.util.Map;

/**
 * A {@link TopSnapshot} as JSON, for scripts: every rate per second under a {@code *_per_s}
 * name, in the forwarder's and the proxy's own order (a script sorts as it likes).
 * <pre>
 * {"taken_at_ms":..., "forwarder":{"name":..., "interval_s":1.0,
 *   "vips":[{"vip":..., "packets_per_s":..., "bytes_per_s":...,
 *     "reals":[{"real":..., ..., "share_percent":..., "health":"up"}]}],
 *   "drops":[{"reason":..., "per_s":..., "total":...}], "new_flows_per_s":...,
 *   "workers":[{"worker":0, "rx_packets_per_s":..., ...}], "sockets":[{"socket":0, "rx_ring_full_per_s":..., ...}],
 *   "bgp":{"neighbors":[...], "vips":[...], ...}},     (with --bgp: as sluice stats --json has it)
 *  "l7":{"admin":..., "interval_s":..., "client_connections":..., "backend_connections":...,
 *   "routes":[{"route":..., "requests_per_s":..., "bytes_per_s":..., "responses_per_s":{"2xx":...}}],
 *   "servers":[{"server":"pool/name", ..., "in_flight":..., "health":...}]}}
 * </pre>
 * A part top does not read is absent; an L7 endpoint that could not be read is {@code "l7":{"error":...}}.
 */
public final class TopJson
{
    private TopJson()
    {
    }

    public static String write(final TopSnapshot snapshot)
    {
        return Json.write(json ->
        {
            json.writeStartObject();
            json.writeNumberField("taken_at_ms", snapshot.takenAtMs());
            if (snapshot.forwarderRates() != null)
            {
                json.writeFieldName("forwarder");
                forwarder(json, snapshot.forwarder(), snapshot.forwarderRates(), snapshot.bgp());
            }
            if (snapshot.l7Rates() != null)
            {
                json.writeFieldName("l7");
                l7(json, snapshot.l7Rates());
            }
            else if (snapshot.l7Error() != null)
            {
                json.writeObjectFieldStart("l7");
                json.writeStringField("error", snapshot.l7Error());
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    private static void forwarder(final JsonGenerator json, final String name, final ForwarderRates rates, final BgpState bgp)
        throws IOException
    {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeNumberField("interval_s", rates.seconds());
        json.writeArrayFieldStart("vips");
        for (final ForwarderRates.VipRates vip : rates.vips())
        {
            json.writeStartObject();
            json.writeStringField("vip", vip.name());
            json.writeNumberField("packets_per_s", vip.packetsPerS());
            json.writeNumberField("bytes_per_s", vip.bytesPerS());
            json.writeArrayFieldStart("reals");
            for (final ForwarderRates.RealRates real : vip.reals())
            {
                json.writeStartObject();
                json.writeStringField("real", real.name());
                json.writeNumberField("packets_per_s", real.packetsPerS());
                json.writeNumberField("bytes_per_s", real.bytesPerS());
                json.writeNumberField("share_percent", real.sharePercent());
                json.writeStringField("health", real.health());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("drops");
        for (final ForwarderRates.DropRates drop : rates.drops())
        {
            json.writeStartObject();
            json.writeStringField("reason", drop.reason());
            json.writeNumberField("per_s", drop.perS());
            json.writeNumberField("total", drop.total());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNumberField("new_flows_per_s", rates.newFlowsPerS());
        json.writeArrayFieldStart("workers");
        for (final ForwarderRates.WorkerRates worker : rates.workers())
        {
            json.writeStartObject();
            json.writeNumberField("worker", worker.index());
            json.writeNumberField("rx_packets_per_s", worker.rxPacketsPerS());
            json.writeNumberField("tx_packets_per_s", worker.txPacketsPerS());
            json.writeNumberField("rx_bytes_per_s", worker.rxBytesPerS());
            json.writeNumberField("tx_bytes_per_s", worker.txBytesPerS());
            json.writeNumberField("new_flows_per_s", worker.newFlowsPerS());
            json.writeNumberField("batches_per_s", worker.batchesPerS());
            json.writeNumberField("packets_per_batch", worker.packetsPerBatch());
            json.writeNumberField("tx_errors_per_s", worker.txErrorsPerS());
            json.writeNumberField("load_percent", worker.loadPercent());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("sockets");
        for (final ForwarderRates.SocketRates socket : rates.sockets())
        {
            json.writeStartObject();
            json.writeNumberField("socket", socket.index());
            for (final Map.Entry<String, Double> statistic : socket.perS().entrySet())
            {
                json.writeNumberField(statistic.getKey().replace('-', '_') + "_per_s", statistic.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        if (bgp.present())
        {
            bgp.writeJson(json);
        }
        json.writeEndObject();
    }

    private static void l7(final JsonGenerator json, final L7Rates rates) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("admin", rates.admin());
        json.writeNumberField("interval_s", rates.seconds());
        json.writeNumberField("client_connections", rates.clientConnections());
        json.writeNumberField("backend_connections", rates.backendConnections());
        exchanges(json, "routes", "route", rates.routes(), false);
        exchanges(json, "servers", "server", rates.servers(), true);
        json.writeEndObject();
    }

    private static void exchanges(final JsonGenerator json, final String field, final String nameField,
        final Iterable<L7Rates.ExchangeRates> rows, final boolean servers) throws IOException
    {
        json.writeArrayFieldStart(field);
        for (final L7Rates.ExchangeRates row : rows)
        {
            json.writeStartObject();
            json.writeStringField(nameField, row.name());
            json.writeNumberField("requests_per_s", row.requestsPerS());
            json.writeNumberField("bytes_per_s", row.bytesPerS());
            json.writeObjectFieldStart("responses_per_s");
            for (int i = 0; i < L7Sample.CLASSES.size(); i++)
            {
                json.writeNumberField(L7Sample.CLASSES.get(i), row.byClassPerS().get(i));
            }
            json.writeEndObject();
            if (servers)
            {
                json.writeNumberField("in_flight", row.inFlight());
                json.writeStringField("health", row.health());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
