package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Pool;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Consistent hashing on a ring (Envoy's ring_hash, ketama): each server owns points on a 64-bit
 * ring, the hashes of {@code name#0}, {@code name#1}, ..., as many as its weight says, and a key
 * goes to the owner of the first point at or after the key's hash. Removing a server moves only
 * the keys it had, spread over the others; so does a server going unhealthy, whose keys go to the
 * next healthy owner along the ring. A request without a key (no such header or cookie) falls
 * back to round-robin.
 */
final class RingHash implements Algorithm
{
    /**
     * The points of a server of the default weight (ketama's 160 per server): enough that equal
     * servers' shares of keys come within about 10% of equal. Other weights get proportionally
     * more or fewer; the largest (65535) about 105 000, 1.2 MB of ring.
     */
    static final int POINTS_AT_DEFAULT_WEIGHT = 160;
    static final int DEFAULT_WEIGHT = 100;

    private final Pool.HashOn hashOn;
    private final Algorithm withoutKey;
    /** Sorted, as signed longs; owners[i] owns points[i]. */
    private final long[] points;
    private final Upstream[] owners;

    RingHash(final Pool.HashOn hashOn, final Upstream[] upstreams, final Algorithm withoutKey)
    {
        this.hashOn = hashOn;
        this.withoutKey = withoutKey;
        final int[] counts = Arrays.stream(upstreams).mapToInt(upstream -> points(upstream.weight())).toArray();
        final int size = Arrays.stream(counts).sum();
        final long[] unsortedPoints = new long[size];
        final Upstream[] unsortedOwners = new Upstream[size];
        int next = 0;
        for (int server = 0; server < upstreams.length; server++)
        {
            for (int i = 0; i < counts[server]; i++)
            {
                // By name, not address: a server readdressed under its name keeps its keys.
                unsortedPoints[next] = Hash64.hash(upstreams[server].name() + "#" + i);
                unsortedOwners[next] = upstreams[server];
                next++;
            }
        }
        // Ties (vanishingly rare in 64 bits) broken by name, so every proxy builds the same ring
        // whatever order its configuration lists the servers in.
        final Integer[] order = new Integer[size];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> unsortedPoints[i])
            .thenComparing(i -> unsortedOwners[i].name())
            .thenComparingInt(i -> i));
        points = new long[size];
        owners = new Upstream[size];
        for (int i = 0; i < size; i++)
        {
            points[i] = unsortedPoints[order[i]];
            owners[i] = unsortedOwners[order[i]];
        }
    }

    /**
     * A server's points follow from its own weight alone, never from the others' (Envoy scales
     * the whole ring to the pool, so adding or removing one server there also moves keys between
     * the others). Weights far below the default give coarse shares: 1:3 is 2 and 5 points, so
     * with hashing, weights near 100 (100:300) spread keys as intended.
     */
    static int points(final int weight)
    {
        return Math.max(1, (int)((weight * (long)POINTS_AT_DEFAULT_WEIGHT + DEFAULT_WEIGHT / 2) / DEFAULT_WEIGHT));
    }

    int size()
    {
        return points.length;
    }

    @Override
    public Upstream choose(final HttpRequest request, final InetSocketAddress client, final HealthySet healthy)
    {
        final long key;
        switch (hashOn.kind())
        {
            case HEADER ->
            {
                final String value = request.headers().get(hashOn.name());
                if (value == null)
                {
                    return withoutKey.choose(request, client, healthy);
                }
                key = Hash64.hash(value);
            }
            case COOKIE ->
            {
                final String value = RequestCookies.value(request.headers(), hashOn.name());
                if (value == null)
                {
                    return withoutKey.choose(request, client, healthy);
                }
                key = Hash64.hash(value);
            }
            case CLIENT_ADDRESS ->
            {
                final InetAddress address = client == null ? null : client.getAddress();
                if (address == null)
                {
                    return withoutKey.choose(request, client, healthy);
                }
                key = Hash64.hash(address.getAddress());
            }
            default -> throw new IllegalStateException(hashOn.kind().toString());
        }
        final Upstream owner = ownerOf(key);
        // Null only when every server went down after the healthy set was taken.
        return owner != null ? owner : withoutKey.choose(request, client, healthy);
    }

    /** A request with a key (the header, the cookie, the client's address) hashes to its server. */
    @Override
    public boolean keyed(final HttpRequest request, final InetSocketAddress client)
    {
        return switch (hashOn.kind())
        {
            case HEADER -> request.headers().contains(hashOn.name());
            case COOKIE -> RequestCookies.value(request.headers(), hashOn.name()) != null;
            case CLIENT_ADDRESS -> client != null && client.getAddress() != null;
        };
    }

    /** The healthy owner of the first point at or after {@code key}, walking on past unhealthy ones. */
    Upstream ownerOf(final long key)
    {
        int start = Arrays.binarySearch(points, key);
        if (start < 0)
        {
            start = -start - 1;
        }
        for (int step = 0; step < owners.length; step++)
        {
            final Upstream owner = owners[(start + step) % owners.length];
            if (owner.healthy())
            {
                return owner;
            }
        }
        return null;
    }
}
