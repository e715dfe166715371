package io.sluice.l7.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that misbehaves on keep-alive: on its first connection, right after the answer to
 * the first request, it sends a second response nobody asked for. Every answer names the
 * connection it was sent on ({@code conn-N}), so a test sees which connection served it.
 */
final class OutOfTurnBackend implements AutoCloseable
{
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket listener;
    private final Thread acceptor;

    OutOfTurnBackend() throws IOException
    {
        listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::accept);
    }

    InetSocketAddress address()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private void accept()
    {
        while (!listener.isClosed())
        {
            try
            {
                final Socket socket = listener.accept();
                final int number = connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(socket, number));
            }
            catch (final IOException ex)
            {
                return; // closed
            }
        }
    }

    private static void serve(final Socket socket, final int number)
    {
        try (socket)
        {
            final InputStream in = socket.getInputStream();
            final OutputStream out = socket.getOutputStream();
            boolean first = true;
            while (readHead(in))
            {
                String answer = response("conn-" + number);
                if (first && number == 1)
                {
                    answer += response("out-of-turn");
                }
                first = false;
                out.write(answer.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        catch (final IOException ex)
        {
            // the proxy closed the connection
        }
    }

    private static String response(final String body)
    {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Reads a request head (these requests have no body); false at the end of the stream. */
    private static boolean readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1)
        {
            head.write(b);
            final byte[] bytes = head.toByteArray();
            final int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException
    {
        listener.close();
        acceptor.interrupt();
    }
}
