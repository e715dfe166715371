package io.sluice.l7.json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Escaping per RFC 8259, and the structure checks that keep hand-built documents valid. */
class JsonWriterStructureTest
{
    @Test
    void stringsAreEscaped()
    {
        assertThat(JsonWriter.quote("a\"b\\c/\u0000\u001f\n\r\t\b\f\u2028\u2029é😀"))
            .isEqualTo("\"a\\\"b\\\\c/\\u0000\\u001f\\n\\r\\t\\b\\f\\u2028\\u2029é😀\"");
        assertThat(JsonWriter.quote("lone \ud800 and \udc00")).isEqualTo("\"lone \\ud800 and \\udc00\"");
    }

    @Test
    void nestedDocument()
    {
        final String json = new JsonWriter().beginObject().name("a").beginArray().value(1).value(true).value((String)null)
            .beginObject().endObject().endArray().name("b").value(2.5).name("c").value(Double.NaN).endObject().toString();

        assertThat(json).isEqualTo("{\"a\":[1,true,null,{}],\"b\":2.5,\"c\":null}");
    }

    @Test
    void structureMistakesThrow()
    {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().toString()).isInstanceOf(IllegalStateException.class);
    }
}
