package io.sluice.control.demo;

import io.sluice.lab.http.HttpReply;
import io.sluice.linux.NetworkNamespace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One keep-alive HTTP/1.1 connection to a VIP, made from a lab host's namespace: what a lab test
 * (or {@code sluice demo --ha}) holds open while it changes the forwarders, to see that the connection lives on.
 */
public record KeepAliveConnection(Socket socket, InputStream in) implements AutoCloseable
{
    private static final int TIMEOUT_MS = 3_000;
    private static final long NAMESPACE_TIMEOUT_S = 60;

    /** Connects; call inside {@link #inNamespace} so the socket belongs to the client's namespace. */
    public static KeepAliveConnection open(final String address, final int port) throws IOException
    {
        final Socket socket = new Socket();
        socket.setSoTimeout(TIMEOUT_MS);
        socket.connect(new InetSocketAddress(address, port), TIMEOUT_MS);
        return new KeepAliveConnection(socket, new BufferedInputStream(socket.getInputStream()));
    }

    /** One request on the connection. @throws IOException when it fails or is answered with anything but a 200. */
    public HttpReply get() throws IOException
    {
        HttpReply.writeGet(socket.getOutputStream(), socket.getInetAddress().getHostAddress(), "/", true);
        final HttpReply reply = HttpReply.read(in);
        if (reply.status() != 200)
        {
            throw new IOException("answered " + reply.status() + " on a keep-alive connection");
        }
        return reply;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    /**
     * Runs {@code work} on a platform thread of its own that first enters the namespace (setns
     * acts on the OS thread, so never on a virtual thread); sockets made there stay in it.
     */
    public static <T> T inNamespace(final String namespace, final Callable<T> work)
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
            return result.get(NAMESPACE_TIMEOUT_S, TimeUnit.SECONDS);
        }
        finally
        {
            thread.shutdownNow();
        }
    }
}
