package io.sluice.l7.proxy;

/**
 * Whether the proxy is draining: listeners are closed, and each client connection closes once
 * its exchange in flight has ended (its response says {@code Connection: close}). Set once;
 * read by every event loop.
 */
final class Draining
{
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
