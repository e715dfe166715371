package io.sluice.l7.http1;

import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.proxy.LeakTracking;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.sluice.l7.http.RequestRefusal.BAD_CHUNK;
import static io.sluice.l7.http.RequestRefusal.BAD_CHUNK_EXTENSION;
import static io.sluice.l7.http.RequestRefusal.BAD_CHUNK_SIZE;
import static io.sluice.l7.http.RequestRefusal.BAD_CONTENT_LENGTH;
import static io.sluice.l7.http.RequestRefusal.BAD_HEADER_NAME;
import static io.sluice.l7.http.RequestRefusal.BAD_HEADER_VALUE;
import static io.sluice.l7.http.RequestRefusal.BAD_LINE_ENDING;
import static io.sluice.l7.http.RequestRefusal.BAD_METHOD;
import static io.sluice.l7.http.RequestRefusal.BAD_REQUEST_LINE;
import static io.sluice.l7.http.RequestRefusal.BAD_TARGET;
import static io.sluice.l7.http.RequestRefusal.BAD_TRAILER;
import static io.sluice.l7.http.RequestRefusal.BAD_TRANSFER_ENCODING;
import static io.sluice.l7.http.RequestRefusal.BAD_VERSION;
import static io.sluice.l7.http.RequestRefusal.CONTENT_LENGTH_AND_TRANSFER_ENCODING;
import static io.sluice.l7.http.RequestRefusal.DUPLICATE_CONTENT_LENGTH;
import static io.sluice.l7.http.RequestRefusal.HEADERS_TOO_LARGE;
import static io.sluice.l7.http.RequestRefusal.HEADER_LINE_TOO_LONG;
import static io.sluice.l7.http.RequestRefusal.OBSOLETE_LINE_FOLDING;
import static io.sluice.l7.http.RequestRefusal.REQUEST_LINE_TOO_LONG;
import static io.sluice.l7.http.RequestRefusal.TOO_MANY_HEADERS;
import static io.sluice.l7.http.RequestRefusal.TRANSFER_ENCODING_IN_HTTP10;
import static io.sluice.l7.http.RequestRefusal.UNSUPPORTED_TRANSFER_ENCODING;
import static io.sluice.l7.http.RequestRefusal.UNSUPPORTED_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec's "HTTP/1.1 parse" table, row by row, and the valid forms around it: each case's
 * bytes go through the codec whole, byte by byte and in random splits, and must come out the
 * same each time (so every state resumes where the input broke off), as the request(s) written
 * in the case or as the refusal it names.
 */
@ExtendWith(LeakTracking.class)
final class StrictRequestDecoderTest
{
    /** Small limits, so each can be met exactly and passed by one byte. */
    static final RequestLimits SMALL = new RequestLimits(32, 28, 80, 3, 8, 1024, RequestLimits.Http2Limits.DEFAULTS);

    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n";
    private static final String POST = "POST /p HTTP/1.1\r\nHost: a\r\n";
    private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";
    private static final String POST_HEAD = """
        POST /p HTTP/1.1
        Host: a
        Transfer-Encoding: chunked
        """;

    record Case(String name, String input, String expected, RequestLimits limits)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    private static Case ok(final String name, final String input, final String expected)
    {
        return new Case(name, input, expected, RequestLimits.DEFAULTS);
    }

    private static Case headRefused(final String name, final String input, final RequestRefusal reason)
    {
        return new Case(name, input, "REFUSED " + reason + " in head\n", RequestLimits.DEFAULTS);
    }

    /** A chunked POST whose body is {@code body}: refused in the body, after what {@code bodyBefore} says came through. */
    private static Case chunkRefused(final String name, final String body, final String bodyBefore, final RequestRefusal reason)
    {
        return new Case(name, CHUNKED + body, POST_HEAD + (bodyBefore.isEmpty() ? "" : "body: " + bodyBefore + "\n")
            + "REFUSED " + reason + " in body\n", RequestLimits.DEFAULTS);
    }

    private static Case small(final String name, final String input, final String expected)
    {
        return new Case(name, input, expected, SMALL);
    }

    /** A head of three fields under {@link #SMALL}: two of 28 bytes at the line limit, one with {@code z} bytes of value. */
    private static String fullSection(final int z)
    {
        return "GET / HTTP/1.1\r\nX: " + "v".repeat(25) + "\r\nY: " + "v".repeat(25) + "\r\nZ: " + "v".repeat(z) + "\r\n";
    }

