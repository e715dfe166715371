package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;

import java.net.InetSocketAddress;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The power of two choices (Envoy's least_request): draw two different healthy servers, each with
 * probability proportional to its weight, and take the one with fewer requests in flight (the
 * first on a tie). Nearly as good as asking every server, at the cost of two reads, and without
 * every proxy herding onto the one server that looks idlest.
 */
final class LeastRequest implements Algorithm
{
    private final Supplier<? extends RandomGenerator> random;

    LeastRequest(final Supplier<? extends RandomGenerator> random)
    {
        this.random = random;
    }

    @Override
    public Upstream choose(final HttpRequest request, final InetSocketAddress client, final HealthySet healthy)
    {
        final Upstream[] upstreams = healthy.upstreams;
        if (upstreams.length == 1)
        {
            return upstreams[0];
        }
        final RandomGenerator generator = random.get();
        final int first = healthy.indexOfWeight(generator.nextLong(healthy.totalWeight()));
        // The second draw leaves the first server's share out: the draw runs over the others' total
        // weight and skips past the first's slice, so it never lands on the first.
        final long firstWeight = upstreams[first].weight();
        long draw = generator.nextLong(healthy.totalWeight() - firstWeight);
        if (draw >= healthy.weightBefore(first))
        {
            draw += firstWeight;
        }
        final int second = healthy.indexOfWeight(draw);
        return upstreams[second].inFlight() < upstreams[first].inFlight() ? upstreams[second] : upstreams[first];
    }
}
