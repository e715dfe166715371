package io.sluice.l7.route;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Match;
import io.sluice.l7.config.Route;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.sluice.l7.route.Routes.cookies;
import static io.sluice.l7.route.Routes.exact;
import static io.sluice.l7.route.Routes.exactValue;
import static io.sluice.l7.route.Routes.get;
import static io.sluice.l7.route.Routes.headers;
import static io.sluice.l7.route.Routes.host;
import static io.sluice.l7.route.Routes.methods;
import static io.sluice.l7.route.Routes.path;
import static io.sluice.l7.route.Routes.prefix;
import static io.sluice.l7.route.Routes.present;
import static io.sluice.l7.route.Routes.query;
import static io.sluice.l7.route.Routes.regex;
import static io.sluice.l7.route.Routes.regexValue;
import static io.sluice.l7.route.Routes.request;
import static io.sluice.l7.route.Routes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class RouterTest
{
    private static String routed(final Router router, final HttpRequest request)
    {
        final CompiledRoute route = router.match(request);
        return route == null ? null : route.name();
    }

    private static String routed(final Match match, final HttpRequest request)
    {
        return routed(new Router(List.of(route("r", match))), request);
    }

    @Test
    void theFirstRouteThatMatchesWinsAndNoneMatchingIsNull()
    {
        final Router router = new Router(List.of(
            route("api-exact", path(exact("/api"))),
            route("api", path(prefix("/api"))),
            route("also-api", path(prefix("/api/v1"))),
            route("static", path(prefix("/static/")))));

        assertThat(routed(router, get("/api"))).isEqualTo("api-exact");
        assertThat(routed(router, get("/api/v1/users"))).as("not the more specific later route").isEqualTo("api");
        assertThat(routed(router, get("/static/a.css"))).isEqualTo("static");
        assertThat(routed(router, get("/other"))).isNull();
        assertThat(new Router(List.of()).match(get("/"))).isNull();
    }

    @Test
    void matchAnyTakesEveryRequest()
    {
        assertThat(routed(Match.ANY, get("/"))).isEqualTo("r");
        assertThat(routed(Match.ANY, request(HttpMethod.DELETE, "*"))).isEqualTo("r");
    }

    @Test
    void exactHostIgnoresCaseAndPort()
    {
        final Match match = host("API.example.com");

        assertThat(routed(match, get("api.example.com", "/"))).isEqualTo("r");
        assertThat(routed(match, get("Api.Example.COM:8080", "/"))).isEqualTo("r");
        assertThat(routed(match, get("api.example.com.", "/"))).as("trailing dot").isEqualTo("r");
        assertThat(routed(match, get("www.example.com", "/"))).isNull();
        assertThat(routed(match, get("api.example.com.evil", "/"))).isNull();
        assertThat(routed(match, get("/"))).as("no Host header").isNull();
    }

    @Test
    void wildcardHostTakesOneOrMoreLabels()
    {
        final Match match = host("*.example.com");

        assertThat(routed(match, get("a.example.com", "/"))).isEqualTo("r");
        assertThat(routed(match, get("a.b.EXAMPLE.com:443", "/"))).isEqualTo("r");
        assertThat(routed(match, get("example.com", "/"))).as("no label").isNull();
        assertThat(routed(match, get(".example.com", "/"))).as("empty label").isNull();
        assertThat(routed(match, get("aexample.com", "/"))).as("not at a label boundary").isNull();
        assertThat(routed(match, get("a.example.org", "/"))).isNull();
    }

    @Test
    void ipv6HostsAreComparedWithoutBracketsPortOrSpellingDifferences()
    {
        final Match match = host("[2001:2:0:1::10]");

        assertThat(routed(match, get("[2001:2:0:1::10]:8080", "/"))).isEqualTo("r");
        assertThat(routed(match, get("[2001:2:0:1::10]", "/"))).isEqualTo("r");
        assertThat(routed(match, get("[2001:0002:0:1:0:0:0:10]:80", "/"))).as("another spelling").isEqualTo("r");
        assertThat(routed(match, get("[2001:2:0:1::11]:8080", "/"))).isNull();
        assertThat(routed(host("2001:2:0:1::10"), get("[2001:2:0:1::10]:80", "/"))).as("configured without brackets").isEqualTo("r");
        assertThat(routed(host("198.18.0.10"), get("198.18.0.10:8080", "/"))).isEqualTo("r");
    }

    @Test
    void absoluteFormTakesHostAndPathFromTheTargetNotTheHostHeader()
    {
        final Router router = new Router(List.of(
            route("api", new Match("api.example.com", prefix("/v1/"), Set.of(), List.of(), List.of(), List.of())),
            route("any", Match.ANY)));

        assertThat(routed(router, get("other.example.com", "http://API.example.com:8080/v1/users?x=1"))).isEqualTo("api");
        assertThat(routed(router, get("api.example.com", "http://other.example.com/v1/users"))).isEqualTo("any");
        assertThat(routed(router, get("https://user@api.example.com/v1/"))).as("userinfo ignored").isEqualTo("api");
        assertThat(routed(path(exact("/")), get("http://api.example.com?x=1"))).as("empty path is /").isEqualTo("r");
        assertThat(routed(host("[2001:2::5]"), get("http://[2001:2::5]:8080/"))).isEqualTo("r");
    }

    @Test
    void pathIsMatchedWithoutTheQueryString()
    {
        assertThat(routed(path(exact("/search")), get("/search?q=/x"))).isEqualTo("r");
        assertThat(routed(path(exact("/search")), get("/search/"))).isNull();
        assertThat(routed(path(exact("/search")), get("/Search"))).as("paths are case-sensitive").isNull();
        assertThat(routed(path(prefix("/img/")), get("/img/a.png?w=10"))).isEqualTo("r");
        assertThat(routed(path(prefix("/img/")), get("/img?x=/img/"))).as("the prefix is in the query only").isNull();
        assertThat(routed(path(prefix("/")), request(HttpMethod.OPTIONS, "*"))).isNull();
    }

    @Test
    void regexMustMatchTheWholePath()
    {
        final Match match = path(regex("/users/[0-9]+"));

        assertThat(routed(match, get("/users/42"))).isEqualTo("r");
        assertThat(routed(match, get("/users/42?tab=1"))).isEqualTo("r");
        assertThat(routed(match, get("/users/42/posts"))).as("a find would match here").isNull();
        assertThat(routed(match, get("/v2/users/42"))).isNull();
    }

    @Test
    void methodsListsTheAcceptedMethods()
    {
        final Match match = methods("GET", "HEAD");

        assertThat(routed(match, get("/"))).isEqualTo("r");
        assertThat(routed(match, request(HttpMethod.HEAD, "/"))).isEqualTo("r");
        assertThat(routed(match, request(HttpMethod.POST, "/"))).isNull();
    }

    @Test
    void headersByCaseInsensitiveNameAndAnyOfTheirValues()
    {
        final HttpRequest request = get("/");
        request.headers().add("x-tenant", "blue");
        request.headers().add("X-Tenant", "green");

        assertThat(routed(headers(exactValue("X-TENANT", "green")), request)).as("the second value").isEqualTo("r");
        assertThat(routed(headers(exactValue("x-tenant", "Green")), request)).as("values are case-sensitive").isNull();
        assertThat(routed(headers(present("x-tenant")), request)).isEqualTo("r");
        assertThat(routed(headers(present("x-other")), request)).isNull();
        assertThat(routed(headers(regexValue("x-tenant", "gr.*")), request)).isEqualTo("r");
        assertThat(routed(headers(regexValue("x-tenant", "re")), request)).as("regex matches the whole value").isNull();
        assertThat(routed(headers(exactValue("x-tenant", "blue"), exactValue("x-tenant", "green")), request))
            .as("each condition by a different value").isEqualTo("r");
        assertThat(routed(headers(exactValue("x-tenant", "blue"), present("x-other")), request)).as("all must hold").isNull();
    }

    @Test
    void cookiesFromEveryCookieHeader()
    {
        final HttpRequest request = get("/");
        request.headers().add("Cookie", "session=abc; beta=no");
        request.headers().add("Cookie", "beta=yes");

        assertThat(routed(cookies(exactValue("beta", "yes")), request)).as("a second Cookie header, a repeated name").isEqualTo("r");
        assertThat(routed(cookies(exactValue("beta", "no")), request)).isEqualTo("r");
        assertThat(routed(cookies(exactValue("session", "abc")), request)).isEqualTo("r");
        assertThat(routed(cookies(present("session")), request)).isEqualTo("r");
        assertThat(routed(cookies(present("Session")), request)).as("cookie names are exact").isNull();
        assertThat(routed(cookies(regexValue("session", "a.")), request)).isNull();
        assertThat(routed(cookies(present("session")), get("/"))).as("no Cookie header").isNull();
    }

    @Test
    void queryParametersAreDecodedAndAnyValueMatches()
    {
        final Match match = query(exactValue("tag", "a b"));

        assertThat(routed(match, get("/?tag=x&tag=a%20b"))).isEqualTo("r");
        assertThat(routed(match, get("/?tag=a+b"))).as("+ is a space").isEqualTo("r");
        assertThat(routed(match, get("/?tag=ab"))).isNull();
        assertThat(routed(match, get("/"))).isNull();
        assertThat(routed(query(present("debug")), get("/x?debug"))).isEqualTo("r");
        assertThat(routed(query(exactValue("a", "1;b=2")), get("/?a=1;b=2"))).as("; is not a separator").isEqualTo("r");
        assertThat(routed(query(regexValue("id", "[0-9]+")), get("/?id=12x"))).isNull();
        assertThat(routed(query(present("x")), get("/#x?x=1"))).as("a fragment is no query").isNull();
    }

    @Test
    void everyConditionOfOneMatchMustHold()
    {
        final Match match = new Match(
            "*.example.com", prefix("/api/"), Set.of("POST"),
            List.of(exactValue("content-type", "application/json")),
            List.of(present("session")),
            List.of(exactValue("v", "2")));
        final HttpRequest request = request(HttpMethod.POST, "/api/items?v=2");
        request.headers().set("Host", "shop.example.com").set("Content-Type", "application/json").set("Cookie", "session=1");

        assertThat(routed(match, request)).isEqualTo("r");
        for (final Runnable spoil : List.<Runnable>of(
            () -> request.setMethod(HttpMethod.PUT),
            () -> request.setUri("/web/items?v=2"),
            () -> request.setUri("/api/items?v=1"),
            () -> request.headers().set("Host", "example.com"),
            () -> request.headers().set("Content-Type", "text/plain"),
            () -> request.headers().remove("Cookie")))
        {
            final HttpRequest copy = request(HttpMethod.POST, "/api/items?v=2");
            copy.headers().set(request.headers());
            spoil.run();
            assertThat(routed(match, request)).isNull();
            request.setMethod(copy.method()).setUri(copy.uri()).headers().set(copy.headers());
            assertThat(routed(match, request)).as("restored").isEqualTo("r");
        }
    }

    @Test
    void refusesRoutesItCannotServeNamingThem()
    {
        final Route noPools = new Route("empty", Match.ANY, List.of(), null,
            io.sluice.l7.config.HeaderRules.NONE, io.sluice.l7.config.HeaderRules.NONE, null);
        assertThatThrownBy(() -> new Router(List.of(noPools))).hasMessageContaining("'empty'");
        assertThatThrownBy(() -> new Router(List.of(route("r", host("*.")))))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
