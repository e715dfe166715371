package io.sluice.control.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The factory's settings: escaping as sluice's JSON always had it, and text that reads back as written. */
class JsonTest
{
    @Test
    void quotesEscapeQuotesBackslashesAndControlCharactersInLowerCaseHex()
    {
        assertThat(Json.quote("a\"b\\c/\u0000\u001f\u001b\n\r\t\b\fé😀"))
            .isEqualTo("\"a\\\"b\\\\c/\\u0000\\u001f\\u001b\\n\\r\\t\\b\\fé😀\"");
    }

    @Test
    void quoteRoundTripsThroughTheParser() throws IOException
    {
        final String awkward = "tab\t quote\" backslash\\ newline\n bell\u0007 é";

        try (JsonParser json = Json.FACTORY.createParser(Json.quote(awkward)))
        {
            assertThat(json.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
            assertThat(json.getText()).isEqualTo(awkward);
        }
    }

    @Test
    void documentsAreCompactAndMistakesInTheirStructureThrow()
    {
        assertThat(Json.write(json ->
        {
            json.writeStartObject();
            json.writeArrayFieldStart("a");
            json.writeNumber(1);
            json.writeBoolean(true);
            json.writeNull();
            json.writeStartObject();
            json.writeEndObject();
            json.writeEndArray();
            json.writeNumberField("b", 2.5);
            json.writeEndObject();
        })).isEqualTo("{\"a\":[1,true,null,{}],\"b\":2.5}");
        assertThatThrownBy(() -> Json.write(json ->
        {
            json.writeStartObject();
            json.writeNumber(1);
        })).isInstanceOf(UncheckedIOException.class);
    }
}
