package io.sluice.l7.filter.compress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Content-Type values against the default media ranges. */
class MediaRangesTest
{
    private static final MediaRanges DEFAULTS = new MediaRanges(List.of("text/*", "application/json", "application/*+json",
        "application/javascript", "application/xml", "application/*+xml", "image/svg+xml", "application/wasm"));

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
        "text/html; charset=utf-8        | true",
        "Text/HTML                       | true",
        "application/json                | true",
        "application/problem+json        | true",
        "application/json;charset=utf-8  | true",
        "application/javascript          | true",
        "image/svg+xml                   | true",
        "application/atom+xml            | true",
        "application/wasm                | true",
        "application/jsonx               | false",
        "application/+json               | false",
        "image/png                       | false",
        "application/octet-stream        | false",
        "text                            | false",
        "''                              | false",
    })
    void matchesTypeSubtypeWildcardsAndSuffixes(final String contentType, final boolean compressible)
    {
        assertThat(DEFAULTS.matches(contentType)).isEqualTo(compressible);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"text/event-stream | true", "TEXT/Event-Stream; charset=utf-8 | true",
        "text/event-streams | false", "text/plain | false"})
    void recognisesServerSentEvents(final String contentType, final boolean eventStream)
    {
        assertThat(MediaRanges.is(contentType, MediaRanges.EVENT_STREAM)).isEqualTo(eventStream);
    }
}