    static Stream<Case> validForms()
    {
        return Stream.of(
            ok("a GET with Host", GET + "\r\n", """
                GET / HTTP/1.1
                Host: a
                """),
            ok("HTTP/1.0 without Host", "GET /x?y=1 HTTP/1.0\r\n\r\n", """
                GET /x?y=1 HTTP/1.0
                """),
            ok("empty lines before the request line are ignored (RFC 9112 2.2)", "\r\n\r\n" + GET + "\r\n", """
                GET / HTTP/1.1
                Host: a
                """),
            ok("a body framed by Content-Length", POST + "Content-Length: 5\r\n\r\nhello", """
                POST /p HTTP/1.1
                Host: a
                Content-Length: 5
                body: hello
                """),
            ok("Content-Length with leading zeros is handed on canonical", POST + "content-length: 007\r\n\r\nhello\r\n", """
                POST /p HTTP/1.1
                Host: a
                content-length: 7
                body: hello\\x0d\\x0a
                """),
            ok("Content-Length 0 and 00: no body", POST + "Content-Length: 0\r\n\r\n" + POST + "Content-Length: 00\r\n\r\n", """
                POST /p HTTP/1.1
                Host: a
                Content-Length: 0
                POST /p HTTP/1.1
                Host: a
                Content-Length: 0
                """),
            ok("chunked with extensions (dropped) and trailers (handed on)", CHUNKED
                + "5;ext=1;q=\"a \\\" b\"\r\nhello\r\n6 ;x=y\r\n world\r\n0;last\r\nX-Trailer: 1\r\nx-other: \t two  \r\n\r\n",
                POST_HEAD + """
                body: hello world
                trailer X-Trailer: 1
                trailer x-other: two
                """),
            ok("chunk sizes with leading zeros and upper-case hex", CHUNKED + "0005\r\nhello\r\n00A\r\n0123456789\r\n000\r\n\r\n",
                POST_HEAD + """
                body: hello0123456789
                """),
            ok("a chunk size of 16 significant digits that fits in 63 bits is a size, not an error",
                CHUNKED + "0000007FFFFFFFFFFFFFFF\r\nab", POST_HEAD + """
                INCOMPLETE
                """),
            ok("Transfer-Encoding in any case and with OWS is normalized to one 'chunked'",
                POST + "transfer-encoding:   ChUnKeD \t\r\n\r\n3\r\nabc\r\n0\r\n\r\n", """
                POST /p HTTP/1.1
                Host: a
                transfer-encoding: chunked
                body: abc
                """),
            ok("empty list elements in Transfer-Encoding are ignored (RFC 9110 5.6.1)",
                POST + "Transfer-Encoding: , chunked,\r\n\r\n0\r\n\r\n", """
                POST /p HTTP/1.1
                Host: a
                Transfer-Encoding: chunked
                """),
            ok("pipelined requests, each complete, in order", GET + "\r\n" + POST + "Content-Length: 3\r\n\r\nabc"
                + CHUNKED + "2\r\nde\r\n0\r\n\r\n" + "\r\nDELETE /d HTTP/1.1\r\nHost: b\r\n\r\n", """
                GET / HTTP/1.1
                Host: a
                POST /p HTTP/1.1
                Host: a
                Content-Length: 3
                body: abc
                POST /p HTTP/1.1
                Host: a
                Transfer-Encoding: chunked
                body: de
                DELETE /d HTTP/1.1
                Host: b
                """),
            ok("obs-text in a value is kept (as ISO-8859-1)", GET + "X-Name: caf\u00e9 \u00ff\r\n\r\n", """
                GET / HTTP/1.1
                Host: a
                X-Name: caf\u00e9 \u00ff
                """),
            ok("names keep the client's case; values are OWS-trimmed, inner whitespace kept, empty ones kept",
                "GET / HTTP/1.1\r\nhOsT:a\r\nX-A: \t one \t two \t\r\nX-Empty:\r\nX-Blank:   \r\nUser-Agent: u\r\n\r\n", """
                GET / HTTP/1.1
                hOsT: a
                X-A: one \t two
                X-Empty:\s
                X-Blank:\s
                User-Agent: u
                """),
            ok("token characters in names and methods", "M-1.x!#$%&'*+^_`|~ /p HTTP/1.1\r\nX!#$%&'*+-.^_`|~9: v\r\n\r\n", """
                M-1.x!#$%&'*+^_`|~ /p HTTP/1.1
                X!#$%&'*+-.^_`|~9: v
                """),
            ok("every request-target form is the router's to judge, not the parser's", """
                OPTIONS * HTTP/1.1\r
                Host: a\r
                \r
                CONNECT a.test:443 HTTP/1.1\r
                Host: a.test:443\r
                \r
                GET http://a.test/p?q=%20&r=[x]!$'()*+,;=:@~ HTTP/1.1\r
                Host: b\r
                \r
                """, """
                OPTIONS * HTTP/1.1
                Host: a
                CONNECT a.test:443 HTTP/1.1
                Host: a.test:443
                GET http://a.test/p?q=%20&r=[x]!$'()*+,;=:@~ HTTP/1.1
                Host: b
                """),
            ok("a value may hold colons, quotes and commas", GET + "Cookie: a=1; b=\"x:y\", c\r\n\r\n", """
                GET / HTTP/1.1
                Host: a
                Cookie: a=1; b="x:y", c
                """),
            ok("Expect: 100-continue is the proxy's to handle; the body follows", POST
                + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", """
                POST /p HTTP/1.1
                Host: a
                Expect: 100-continue
                Content-Length: 2
                body: hi
                """),
            ok("a body may hold anything, CRLFs and a request included", POST + "Content-Length: 31\r\n\r\n"
                + "GET /x HTTP/1.1\r\nHost: x\r\n\r\n\u0000\u00ff\r", """
                POST /p HTTP/1.1
                Host: a
                Content-Length: 31
                body: GET /x HTTP/1.1\\x0d\\x0aHost: x\\x0d\\x0a\\x0d\\x0a\\x00\\xff\\x0d
                """),
            ok("chunk extension values may be quoted strings with escapes and obs-text",
                CHUNKED + "1 ; a = \"\u00e9\\\\\" ; b\r\nx\r\n0\r\n\r\n", POST_HEAD + """
                body: x
                """),
            ok("a head longer than the parser's copy of it, lines across each copy's end",
                "GET /" + "p".repeat(1500) + " HTTP/1.1\r\n" + "X-Long: " + "v".repeat(700) + "\r\n" + "Y: 1\r\n".repeat(90)
                    + "Z: " + "z".repeat(4000) + "\r\n\r\n",
                "GET /" + "p".repeat(1500) + " HTTP/1.1\nX-Long: " + "v".repeat(700) + "\n" + "Y: 1\n".repeat(90)
                    + "Z: " + "z".repeat(4000) + "\n"),
            small("a request line exactly at its limit", "GET /" + "x".repeat(18) + " HTTP/1.1\r\n\r\n", """
                GET /xxxxxxxxxxxxxxxxxx HTTP/1.1
                """),
            small("a header line exactly at its limit, and the count",
                "GET / HTTP/1.1\r\nX: " + "v".repeat(25) + "\r\nA: 1\r\nB: 2\r\n\r\n", """
                GET / HTTP/1.1
                X: vvvvvvvvvvvvvvvvvvvvvvvvv
                A: 1
                B: 2
                """),
            small("a header section exactly at its limit, final CRLF included", fullSection(13) + "\r\n", """
                GET / HTTP/1.1
                X: vvvvvvvvvvvvvvvvvvvvvvvvv
                Y: vvvvvvvvvvvvvvvvvvvvvvvvv
                Z: vvvvvvvvvvvvv
                """),
            small("a chunk extension exactly at its limit", CHUNKED + "1;abcdefg\r\nx\r\n0;1234567\r\n\r\n", POST_HEAD + """
                body: x
                """));
    }

    static Stream<Case> refusals()
    {
        return Stream.of(
            // request line
            headRefused("a request line without CRLF within request_line bytes", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n",
                REQUEST_LINE_TOO_LONG),
            small("request line one byte over its limit", "GET /" + "x".repeat(19) + " HTTP/1.1\r\n\r\n",
                "REFUSED REQUEST_LINE_TOO_LONG in head\n"),
            small("empty lines count against the request line's limit", "\r\n".repeat(17) + "GET / HTTP/1.1\r\n\r\n",
                "REFUSED REQUEST_LINE_TOO_LONG in head\n"),
            headRefused("two spaces after the method", "GET  / HTTP/1.1\r\n\r\n", BAD_REQUEST_LINE),
            headRefused("two spaces before the version", "GET /  HTTP/1.1\r\n\r\n", BAD_REQUEST_LINE),
            headRefused("a tab as separator", "GET\t/ HTTP/1.1\r\n\r\n", BAD_REQUEST_LINE),
            headRefused("a tab before the version", "GET /\tHTTP/1.1\r\n\r\n", BAD_REQUEST_LINE),
            headRefused("no version", "GET /\r\n\r\n", BAD_REQUEST_LINE),
            headRefused("no target", "GET\r\n\r\n", BAD_REQUEST_LINE),
            headRefused("a trailing space", "GET / HTTP/1.1 \r\n\r\n", BAD_REQUEST_LINE),
            headRefused("a fourth part", "GET / HTTP/1.1 x\r\n\r\n", BAD_REQUEST_LINE),
            headRefused("a leading space", " GET / HTTP/1.1\r\n\r\n", BAD_REQUEST_LINE),
            headRefused("a method that is not a token", "G@T / HTTP/1.1\r\n\r\n", BAD_METHOD),
            headRefused("a method with obs-text", "G\u00c9T / HTTP/1.1\r\n\r\n", BAD_METHOD),
            headRefused("a method with a NUL", "GET\u0000 / HTTP/1.1\r\n\r\n", BAD_METHOD),
            headRefused("a target with '#'", "GET /a#b HTTP/1.1\r\n\r\n", BAD_TARGET),
            headRefused("a target with DEL", "GET /a\u007f HTTP/1.1\r\n\r\n", BAD_TARGET),
            headRefused("a target with obs-text", "GET /caf\u00e9 HTTP/1.1\r\n\r\n", BAD_TARGET),
            headRefused("a target with NUL", "GET /a\u0000b HTTP/1.1\r\n\r\n", BAD_TARGET),
            headRefused("a target with a control character", "GET /a\u0001 HTTP/1.1\r\n\r\n", BAD_TARGET),
            headRefused("a target starting with '#'", "GET # HTTP/1.1\r\n\r\n", BAD_TARGET),
            headRefused("a lower-case version", "GET / http/1.1\r\n\r\n", BAD_VERSION),
            headRefused("a version with more after it", "GET / HTTP/1.1x\r\n\r\n", BAD_VERSION),
            headRefused("a version without the dot", "GET / HTTP/11\r\n\r\n", BAD_VERSION),
            headRefused("a version with two-digit parts", "GET / HTTP/1.10\r\n\r\n", BAD_VERSION),
            headRefused("a version with letters", "GET / HTTP/a.b\r\n\r\n", BAD_VERSION),
            headRefused("HTTP/2.0 in a request line", "GET / HTTP/2.0\r\n\r\n", UNSUPPORTED_VERSION),
            headRefused("HTTP/1.2", "GET / HTTP/1.2\r\n\r\n", UNSUPPORTED_VERSION),
            headRefused("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", UNSUPPORTED_VERSION),
            headRefused("the h2 preface is not HTTP/1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", UNSUPPORTED_VERSION),
            // line endings
            headRefused("a request line ended by LF alone", "GET / HTTP/1.1\nHost: a\r\n\r\n", BAD_LINE_ENDING),
            headRefused("a header line ended by LF alone", GET + "X: 1\n\r\n", BAD_LINE_ENDING),
            headRefused("a head ended by a bare LF", GET + "\n", BAD_LINE_ENDING),
            headRefused("an empty line of LF alone before the request line", "\nGET / HTTP/1.1\r\n\r\n", BAD_LINE_ENDING),
            headRefused("a bare CR before the request line", "\rGET / HTTP/1.1\r\n\r\n", BAD_LINE_ENDING),
            headRefused("a bare CR in the target", "GET /a\rb HTTP/1.1\r\n\r\n", BAD_LINE_ENDING),
            headRefused("a bare CR in the version", "GET / HTTP/1.1\r\r\n\r\n", BAD_LINE_ENDING),
            headRefused("a bare CR in a header value", GET + "X: a\rb\r\n\r\n", BAD_LINE_ENDING),
            headRefused("a bare CR ending a header line", GET + "X: a\r\r\n\r\n", BAD_LINE_ENDING),
            headRefused("a bare CR in a header name", GET + "X\rY: a\r\n\r\n", BAD_LINE_ENDING),
            // fields
            headRefused("obs-fold", GET + "X: a\r\n b\r\n\r\n", OBSOLETE_LINE_FOLDING),
            headRefused("obs-fold with a tab", GET + "X: a\r\n\tb\r\n\r\n", OBSOLETE_LINE_FOLDING),
            headRefused("whitespace at the start of the first header line", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", OBSOLETE_LINE_FOLDING),
            headRefused("an empty field name", GET + ": v\r\n\r\n", BAD_HEADER_NAME),
            headRefused("a space before the colon", GET + "Content-Length : 5\r\n\r\n", BAD_HEADER_NAME),
            headRefused("a tab before the colon", GET + "X\t: 5\r\n\r\n", BAD_HEADER_NAME),
            headRefused("a space inside a name", GET + "X Y: 5\r\n\r\n", BAD_HEADER_NAME),
            headRefused("no colon", GET + "X-Y\r\n\r\n", BAD_HEADER_NAME),
            headRefused("a name with a separator", GET + "X(y): 1\r\n\r\n", BAD_HEADER_NAME),
            headRefused("a name with obs-text", GET + "X\u00e9: 1\r\n\r\n", BAD_HEADER_NAME),
            headRefused("a name with NUL", GET + "X\u0000: 1\r\n\r\n", BAD_HEADER_NAME),
            headRefused("a NUL in a value", GET + "X: a\u0000b\r\n\r\n", BAD_HEADER_VALUE),
            headRefused("0x01 in a value", GET + "X: \u0001\r\n\r\n", BAD_HEADER_VALUE),
            headRefused("0x08 in a value", GET + "X: a\u0008\r\n\r\n", BAD_HEADER_VALUE),
            headRefused("a vertical tab in a value", GET + "X: a\u000bb\r\n\r\n", BAD_HEADER_VALUE),
            headRefused("a form feed in a value", GET + "X: a\u000cb\r\n\r\n", BAD_HEADER_VALUE),
            headRefused("0x1F in a value", GET + "X: a\u001f\r\n\r\n", BAD_HEADER_VALUE),
            headRefused("DEL in a value", GET + "X: a\u007f\r\n\r\n", BAD_HEADER_VALUE),
            headRefused("a header line over header_line bytes", GET + "X: " + "v".repeat(9000) + "\r\n\r\n", HEADER_LINE_TOO_LONG),
            small("a header line one byte over its limit", "GET / HTTP/1.1\r\nX: " + "v".repeat(26) + "\r\n\r\n",
                "REFUSED HEADER_LINE_TOO_LONG in head\n"),
            headRefused("a header section over header_bytes", GET + ("X: " + "v".repeat(7000) + "\r\n").repeat(5) + "\r\n",
                HEADERS_TOO_LARGE),
            small("a header section one byte over its limit: the final CRLF does not fit", fullSection(14) + "\r\n",
                "REFUSED HEADERS_TOO_LARGE in head\n"),
            small("a field line that does not fit in what is left of the section", fullSection(16) + "\r\n",
                "REFUSED HEADERS_TOO_LARGE in head\n"),
            headRefused("more than header_count fields", GET + "X: 1\r\n".repeat(100) + "\r\n", TOO_MANY_HEADERS),
            small("one field over the count", "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
                "REFUSED TOO_MANY_HEADERS in head\n"),
            // framing
            headRefused("Transfer-Encoding in HTTP/1.0", "POST /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                TRANSFER_ENCODING_IN_HTTP10),
            headRefused("Content-Length then Transfer-Encoding", POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                CONTENT_LENGTH_AND_TRANSFER_ENCODING),
            headRefused("Transfer-Encoding then Content-Length", POST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                CONTENT_LENGTH_AND_TRANSFER_ENCODING),
            headRefused("Transfer-Encoding: xchunked", POST + "Transfer-Encoding: xchunked\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("chunked, gzip", POST + "Transfer-Encoding: chunked, gzip\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("chunked with a parameter", POST + "Transfer-Encoding: chunked;x=1\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("chunked twice in one field", POST + "Transfer-Encoding: chunked, chunked\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("chunked twice in two fields", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                BAD_TRANSFER_ENCODING),
            headRefused("an empty Transfer-Encoding", POST + "Transfer-Encoding:\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("a Transfer-Encoding of only commas", POST + "Transfer-Encoding: , ,\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("a quoted Transfer-Encoding", POST + "Transfer-Encoding: \"chunked\"\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("Transfer-Encoding: identity", POST + "Transfer-Encoding: identity\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("codings separated by a space", POST + "Transfer-Encoding: gzip chunked\r\n\r\n", BAD_TRANSFER_ENCODING),
            headRefused("gzip, chunked", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n", UNSUPPORTED_TRANSFER_ENCODING),
            headRefused("gzip then chunked in two fields", POST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
                UNSUPPORTED_TRANSFER_ENCODING),
            headRefused("Content-Length +5", POST + "Content-Length: +5\r\n\r\nhello", BAD_CONTENT_LENGTH),
            headRefused("Content-Length -5", POST + "Content-Length: -5\r\n\r\nhello", BAD_CONTENT_LENGTH),
            headRefused("Content-Length 5 5", POST + "Content-Length: 5 5\r\n\r\nhello", BAD_CONTENT_LENGTH),
            headRefused("Content-Length 0x5", POST + "Content-Length: 0x5\r\n\r\nhello", BAD_CONTENT_LENGTH),
            headRefused("Content-Length empty", POST + "Content-Length:\r\n\r\n", BAD_CONTENT_LENGTH),
            headRefused("Content-Length blank", POST + "Content-Length:  \r\n\r\n", BAD_CONTENT_LENGTH),
            headRefused("Content-Length 5.0", POST + "Content-Length: 5.0\r\n\r\nhello", BAD_CONTENT_LENGTH),
            headRefused("Content-Length 2^63", POST + "Content-Length: 9223372036854775808\r\n\r\n", BAD_CONTENT_LENGTH),
            headRefused("Content-Length far over 2^63", POST + "Content-Length: 99999999999999999999999\r\n\r\n", BAD_CONTENT_LENGTH),
            headRefused("Content-Length twice, equal", POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
                DUPLICATE_CONTENT_LENGTH),
            headRefused("Content-Length twice, different case", POST + "Content-Length: 5\r\ncontent-length: 6\r\n\r\nhello",
                DUPLICATE_CONTENT_LENGTH),
            headRefused("Content-Length as a list", POST + "Content-Length: 5, 5\r\n\r\nhello", DUPLICATE_CONTENT_LENGTH),
            // chunked bodies
            chunkRefused("chunk size 0x5", "0x5\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_SIZE),
            chunkRefused("chunk size -5", "-5\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_SIZE),
            chunkRefused("chunk size with a leading space", " 5\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_SIZE),
            chunkRefused("an empty chunk size", "\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_SIZE),
            chunkRefused("a chunk size with a letter after the digits", "5g\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_SIZE),
            chunkRefused("a chunk size over 16 significant digits", "10000000000000005\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_SIZE),
            chunkRefused("a chunk size over 2^63-1 in 16 digits", "8000000000000000\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_SIZE),
            chunkRefused("a chunk size after good chunks", "2\r\nab\r\n+3\r\nabc\r\n0\r\n\r\n", "ab", BAD_CHUNK_SIZE),
            chunkRefused("a 256 KiB chunk extension", "5;" + "a".repeat(256 * 1024) + "\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_EXTENSION),
            new Case("a chunk extension one byte over its limit", CHUNKED + "1;abcdefgh\r\nx\r\n0\r\n\r\n",
                POST_HEAD + "REFUSED BAD_CHUNK_EXTENSION in body\n", SMALL),
            chunkRefused("a chunk extension without a name", "5;\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_EXTENSION),
            chunkRefused("a chunk extension with '=' and no value", "5;a=\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_EXTENSION),
            chunkRefused("a chunk extension without ';'", "5 a\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_EXTENSION),
            chunkRefused("whitespace after a chunk size with no extension", "5 \r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_EXTENSION),
            chunkRefused("a chunk extension with an unterminated quote", "5;a=\"b\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_EXTENSION),
            chunkRefused("a chunk extension with a control character", "5;a=\u0001\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_EXTENSION),
            chunkRefused("a chunk extension value that is not a token", "5;a=b@c\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK_EXTENSION),
            chunkRefused("chunk lines ended by LF alone", "5\nhello\n0\n\n", "", BAD_CHUNK),
            chunkRefused("chunk data longer than its size", "3\r\nabcXX\r\n0\r\n\r\n", "", BAD_CHUNK),
            chunkRefused("chunk data ended by LF alone", "5\r\nhello\n0\r\n\r\n", "", BAD_CHUNK),
            chunkRefused("chunk data ended by CR alone", "5\r\nhello\r0\r\n\r\n", "", BAD_CHUNK),
            chunkRefused("a chunk line with a bare CR", "5\rX\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK),
            chunkRefused("a bare CR in a chunk extension", "5;a\rb\r\nhello\r\n0\r\n\r\n", "", BAD_CHUNK),
            chunkRefused("a bad chunk after a good one", "5\r\nhello\r\n3\r\nabcXX\r\n", "hello", BAD_CHUNK),
            chunkRefused("the last chunk line ended by LF alone", "5\r\nhello\r\n0\n\r\n", "hello", BAD_CHUNK),
            // trailers
            chunkRefused("Content-Length in trailers", "0\r\nContent-Length: 5\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Transfer-Encoding in trailers", "0\r\ntransfer-encoding: chunked\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Host in trailers", "0\r\nHOST: evil\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Trailer in trailers", "0\r\nTrailer: x\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Connection in trailers", "0\r\nConnection: close\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Keep-Alive in trailers", "0\r\nKeep-Alive: 1\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Proxy-Connection in trailers", "0\r\nProxy-Connection: x\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("TE in trailers", "0\r\nTE: trailers\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Upgrade in trailers", "0\r\nUpgrade: h2c\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Authorization in trailers", "0\r\nAuthorization: x\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Proxy-Authorization in trailers", "0\r\nProxy-Authorization: x\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Cookie in trailers", "0\r\nCookie: a=b\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Expect in trailers", "0\r\nExpect: 100-continue\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Content-Type in trailers", "0\r\nContent-Type: text/plain\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Content-Encoding in trailers", "0\r\nContent-Encoding: gzip\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Content-Range in trailers", "0\r\nContent-Range: bytes 0-1/2\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("Max-Forwards in trailers", "0\r\nMax-Forwards: 1\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("a malformed trailer name", "2\r\nab\r\n0\r\nBad Name: x\r\n\r\n", "ab", BAD_TRAILER),
            chunkRefused("obs-fold in trailers", "0\r\nX: a\r\n b\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("a NUL in a trailer value", "0\r\nX: a\u0000\r\n\r\n", "", BAD_TRAILER),
            chunkRefused("a trailer line ended by LF alone", "0\r\nX: a\n\r\n", "", BAD_TRAILER),
            chunkRefused("trailers ended by LF alone", "0\r\nX: a\r\n\n", "", BAD_TRAILER),
            chunkRefused("a trailer line over header_line", "0\r\nX: " + "v".repeat(9000) + "\r\n\r\n", "", BAD_TRAILER),
            new Case("more trailer fields than header_count", CHUNKED + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
                POST_HEAD + "REFUSED BAD_TRAILER in body\n", SMALL),
            // what came before a refusal goes on; nothing after it does
            ok("a refusal after a good pipelined request", GET + "\r\nGET /2 HTTP/1.1x\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n", """
                GET / HTTP/1.1
                Host: a
                REFUSED BAD_VERSION in head
                """),
            ok("nothing is parsed after a bad body", POST + "Transfer-Encoding: chunked\r\n\r\n1\r\naXX\r\nGET /smuggled HTTP/1.1\r\n\r\n",
                POST_HEAD + "REFUSED BAD_CHUNK in body\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validForms")
    void validFormsDecodeAlikeHoweverTheBytesArrive(final Case c)
    {
        assertThat(Decoding.everyWay(c.limits(), Decoding.bytes(c.input()), 4)).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRowOfTheSpecIsRefusedWithItsReasonHoweverTheBytesArrive(final Case c)
    {
        assertThat(Decoding.everyWay(c.limits(), Decoding.bytes(c.input()), 4)).isEqualTo(c.expected());
    }
}
