package io.sluice.control.json;

import io.sluice.l7.json.JsonWriter;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonParserTest
{
    @Test
    void parsesNestedValuesOfEveryKind()
    {
        final Object parsed = JsonParser.parse(
            " {\"a\": [1, -2.5, true, false, null], \"b\": {\"c\": \"x\\\"y\\\\z\\n\\u0041\"}, \"d\": {}, \"e\": []} ");

        assertThat(parsed).isEqualTo(Map.of(
            "a", java.util.Arrays.asList(1L, -2.5, true, false, null),
            "b", Map.of("c", "x\"y\\z\nA"),
            "d", Map.of(),
            "e", List.of()));
    }

    @Test
    void quoteRoundTripsThroughParse()
    {
        final String awkward = "tab\t quote\" backslash\\ newline\n bell\u0007 é";

        assertThat(JsonParser.parse(JsonWriter.quote(awkward))).isEqualTo(awkward);
    }

    @Test
    void rejectsWhatIsNotJsonNamingWhere()
    {
        assertThatThrownBy(() -> JsonParser.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("character 8");
        assertThatThrownBy(() -> JsonParser.parse("[1 2]")).hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> JsonParser.parse("\"open")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> JsonParser.parse("{} x")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> JsonParser.parseObject("[1]")).hasMessageContaining("expected a JSON object");
    }
}
