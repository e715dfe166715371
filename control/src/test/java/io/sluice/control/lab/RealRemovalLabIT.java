package io.sluice.control.lab;

import io.sluice.linux.NetworkNamespace;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Removing a real must not break connections that other reals serve: the flow table keeps
 * established flows where they are, and new flows never go to the removed real.
 */
@ExtendWith(LabExtension.class)
class RealRemovalLabIT
{
    private static final String VIP = LabFixture.VIPS.get(2);
    private static final int CONNECTIONS = 30;
    private static final int TIMEOUT_MS = 3_000;
    private static final long TEST_TIMEOUT_S = 60;

    @Test
    void establishedConnectionsToOtherRealsSurviveAndNewOnesAvoidTheRemovedReal(final LabFixture fixture) throws Exception
    {
        Privileges.requireRootAndIp();
        final String key = fixture.configureVip(VIP, LabFixture.REALS);
        final String clientNamespace = fixture.lab().namespace(Lab.CLIENT);

        final List<Connection> connections = inNamespace(clientNamespace, () ->
        {
            final List<Connection> opened = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++)
            {
                opened.add(Connection.open(VIP));
            }
            return opened;
        });
        try
        {
            final List<String> firstServedBy = new ArrayList<>();
            for (final Connection connection : connections)
            {
                firstServedBy.add(connection.get().servedBy());
            }
            assertThat(firstServedBy).hasSize(CONNECTIONS).doesNotContainNull();
            final String removed = firstServedBy.getFirst();
            assertThat(firstServedBy).as("some connections must be on other reals than %s", removed)
                .anyMatch(real -> !real.equals(removed));

            LabFixture.assertSucceeded(fixture.sluice("real", "del", key, addressOf(removed)));

            for (int i = 0; i < CONNECTIONS; i++)
            {
                if (!firstServedBy.get(i).equals(removed))
                {
                    assertThat(connections.get(i).get().servedBy())
                        .as("connection %d, first served by %s, after %s was removed", i, firstServedBy.get(i), removed)
                        .isEqualTo(firstServedBy.get(i));
                }
            }
            final LoadReport after = fixture.load(VIP, 60);
            assertThat(after.failures()).isEmpty();
            assertThat(after.servedBy(removed)).as("new connections served by the removed %s", removed).isZero();
        }
        finally
        {
            for (final Connection connection : connections)
            {
                connection.close();
            }
        }
    }

    private static String addressOf(final String real)
    {
        return Lab.realAddress(Integer.parseInt(real.substring("real".length())));
    }

    /**
     * Runs {@code work} on a platform thread of its own that first enters the namespace (setns
     * acts on the OS thread, so never on a virtual thread); sockets made there stay in it.
     */
    private static <T> T inNamespace(final String namespace, final Callable<T> work)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "in-" + namespace));
        try
        {
            final Future<T> result = thread.submit(() ->
            {
                NetworkNamespace.enter(namespace);
                return work.call();
            });
            return result.get(TEST_TIMEOUT_S, TimeUnit.SECONDS);
        }
        finally
        {
            thread.shutdownNow();
        }
    }

    /** One keep-alive HTTP/1.1 connection to the VIP. */
    private record Connection(Socket socket, InputStream in) implements AutoCloseable
    {
        static Connection open(final String vip) throws IOException
        {
            final Socket socket = new Socket();
            socket.setSoTimeout(TIMEOUT_MS);
            socket.connect(new InetSocketAddress(vip, LabFixture.PORT), TIMEOUT_MS);
            return new Connection(socket, new BufferedInputStream(socket.getInputStream()));
        }

        HttpReply get() throws IOException
        {
            HttpReply.writeGet(socket.getOutputStream(), socket.getInetAddress().getHostAddress(), "/", true);
            final HttpReply reply = HttpReply.read(in);
            assertThat(reply.status()).isEqualTo(200);
            return reply;
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}
