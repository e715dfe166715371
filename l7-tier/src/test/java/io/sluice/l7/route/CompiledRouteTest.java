package io.sluice.l7.route;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.config.HeaderRules;
import io.sluice.l7.config.Match;
import io.sluice.l7.config.PathMatch;
import io.sluice.l7.config.Rewrite;
import io.sluice.l7.config.Route;
import io.sluice.l7.filter.FilterRuns;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static io.sluice.l7.route.Routes.exact;
import static io.sluice.l7.route.Routes.path;
import static io.sluice.l7.route.Routes.prefix;
import static io.sluice.l7.route.Routes.regex;
import static io.sluice.l7.route.Routes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

final class CompiledRouteTest
{
    private static final int DRAWS = 10_000;

    private static CompiledRoute split(final Route.WeightedPool... to)
    {
        return new CompiledRoute(new Route("canary", Match.ANY, List.of(to), null, HeaderRules.NONE, HeaderRules.NONE, null));
    }

    /** The target the route's request filters send on (its path rewrite, if it has one). */
    private static String rewritePath(final CompiledRoute route, final String uri)
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        FilterRuns.request(route.filters(), request);
        return request.uri();
    }

    private static Map<String, Integer> draw(final CompiledRoute route, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < DRAWS; i++)
        {
            counts.merge(route.choosePool(random), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void weightedSplitFollowsTheWeights()
    {
        final CompiledRoute route = split(new Route.WeightedPool("stable", 90), new Route.WeightedPool("canary", 10));
        final Map<String, Integer> counts = draw(route, 7);

        assertThat(counts.get("stable") / (double)DRAWS).isCloseTo(0.90, within(0.015));
        assertThat(counts.get("canary") / (double)DRAWS).isCloseTo(0.10, within(0.015));
        assertThat(draw(route, 7)).as("deterministic for a seed").isEqualTo(counts);
    }

    @Test
    void threeWaySplitAndZeroWeightNeverChosen()
    {
        final CompiledRoute route = split(
            new Route.WeightedPool("a", 1), new Route.WeightedPool("off", 0), new Route.WeightedPool("b", 2), new Route.WeightedPool("c", 1));
        final Map<String, Integer> counts = draw(route, 11);

        assertThat(counts).doesNotContainKey("off");
        assertThat(counts.get("a") / (double)DRAWS).isCloseTo(0.25, within(0.015));
        assertThat(counts.get("b") / (double)DRAWS).isCloseTo(0.50, within(0.015));
        assertThat(counts.get("c") / (double)DRAWS).isCloseTo(0.25, within(0.015));
    }

    @Test
    void onePoolIsAlwaysChosenWhateverItsWeight()
    {
        final CompiledRoute route = split(new Route.WeightedPool("only", 0));

        assertThat(draw(route, 3)).containsExactly(Map.entry("only", DRAWS));
        assertThat(route.choosePool()).isEqualTo("only");
    }

    @Test
    void weightsAddingUpToNothingAreRefused()
    {
        assertThatThrownBy(() -> split(new Route.WeightedPool("a", 0), new Route.WeightedPool("b", 0)))
            .hasMessageContaining("'canary'").hasMessageContaining("add up to 0");
    }

    @Test
    void prefixRewriteReplacesTheMatchedPrefixAndKeepsTheQuery()
    {
        final CompiledRoute route = new CompiledRoute(route("r", path(prefix("/api/")), new Rewrite("/v1/", null, null)));

        assertThat(rewritePath(route, "/api/users?id=1&x=/api/")).isEqualTo("/v1/users?id=1&x=/api/");
        assertThat(rewritePath(route, "/api/")).isEqualTo("/v1/");
        assertThat(rewritePath(route, "/api/a/api/b")).as("only the leading prefix").isEqualTo("/v1/a/api/b");
        assertThat(rewritePath(route, "http://h.example.com:8080/api/x?q")).as("absolute-form").isEqualTo("http://h.example.com:8080/v1/x?q");
        assertThat(rewritePath(route, "/other")).as("not under the prefix").isEqualTo("/other");
    }

    @Test
    void prefixRewriteToNothingLeavesAnOriginFormPath()
    {
        final CompiledRoute route = new CompiledRoute(route("r", path(prefix("/app")), new Rewrite("", null, null)));

        assertThat(rewritePath(route, "/app/index.html")).isEqualTo("/index.html");
        assertThat(rewritePath(route, "/app?x=1")).isEqualTo("/?x=1");
        assertThat(rewritePath(route, "/app")).isEqualTo("/");
    }

    @Test
    void prefixRewriteWithoutAPrefixMatchIsRefused()
    {
        assertThatThrownBy(() -> new CompiledRoute(route("exact", path(exact("/a")), new Rewrite("/b", null, null))))
            .hasMessageContaining("'exact'").hasMessageContaining("prefix path match");
    }

    @Test
    void regexRewriteSubstitutesGroupsInThePathOnly()
    {
        final CompiledRoute route = new CompiledRoute(route("r", path(regex("/users/([0-9]+)/profile")),
            new Rewrite(null, Pattern.compile("^/users/([0-9]+)/profile$"), "/profiles/$1")));

        assertThat(rewritePath(route, "/users/42/profile?users=7")).isEqualTo("/profiles/42?users=7");
        assertThat(rewritePath(new CompiledRoute(route("r", Match.ANY, new Rewrite(null, Pattern.compile("/+"), "/"))),
            "//a///b/?x=//")).as("every match, not in the query").isEqualTo("/a/b/?x=//");
    }

    @Test
    void noRewriteReturnsTheTargetItself()
    {
        final String uri = "/a?b";
        assertThat(rewritePath(new CompiledRoute(route("r", Match.ANY)), uri)).isSameAs(uri);
    }

    @Test
    void headerRulesRemoveThenSet()
    {
        final Map<String, String> set = new LinkedHashMap<>();
        set.put("X-Route", "api");
        set.put("x-forwarded-proto", "https");
        final CompiledRoute route = new CompiledRoute(new Route("r", Match.ANY, List.of(new Route.WeightedPool("p", 1)), null,
            new HeaderRules(set, List.of("X-Forwarded-Proto", "x-debug")),
            new HeaderRules(Map.of("Strict-Transport-Security", "max-age=31536000"), List.of("server")), null));
        final HttpHeaders request = new DefaultHttpHeaders()
            .add("X-Debug", "1").add("x-debug", "2").add("X-Forwarded-Proto", "http").add("Accept", "*/*");
        final HttpHeaders response = new DefaultHttpHeaders().add("Server", "backend/1.0").add("Content-Length", "0");

        FilterRuns.request(route.filters(), new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", request));
        FilterRuns.response(route.filters(), new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, response));

        assertThat(request.getAll("x-debug")).isEmpty();
        assertThat(request.getAll("x-forwarded-proto")).as("removed, then set: one value").containsExactly("https");
        assertThat(request.get("x-route")).isEqualTo("api");
        assertThat(request.get("accept")).isEqualTo("*/*");
        assertThat(response.contains("server")).isFalse();
        assertThat(response.get("strict-transport-security")).isEqualTo("max-age=31536000");
        assertThat(response.get("content-length")).isEqualTo("0");
    }

    @Test
    void theRoutesMaxBodyWinsOverTheLimitAndNoneFollowsIt()
    {
        final Route.WeightedPool to = new Route.WeightedPool("p", 1);
        final CompiledRoute own = new CompiledRoute(new Route("upload", Match.ANY, List.of(to), null, HeaderRules.NONE, HeaderRules.NONE,
            5L << 30));
        final CompiledRoute none = new CompiledRoute(new Route("get-only", Match.ANY, List.of(to), null, HeaderRules.NONE,
            HeaderRules.NONE, 0L));

        assertThat(own.maxBodyBytes(1024)).as("larger than the limit: a route may allow more").isEqualTo(5L << 30);
        assertThat(none.maxBodyBytes(1024)).as("0: no body at all, not 'unset'").isZero();
        assertThat(new CompiledRoute(route("r", Match.ANY)).maxBodyBytes(1024)).isEqualTo(1024);
    }

    @Test
    void pathMatchWithoutACompiledPatternIsCompiled()
    {
        final CompiledRoute route = new CompiledRoute(route("r", path(new PathMatch(PathMatch.Kind.REGEX, "/a+", null))));
        assertThat(new Router(List.of(route.route())).match(Routes.get("/aaa"))).isNotNull();
    }
}
