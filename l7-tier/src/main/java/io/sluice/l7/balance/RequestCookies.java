package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

import java.util.Iterator;
import java.util.List;

/** One cookie's value from a request's Cookie headers, decoded as the router decodes them. */
final class RequestCookies
{
    private RequestCookies()
    {
    }

    /** The first value of the cookie named {@code name} in any Cookie header, or null. */
    static String value(final HttpHeaders headers, final String name)
    {
        final Iterator<String> values = headers.valueStringIterator(HttpHeaderNames.COOKIE);
        while (values.hasNext())
        {
            final String header = values.next();
            // Most Cookie headers do not mention the name at all: skip decoding them.
            if (!header.contains(name))
            {
                continue;
            }
            final List<Cookie> cookies = ServerCookieDecoder.LAX.decodeAll(header);
            for (int i = 0; i < cookies.size(); i++)
            {
                if (cookies.get(i).name().equals(name))
                {
                    return cookies.get(i).value();
                }
            }
        }
        return null;
    }
}
