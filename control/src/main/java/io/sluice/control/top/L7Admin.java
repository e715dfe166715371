package io.sluice.control.top;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads an L7 proxy's admin endpoint: {@code GET /metrics} and {@code GET /status}, the two
 * read-only endpoints (a scrape changes nothing in the proxy), into an {@link L7Sample}.
 */
public final class L7Admin implements AutoCloseable
{
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String address;
    private final HttpClient client;

    /** @param address {@code HOST:PORT} of the proxy's {@code admin} listener. */
    public L7Admin(final String address)
    {
        this.address = address;
        // HTTP/1.1 as the admin endpoint speaks it: the client's default first offers an h2c upgrade, which it does not answer.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    public String address()
    {
        return address;
    }

    /** @throws L7AdminException with one line when the endpoint does not answer, or not as an L7 proxy does. */
    public L7Sample sample(final long nowNs)
    {
        final String metrics = get("/metrics");
        final String status = get("/status");
        try
        {
            return L7Sample.parse(metrics, status, nowNs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new L7AdminException(
                "the L7 admin endpoint at " + address + " answered what top cannot read: " + ex.getMessage(), ex);
        }
    }

    private String get(final String path)
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(TIMEOUT).GET().build();
        try
        {
            final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
            {
                throw new L7AdminException("the L7 admin endpoint at " + address + " answered " + path + " with " +
                    response.statusCode());
            }
            return response.body();
        }
        catch (final IOException ex)
        {
            throw new L7AdminException("cannot read the L7 admin endpoint at " + address + path + ": " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new L7AdminException("interrupted while reading the L7 admin endpoint at " + address, ex);
        }
    }

    @Override
    public void close()
    {
        client.close();
    }
}
