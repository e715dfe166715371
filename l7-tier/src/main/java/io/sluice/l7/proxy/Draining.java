package io.sluice.l7.proxy;

/**
 * Whether the proxy is draining: listeners are closed, and each HTTP/1.1 client connection
 * closes once its exchange in flight has ended (its response says {@code Connection: close});
 * an HTTP/2 one drains as a whole ({@link ConnectionDrain}). Set once; read by every event loop.
 */
final class Draining
{
    /**
     * What an HTTP/2 stream's handler is given: a stream never drains on its own. It ends with
     * its exchange anyway, so the HTTP/1.1 way (answer {@code Connection: close}, then close the
     * channel) has nothing to add for it; its connection drains as a whole instead, by GOAWAY
     * ({@link ConnectionDrain}), and its streams end exactly as they would have.
     */
    static final Draining NEVER = new Draining();

    private volatile boolean draining;

    boolean isDraining()
    {
        return draining;
    }

    void start()
    {
        draining = true;
    }
}
