package io.sluice.control.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.control.json.Json;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipConfig;

import java.io.IOException;
import java.util.List;
import java.util.function.BiFunction;

/** The JSON form of a configuration, shared by {@code vip list --json} and {@code real list --json}. */
final class ConfigJson
{
    private ConfigJson()
    {
    }

    /** The VIPs alone, without announcement states: the configuration as {@code sluice export --json} writes it. */
    static String vips(final List<VipConfig> vips)
    {
        return vips(vips, new BgpReport());
    }

    /**
     * {@code {"vips":[{"vip":...,"address":...,"port":...,"protocol":...,"mode":...,"second_chance":false,"scheduler":...,
     * "health":...,"reals":[...],
     * "bgp":"announced","self_test":"passed"}],"bgp_neighbors":[...]}}, the BGP fields only with --bgp.
     */
    static String vips(final List<VipConfig> vips, final BgpReport bgp)
    {
        return Json.write(json ->
        {
            json.writeStartObject();
            json.writeArrayFieldStart("vips");
            for (final VipConfig vip : vips)
            {
                json.writeStartObject();
                json.writeStringField("vip", vip.key().toString());
                json.writeStringField("address", vip.key().address().toString());
                json.writeNumberField("port", vip.key().port());
                json.writeStringField("protocol", vip.key().protocol().label());
                json.writeStringField("mode", vip.spec().mode().label());
                json.writeBooleanField("second_chance", vip.spec().secondChance());
                json.writeStringField("scheduler", vip.spec().scheduler().label());
                json.writeStringField("health", vip.spec().health().format());
                json.writeArrayFieldStart("reals");
                for (final RealSpec real : vip.reals())
                {
                    json.writeStartObject();
                    real(json, vip, real);
                    json.writeEndObject();
                }
                json.writeEndArray();
                if (bgp.present())
                {
                    json.writeStringField("bgp", bgp.state(vip.key().address().toString()));
                    json.writeStringField("self_test", bgp.selfTest(vip.key().toString()));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            if (bgp.present())
            {
                bgp.writeNeighbors(json, "bgp_neighbors");
            }
            json.writeEndObject();
        });
    }

    /**
     * {@code {"reals":[{"vip":...,"real":...,"address":...,"port":...,"weight":...,"health":"up","health_changed_ms":0,
     * "health_transitions":0}]}}.
     */
    static String reals(final List<VipConfig> vips, final BiFunction<VipConfig, RealSpec, RealHealth> health)
    {
        return Json.write(json ->
        {
            json.writeStartObject();
            json.writeArrayFieldStart("reals");
            for (final VipConfig vip : vips)
            {
                for (final RealSpec real : vip.reals())
                {
                    final RealHealth state = health.apply(vip, real);
                    json.writeStartObject();
                    json.writeStringField("vip", vip.key().toString());
                    real(json, vip, real);
                    json.writeStringField("health", state.state());
                    json.writeNumberField("health_changed_ms", state.changedAtMs());
                    json.writeNumberField("health_transitions", state.transitions());
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void real(final JsonGenerator json, final VipConfig vip, final RealSpec real) throws IOException
    {
        json.writeStringField("real", real.endpoint());
        json.writeStringField("address", real.address().toString());
        json.writeNumberField("port", vip.effectivePort(real));
        json.writeNumberField("weight", real.weight());
    }
}
