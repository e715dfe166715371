package io.sluice.l7.accesslog;

import io.netty.util.NetUtil;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An {@link AccessLogEntry} as one line of JSON, its fields always in this order:
 *
 * <pre>
 * {"time":"2025-03-01T12:00:00.123Z","client":"192.0.2.7","method":"GET","path":"/api/users?id=7",
 *  "route":"api","pool":"api","server":"a1","status":200,"request_bytes":0,"response_bytes":512,
 *  "duration_ms":1.234,"request_id":"5f0c...","refused":null,"identity":"alice"}
 * </pre>
 *
 * ({@code time} is UTC with milliseconds; {@code client} the IP address without the port, IPv6 in its short form (RFC 5952);
 * {@code duration_ms} to the microsecond; {@code refused} the reason a refused request was refused, e.g.
 * {@code "bad_chunk_size"} with {@code "status":400}; {@code identity} who the route's authentication
 * found the request is from, a token's subject or an API key's name, never the credential; absent values are
 * {@code null}). Strings are escaped per RFC 8259, so a path with quotes or control characters cannot break the line.
 */
final class AccessLogFormat
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AccessLogFormat()
    {
    }

    /** Appends the entry's line, its line feed included. */
    static void appendLine(final StringBuilder out, final AccessLogEntry entry)
    {
        final String client = entry.client() == null || entry.client().getAddress() == null ?
            null : NetUtil.toAddressString(entry.client().getAddress());
        out.append("{\"time\":\"");
        TIME.formatTo(Instant.ofEpochMilli(entry.startMillis()), out);
        out.append("\",\"client\":");
        JsonQuoting.appendQuoted(out, client);
        out.append(",\"method\":");
        JsonQuoting.appendQuoted(out, entry.method());
        out.append(",\"path\":");
        JsonQuoting.appendQuoted(out, entry.path());
        out.append(",\"route\":");
        JsonQuoting.appendQuoted(out, entry.route());
        out.append(",\"pool\":");
        JsonQuoting.appendQuoted(out, entry.pool());
        out.append(",\"server\":");
        JsonQuoting.appendQuoted(out, entry.server());
        out.append(",\"status\":").append(entry.status());
        out.append(",\"request_bytes\":").append(entry.requestBytes());
        out.append(",\"response_bytes\":").append(entry.responseBytes());
        out.append(",\"duration_ms\":");
        millis(out, Math.max(0, entry.durationNanos()));
        out.append(",\"request_id\":");
        JsonQuoting.appendQuoted(out, entry.requestId());
        out.append(",\"refused\":");
        JsonQuoting.appendQuoted(out, entry.refused());
        out.append(",\"identity\":");
        JsonQuoting.appendQuoted(out, entry.identity());
        out.append("}\n");
    }

    /** Nanoseconds as milliseconds with three decimals, in integers (no binary fraction to round). */
    private static void millis(final StringBuilder out, final long nanos)
    {
        final long micros = nanos / 1_000;
        final long fraction = micros % 1_000;
        out.append(micros / 1_000).append('.');
        if (fraction < 100)
        {
            out.append(fraction < 10 ? "00" : "0");
        }
        out.append(fraction);
    }
}
