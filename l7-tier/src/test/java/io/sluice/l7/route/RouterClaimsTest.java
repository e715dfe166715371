package io.sluice.l7.route;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Match;
import io.sluice.l7.config.ValueMatch;
import io.sluice.l7.filter.Identity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sluice.l7.route.Routes.exactValue;
import static io.sluice.l7.route.Routes.get;
import static io.sluice.l7.route.Routes.path;
import static io.sluice.l7.route.Routes.prefix;
import static io.sluice.l7.route.Routes.present;
import static io.sluice.l7.route.Routes.regexValue;
import static io.sluice.l7.route.Routes.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes that match on claims: never on the first routing of a request (it has no identity yet), and on the second
 * ({@link Router#routeAgain}) only among those before the route that authenticated it, with the request's own
 * conditions as well.
 */
final class RouterClaimsTest
{
    private static final Router ROUTER = new Router(List.of(
        route("gold", claims(prefix("/api"), exactValue("tier", "gold"))),
        route("beta", claims(prefix("/api/beta"), regexValue("tier", "silver|bronze"), present("beta"))),
        route("api", path(prefix("/api"))),
        route("late", claims(prefix("/"), exactValue("tier", "silver"))),
        route("rest", path(prefix("/")))));

    private static Match claims(final io.sluice.l7.config.PathMatch path, final ValueMatch... claims)
    {
        return new Match(null, path, Set.of(), List.of(), List.of(), List.of(), List.of(claims));
    }

    private static Identity identity(final Map<String, String> claims)
    {
        return new Identity("jwt", "alice", claims);
    }

    private static String again(final HttpRequest request, final Map<String, String> claims)
    {
        final CompiledRoute first = ROUTER.match(request);
        final CompiledRoute again = ROUTER.routeAgain(request, identity(claims), first);
        return again == null ? null : again.name();
    }

    @Test
    void aRouteOnClaimsTakesNoRequestWithoutAnIdentity()
    {
        assertThat(ROUTER.match(get("/api/x")).name()).isEqualTo("api");
        assertThat(ROUTER.match(get("/other")).name()).as("not late, though its path matches").isEqualTo("rest");
    }

    @Test
    void routedAgainTheFirstRouteOnClaimsBeforeTheFirstRouteTakesIt()
    {
        assertThat(again(get("/api/x"), Map.of("tier", "gold"))).isEqualTo("gold");
        assertThat(again(get("/api/beta/x"), Map.of("tier", "bronze", "beta", "true"))).isEqualTo("beta");
        assertThat(again(get("/api/beta/x"), Map.of("tier", "bronze"))).as("every claim must hold").isNull();
        assertThat(again(get("/api/x"), Map.of("tier", "bronze", "beta", "true"))).as("and the path").isNull();
        assertThat(again(get("/api/x"), Map.of())).isNull();
        assertThat(again(get("/api/x"), Map.of("tier", "silver"))).as("late comes after api: never reached").isNull();
    }

    @Test
    void withoutRoutesOnClaimsRoutingAgainIsNothing()
    {
        final Router router = new Router(List.of(route("api", path(prefix("/api")))));
        assertThat(router.routeAgain(get("/api"), identity(Map.of("tier", "gold")), router.match(get("/api")))).isNull();
    }
}
