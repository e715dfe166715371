package io.sluice.l7.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A route's {@code filters:} list: the forms it takes, and each refusal as its one line. */
class L7ConfigFiltersTest
{
    static final String LISTENERS = "listeners: [{ name: web, address: 198.18.1.1:80 }]\n";
    static final String POOLS = "pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }] } }\n";

    /** The one route of a file with these {@code routes} and a listener and pool to go with them. */
    static Route onlyRoute(final String routes)
    {
        return L7ConfigLoader.parse(routes + LISTENERS + POOLS, "l7.yaml").routes().getFirst();
    }

    @Test
    void theListNamesFiltersInTheOrderTheyApply()
    {
        final Route route = onlyRoute("""
            routes:
              - name: api
                match: { path: { prefix: /api/ } }
                filters:
                  - response_headers: { remove: [Server] }
                  - rewrite: { prefix: /v1/ }
                  - request_headers: { set: { X-Env: prod } }
                  - rewrite: { regex: "/+", substitution: "/" }
                to: p
            """);

        assertThat(route.filters()).hasSize(4);
        assertThat(route.filters().get(0)).isEqualTo(new RouteFilter.ResponseHeaders(new HeaderRules(Map.of(), List.of("Server"))));
        assertThat(route.filters().get(1)).isEqualTo(new RouteFilter.PathRewrite(new Rewrite("/v1/", null, null)));
        assertThat(route.filters().get(2)).isEqualTo(new RouteFilter.RequestHeaders(new HeaderRules(Map.of("X-Env", "prod"), List.of())));
        assertThat(((RouteFilter.PathRewrite)route.filters().get(3)).rewrite().regex().pattern()).isEqualTo("/+");
        assertThat(route.rewrite()).as("the keys stay as they were").isNull();
        assertThat(route.requestHeaders()).isEqualTo(HeaderRules.NONE);
    }

    @Test
    void noListAndAnEmptyListNameNoFilters()
    {
        assertThat(onlyRoute("routes: [{ name: r, to: p }]\n").filters()).isEmpty();
        assertThat(onlyRoute("routes: [{ name: r, filters: [], to: p }]\n").filters()).isEmpty();
    }

    @Test
    void theKeysAndTheListGoTogether()
    {
        final Route route = onlyRoute("""
            routes:
              - name: r
                request_headers: { set: { X-A: "1" } }
                filters: [{ request_headers: { set: { X-B: "2" } } }]
                to: p
            """);

        assertThat(route.requestHeaders()).isEqualTo(new HeaderRules(Map.of("X-A", "1"), List.of()));
        assertThat(route.filters()).containsExactly(new RouteFilter.RequestHeaders(new HeaderRules(Map.of("X-B", "2"), List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(final String description, final String routes, final String message)
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse(routes + LISTENERS + POOLS, "l7.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessage(message);
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            arguments("an unknown filter", """
                routes:
                  - name: r
                    filters:
                      - gzip: { level: 6 }
                    to: p
                """,
                "l7.yaml:4: routes[0].filters[0].gzip: unknown filter; known filters: request_headers, response_headers, rewrite, "
                    + "client_cert_headers, compress"),
            arguments("two filters in one item", """
                routes:
                  - name: r
                    filters:
                      - { request_headers: { set: { X-A: "1" } }, rewrite: { regex: a, substitution: b } }
                    to: p
                """,
                "l7.yaml:4: routes[0].filters[0]: expected one filter as { NAME: ARGUMENT } (NAME one of request_headers, "
                    + "response_headers, rewrite, client_cert_headers, compress), found a mapping"),
            arguments("a name without its argument's mapping", """
                routes:
                  - name: r
                    filters: [rewrite]
                    to: p
                """,
                "l7.yaml:3: routes[0].filters[0]: expected one filter as { NAME: ARGUMENT } (NAME one of request_headers, "
                    + "response_headers, rewrite, client_cert_headers, compress), found 'rewrite'"),
            arguments("filters not a list", """
                routes:
                  - name: r
                    filters: { rewrite: { prefix: /a } }
                    to: p
                """,
                "l7.yaml:3: routes[0].filters: expected a list, found a mapping"),
            arguments("a bad header name in an argument", """
                routes:
                  - name: r
                    filters:
                      - request_headers: { remove: ["X Bad"] }
                    to: p
                """,
                "l7.yaml:4: routes[0].filters[0].request_headers.remove[0]: 'X Bad' is not a header name (an HTTP token: letters, digits and "
                    + "!#$%&'*+-.^_`|~)"),
            arguments("an argument with an unknown key", """
                routes:
                  - name: r
                    filters:
                      - response_headers: { add: { X-A: "1" } }
                    to: p
                """,
                "l7.yaml:4: routes[0].filters[0].response_headers.add: unknown key; allowed here: set, remove"),
            arguments("a prefix rewrite without a prefix match", """
                routes:
                  - name: r
                    filters:
                      - rewrite: { prefix: /v1/ }
                    to: p
                """,
                "l7.yaml:4: routes[0].filters[0].rewrite.prefix: needs a path prefix match (match.path.prefix)"));
    }
}
