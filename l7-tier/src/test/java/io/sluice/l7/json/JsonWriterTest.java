package io.sluice.l7.json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonWriterTest
{
    @Test
    void writesNestedObjectsAndArraysWithCommas()
    {
        final String json = new JsonWriter().beginObject()
            .name("a").value(1)
            .name("b").beginArray().value("x").value(true).value(2.5).beginObject().endObject().endArray()
            .name("c").value((String)null)
            .endObject().toString();

        assertThat(json).isEqualTo("{\"a\":1,\"b\":[\"x\",true,2.5,{}],\"c\":null}");
    }

    @Test
    void escapesStrings()
    {
        final String json = new JsonWriter().value("q\" b\\ n\n r\r t\t \u0001 \u001f \u2028 é \uD83D\uDE00").toString();

        assertThat(json).isEqualTo("\"q\\\" b\\\\ n\\n r\\r t\\t \\u0001 \\u001f \\u2028 é \uD83D\uDE00\"");
    }

    @Test
    void escapesLoneSurrogatesAndNamesToo()
    {
        assertThat(new JsonWriter().value("a\uD800b").toString()).isEqualTo("\"a\\ud800b\"");
        assertThat(new JsonWriter().beginObject().name("k\"").value(1).endObject().toString()).isEqualTo("{\"k\\\"\":1}");
    }

    @Test
    void nonFiniteNumbersBecomeNull()
    {
        assertThat(new JsonWriter().beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY).endArray().toString())
            .isEqualTo("[null,null]");
    }

    @Test
    void refusesBrokenStructure()
    {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().toString()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().value(1).value(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().name("a").endObject()).isInstanceOf(IllegalStateException.class);
    }
}
