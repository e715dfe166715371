package io.sluice.l7.redis;

import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxyprotocol.ChildServer;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.sluice.l7.redis.RedisServer.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code redis:} in a running server: a connection per event loop from the start, kept by a
 * reload that leaves it as it was, moved by one that names another Redis (the old one's
 * connections closed), dropped by one without it, and closed with the server.
 */
@ExtendWith(LeakTracking.class)
class RedisInTheServerTest
{
    private static final int THREADS = 2;

    private final int port = ChildServer.freePort();

    @Test
    void connectsKeepsMovesAndCloses(@TempDir final Path dir) throws Exception
    {
        try (RedisServer first = RedisServer.start(Files.createDirectory(dir.resolve("first")));
            RedisServer second = RedisServer.start(Files.createDirectory(dir.resolve("second"))))
        {
            final L7Server server = new L7Server(L7ConfigLoader.parse(config(first), "l7.yaml"), THREADS);
            try
            {
                waitFor(() -> server.metrics().redis().connected() == THREADS, "a connection per event loop");
                assertThat(first.clients()).isEqualTo(THREADS);
                assertThat(server.metrics().prometheusText()).contains("sluice_l7_redis_connected " + THREADS + "\n");

                server.reload(L7ConfigLoader.parse(config(first), "l7.yaml"));
                assertThat(server.metrics().redis().scriptLoads()).as("the same redis: keeps the connections").isEqualTo(THREADS);

                server.reload(L7ConfigLoader.parse(config(second), "l7.yaml"));
                waitFor(() -> second.clients() == THREADS && first.clients() == 0, "moved to the second Redis");
                waitFor(() -> server.metrics().redis().connected() == THREADS, "connected to the second");

                server.reload(L7ConfigLoader.parse(config(null), "l7.yaml"));
                waitFor(() -> second.clients() == 0 && server.metrics().redis().connected() == 0, "no redis: no connections");

                server.reload(L7ConfigLoader.parse(config(first), "l7.yaml"));
                waitFor(() -> first.clients() == THREADS, "back to the first");
            }
            finally
            {
                server.close();
            }
            waitFor(() -> first.clients() == 0, "closed with the server");
        }
    }

    private String config(final RedisServer redis)
    {
        final String rest = """
            listeners: [{ name: web, address: 127.0.0.1:%d }]
            routes: [{ name: r, to: p }]
            pools: { p: { servers: [{ name: a, address: 127.0.0.1:9 }] } }
            """.formatted(port);
        return redis == null ? rest : rest + "redis: { address: " + redis.address().getAddress().getHostAddress() + ":"
            + redis.address().getPort() + " }\n";
    }
}
