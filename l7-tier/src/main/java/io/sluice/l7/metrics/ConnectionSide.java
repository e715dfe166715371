package io.sluice.l7.metrics;

/** Which leg of the proxy a connection is on. */
public enum ConnectionSide
{
    /** Accepted from a client on a listener. */
    CLIENT,
    /** Opened by the proxy to a backend server (pooled or not). */
    BACKEND
}
