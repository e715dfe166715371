package io.sluice.control.warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The warm-up's client sockets: blocking, no Nagle delay, and never waiting forever. */
final class ClientSockets
{
    /** Longer than any answer takes: a proxy that stops answering ends the warm-up, not hangs it. */
    private static final int TIMEOUT_MS = 5_000;

    private ClientSockets()
    {
    }

    static Socket connect(final InetSocketAddress proxy) throws IOException
    {
        final Socket socket = new Socket();
        try
        {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.connect(proxy, TIMEOUT_MS);
            return socket;
        }
        catch (final IOException ex)
        {
            socket.close();
            throw ex;
        }
    }
}
