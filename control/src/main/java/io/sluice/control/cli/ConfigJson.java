package io.sluice.control.cli;

import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.l7.json.JsonWriter;

import java.util.List;
import java.util.function.BiFunction;

/** The JSON form of a configuration, shared by {@code vip list --json} and {@code real list --json}. */
final class ConfigJson
{
    private ConfigJson()
    {
    }

    /** {@code {"vips":[{"vip":...,"address":...,"port":...,"protocol":...,"mode":...,"scheduler":...,"health":...,"reals":[...]}]}} */
    static String vips(final List<VipConfig> vips)
    {
        final JsonWriter json = new JsonWriter().beginObject().name("vips").beginArray();
        for (final VipConfig vip : vips)
        {
            json.beginObject()
                .name("vip").value(vip.key().toString())
                .name("address").value(vip.key().address().toString())
                .name("port").value(vip.key().port())
                .name("protocol").value(vip.key().protocol().label())
                .name("mode").value(vip.spec().mode().label())
                .name("scheduler").value(vip.spec().scheduler().label())
                .name("health").value(vip.spec().health().format())
                .name("reals");
            reals(json, vip);
            json.endObject();
        }
        return json.endArray().endObject().toString();
    }

    /** {@code {"reals":[{"vip":...,"real":...,"address":...,"port":...,"weight":...}]}} */
    /** {@code {"reals":[{"vip":...,"real":...,...,"health":"up","health_changed_ms":0,"health_transitions":0}]}}. */
    static String reals(final List<VipConfig> vips, final BiFunction<VipConfig, RealSpec, RealHealth> health)
    {
        final JsonWriter json = new JsonWriter().beginObject().name("reals").beginArray();
        for (final VipConfig vip : vips)
        {
            for (final RealSpec real : vip.reals())
            {
                final RealHealth state = health.apply(vip, real);
                real(json.beginObject().name("vip").value(vip.key().toString()), vip, real)
                    .name("health").value(state.state())
                    .name("health_changed_ms").value(state.changedAtMs())
                    .name("health_transitions").value(state.transitions())
                    .endObject();
            }
        }
        return json.endArray().endObject().toString();
    }

    private static void reals(final JsonWriter json, final VipConfig vip)
    {
        json.beginArray();
        for (final RealSpec real : vip.reals())
        {
            real(json.beginObject(), vip, real).endObject();
        }
        json.endArray();
    }

    private static JsonWriter real(final JsonWriter json, final VipConfig vip, final RealSpec real)
    {
        return json
            .name("real").value(real.endpoint())
            .name("address").value(real.address().toString())
            .name("port").value(vip.effectivePort(real))
            .name("weight").value(real.weight());
    }
}
