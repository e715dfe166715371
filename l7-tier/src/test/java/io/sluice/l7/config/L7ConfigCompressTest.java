package io.sluice.l7.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.sluice.l7.config.L7ConfigFiltersTest.onlyRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A route's {@code compress:}: its defaults, each key, the filter-list spelling, and each refusal as its one line. */
class L7ConfigCompressTest
{
    @Test
    void anEmptyCompressTakesEveryDefault()
    {
        final Route route = onlyRoute("""
            routes:
              - name: api
                response_headers: { set: { X-A: "1" } }
                compress: {}
                to: p
            """);
        assertThat(route.filters()).containsExactly(new RouteFilter.Compress(
            List.of(ContentCoding.BROTLI, ContentCoding.ZSTD, ContentCoding.GZIP), 1024,
            List.of("text/*", "application/json", "application/*+json", "application/javascript", "application/xml",
                "application/*+xml", "image/svg+xml", "application/wasm"),
            Map.of(ContentCoding.BROTLI, 4, ContentCoding.ZSTD, 3, ContentCoding.GZIP, 6)));
        assertThat(onlyRoute("routes: [{ name: api, compress: , to: p }]\n").filters()).isEqualTo(route.filters());
    }

    @Test
    void everyKeyGivenAndTheFilterListSpelling()
    {
        final RouteFilter.Compress expected = new RouteFilter.Compress(List.of(ContentCoding.GZIP, ContentCoding.ZSTD), 8192,
            List.of("text/html", "application/*+json"), Map.of(ContentCoding.GZIP, 9, ContentCoding.ZSTD, 19));
        assertThat(onlyRoute("""
            routes:
              - name: api
                compress: { algorithms: [gzip, zstd], min_size: 8KiB, types: [text/html, Application/*+JSON],
                            levels: { gzip: 9, zstd: 19 } }
                to: p
            """).filters()).containsExactly(expected);
        assertThat(onlyRoute("""
            routes:
              - name: api
                filters:
                  - compress: { algorithms: [gzip, zstd], min_size: 8192, types: [text/html, application/*+json],
                                levels: { gzip: 9, zstd: 19 } }
                to: p
            """).filters()).containsExactly(expected);
    }

    @Test
    void sseIsOffUnlessTheRouteSaysFlush()
    {
        assertThat(((RouteFilter.Compress)onlyRoute("routes: [{ name: api, compress: { sse: flush }, to: p }]\n").filters()
            .getFirst()).flushEventStreams()).isTrue();
        assertThat(((RouteFilter.Compress)onlyRoute("routes: [{ name: api, compress: { sse: off }, to: p }]\n").filters()
            .getFirst()).flushEventStreams()).isFalse();
        assertThat(((RouteFilter.Compress)onlyRoute("routes: [{ name: api, compress: {}, to: p }]\n").filters()
            .getFirst()).flushEventStreams()).isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refusals")
    void aBadCompressIsRefusedInOneLine(final String description, final String compress, final String message)
    {
        assertThatThrownBy(() -> onlyRoute("routes:\n  - name: api\n    to: p\n    compress: " + compress + "\n"))
            .isInstanceOf(ConfigException.class).hasMessage(message);
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            arguments("an unknown key", "{ level: 6 }",
                "l7.yaml:4: routes[0].compress.level: unknown key; allowed here: algorithms, min_size, types, levels, "
                    + "sse"),
            arguments("an unknown sse", "{ sse: always }", "l7.yaml:4: routes[0].compress.sse: 'always' is not off or flush"),
            arguments("an unknown algorithm", "{ algorithms: [gzip, deflate] }",
                "l7.yaml:4: routes[0].compress.algorithms[1]: 'deflate' is not an algorithm; known: br, zstd, gzip"),
            arguments("an algorithm twice", "{ algorithms: [gzip, gzip] }",
                "l7.yaml:4: routes[0].compress.algorithms[1]: 'gzip' is already used by routes[0].compress.algorithms[0]"),
            arguments("no algorithm", "{ algorithms: [] }", "l7.yaml:4: routes[0].compress.algorithms: needs at least one algorithm"),
            arguments("a level out of range", "{ levels: { gzip: 10 } }", "l7.yaml:4: routes[0].compress.levels.gzip: 10 is not 1-9"),
            arguments("a zstd level browsers refuse", "{ levels: { zstd: 22 } }",
                "l7.yaml:4: routes[0].compress.levels.zstd: 22 is not 1-19"),
            arguments("a level for an algorithm the route does not offer", "{ algorithms: [gzip], levels: { br: 5 } }",
                "l7.yaml:4: routes[0].compress.levels.br: not in this route's algorithms (gzip)"),
            arguments("a minimum too large to hold", "{ min_size: 2MiB }",
                "l7.yaml:4: routes[0].compress.min_size: 2MiB is not 0B-1MiB"),
            arguments("every type", "{ types: ['*/*'] }",
                "l7.yaml:4: routes[0].compress.types[0]: '*/*' is not a media type (type/subtype, type/* or type/*+suffix)"),
            arguments("a type with parameters", "{ types: ['text/html; charset=utf-8'] }",
                "l7.yaml:4: routes[0].compress.types[0]: 'text/html; charset=utf-8' is not a media type (type/subtype, type/* or "
                    + "type/*+suffix)"),
            arguments("a scalar", "gzip", "l7.yaml:4: routes[0].compress: expected a mapping (algorithms, min_size, types, levels, "
                + "sse), found 'gzip'"));
    }

    @Test
    void compressGivenTwiceIsRefused()
    {
        assertThatThrownBy(() -> onlyRoute("""
            routes:
              - name: api
                filters: [{ compress: {} }]
                compress: {}
                to: p
            """)).isInstanceOf(ConfigException.class)
            .hasMessage("l7.yaml:2: routes[0]: compresses twice (compress: and a compress filter): give it once");
    }
}
