package io.sluice.l7.filter;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A chain's filters run on a head without an exchange, for filters that need none of it (the header rules, the rewrite). */
public final class FilterRuns
{
    private FilterRuns()
    {
    }

    /** Every request filter, in order; each must let the request go on. */
    public static void request(final FilterChain chain, final HttpRequest request)
    {
        for (int i = 0; i < chain.requestFilters(); i++)
        {
            assertThat(chain.requestFilter(i).onRequest(request, null)).isEqualTo(RequestFilter.Outcome.CONTINUE);
        }
    }

    /** Every response filter, in order; none may transform the body. */
    public static void response(final FilterChain chain, final HttpResponse response)
    {
        for (int i = 0; i < chain.responseFilters(); i++)
        {
            assertThat(chain.responseFilter(i).onResponse(response, null)).isNull();
        }
    }
}
