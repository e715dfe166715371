package io.sluice.l7.http1;

import io.netty.handler.codec.http.HttpMethod;

/**
 * The methods of the requests a connection's responses have yet to answer, oldest first: the
 * decoder adds each request's, the encoder takes one per final response. A response's framing
 * depends on the method it answers (RFC 9112 6.3: no body after HEAD, none after a 2xx to
 * CONNECT), and with pipelining that is not the latest request's. A ring of bytes: no
 * allocation once it has grown to the connection's pipelining depth.
 */
final class RequestMethods
{
    static final byte OTHER = 0;
    static final byte HEAD = 1;
    static final byte CONNECT = 2;

    private byte[] ring = new byte[8];
    private int head;
    private int size;

    void add(final HttpMethod method)
    {
        if (size == ring.length)
        {
            final byte[] larger = new byte[ring.length * 2];
            for (int i = 0; i < size; i++)
            {
                larger[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = larger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = kind(method);
        size++;
    }

    /** The oldest method's kind, or {@link #OTHER} when no request is waiting (a response the proxy sends on its own). */
    byte poll()
    {
        if (size == 0)
        {
            return OTHER;
        }
        final byte kind = ring[head];
        head = (head + 1) & (ring.length - 1);
        size--;
        return kind;
    }

    int size()
    {
        return size;
    }

    private static byte kind(final HttpMethod method)
    {
        if (HttpMethod.HEAD.equals(method))
        {
            return HEAD;
        }
        if (HttpMethod.CONNECT.equals(method))
        {
            return CONNECT;
        }
        return OTHER;
    }
}
