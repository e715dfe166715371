package io.sluice.l7.proxy;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential suite of issue 14, HTTP/1.x: each case is raw client bytes, what the client
 * must get back (the statuses, then whether the proxy closes the connection) and what a
 * backend that records every byte must have received (nothing, exactly these requests, or at
 * most a head cut short). It runs over a real socket on every transport, a fresh proxy and
 * backend for each case, so what one case lets through cannot show up in the next.
 *
 * <p>What is compared at the backend is the request as {@link LenientHttp1} parses it: the
 * request line, the fields (names case-insensitive, X-Request-Id's random value by its form),
 * the body de-chunked (the proxy re-chunks what it streams) and trailers. The proxy appends
 * X-Forwarded-For, X-Forwarded-Proto and X-Request-Id to what the client sent.
 *
 * <p>Where the RFC lets a server choose and HAProxy or nginx chose otherwise, the case's name
 * says so; where they break the RFC, the RFC is what is tested. The statuses are those the
 * issue's shared spec gives each {@link io.sluice.l7.http.RequestRefusal}; a refusal is that status
 * with {@code Connection: close} and a one-line text/plain body, then the connection closed.
 *
 * <p>{@code -Dsmuggling.case=text} runs only the cases whose name contains the text.
 */
@ExtendWith(LeakTracking.class)
@LeakTracking.PerClassInvocation
@ParameterizedClass(name = "{0}")
@MethodSource("transports")
class RequestSmugglingTest
{
    static final String HOST = "Host: probe.test";
    /** A request whose body is itself a request: a backend that sees it as one has been smuggled a request. */
    static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: probe.test\r\n\r\n";
    /** Waiting for an answer the proxy owes: a hung case fails after this (the proxy's request timeout is 2 s). */
    private static final int ANSWER_TIMEOUT_MS = 3_000;
    /**
     * How long the backend must see nothing before what it got is read. The proxy forwards within a
     * millisecond or two; too short a wait could only let a late forward go unseen, never fail a
     * correct proxy, as everything a case expects forwarded was answered before the client's answer.
     */
    private static final Duration BACKEND_QUIET = Duration.ofMillis(50);
    /** After that quiet, a connection with more to say has said it, and one the proxy closes with its answer is closed. */
    private static final int STILL_OPEN_MS = 30;
    private static final int CLOSE_TIMEOUT_MS = 500;

    private final ProxiedRecordingBackend setUp;
    private final RecordingBackend backend;
    private final L7Proxy proxy;

    /**
     * One case: {@code name} says what it proves.
     *
     * @param clientBytes what the client writes, all at once (ISO-8859-1: one char, one byte).
     * @param client      the statuses the client must get, in order, and whether the proxy then closes.
     * @param backend     what the backend must have received.
     */
    record SmugglingCase(String name, byte[] clientBytes, Expect client, AtBackend backend)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    /** The client's outcome: the statuses it got, then whether the proxy closed the connection (FIN or, with bytes unread, RST). */
    record Expect(List<Integer> statuses, boolean closed)
    {
        @Override
        public String toString()
        {
            return statuses + (closed ? " then closed" : " then kept open");
        }
    }

    /** What the backend must have received over all its connections. */
    sealed interface AtBackend permits Nothing, Exactly, CutShort
    {
    }

    /** Not a byte (a request refused at its head never reaches a backend). */
    record Nothing() implements AtBackend
    {
    }

    /** Exactly these requests, complete, in order, and nothing else. */
    record Exactly(List<String> requests) implements AtBackend
    {
    }

    /**
     * A request whose head was fine and whose body turned out bad: nothing at all, or this head
     * and at most {@code bodyAtMost} of its body on one connection, which the proxy closed before
     * the request's end (the spec's rule for a bad body: the backend never gets a complete request).
     */
    record CutShort(String head, String bodyAtMost) implements AtBackend
    {
    }

    static List<Transport> transports()
    {
        return Transport.usable();
    }

    RequestSmugglingTest(final Transport transport)
    {
        setUp = new ProxiedRecordingBackend(transport, (uri) -> uri.startsWith("/small") ? SMALL_MAX_BODY : RoutedRequest.PROXY_LIMIT);
        backend = setUp.backend;
        proxy = setUp.proxy;
    }

    @AfterEach
    void close()
    {
        setUp.close();
    }

    /** A route's own max_body, for requests to /small: the proxy's limit holds for the rest. */
    private static final long SMALL_MAX_BODY = 16;


    /**
     * The case's bytes on a new connection; its answers read; the backend given time to go quiet;
     * then anything more the client gets, or whether the proxy closes. Client and backend are
     * both checked before the case fails, so a failure shows what got through as well as what
     * the client saw.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void asSpecified(final SmugglingCase probe) throws Exception
    {
        final SoftAssertions softly = new SoftAssertions();
        try (Socket socket = new Socket())
        {
            socket.connect(proxy.boundAddresses().getFirst(), 2_000);
            final CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> send(socket, probe.clientBytes()),
                (task) -> Thread.ofVirtual().start(task));
            final PushbackInputStream in = new PushbackInputStream(socket.getInputStream());
            final Observed observed = new Observed();
            readAnswers(socket, in, observed, probe.client().statuses().size(), ANSWER_TIMEOUT_MS);
            softly.assertThat(backend.awaitQuiet(BACKEND_QUIET, Duration.ofSeconds(5))).as("%s: the backend went quiet", probe.name())
                .isTrue();
            if (!observed.ended)
            {
                // Whatever else comes is wrong: a response the client did not ask for, or the connection left open.
                readAnswers(socket, in, observed, Integer.MAX_VALUE, probe.client().closed() ? CLOSE_TIMEOUT_MS : STILL_OPEN_MS);
            }
            softly.assertThat(observed.outcome()).as("%s: what the client got (%s)", probe.name(), observed.how).isEqualTo(probe.client());
            if (probe.client().closed() && probe.client().statuses().getLast() >= 400 && observed.outcome().equals(probe.client()))
            {
                softly.assertThat(refusalProblems(observed.responses.getLast())).as("%s: the refusal's form", probe.name()).isEmpty();
            }
            sent.completeOnTimeout(null, 1, TimeUnit.SECONDS).exceptionally((failure) -> null).join();
        }
        assertBackendReceived(softly, probe.name(), probe.backend());
        softly.assertAll();
    }

    /** How a refusal breaks the spec's form: {@code Connection: close}, and a one-line text/plain body saying why. */
    private static List<String> refusalProblems(final RawHttp.Response refusal)
    {
        final List<String> problems = new ArrayList<>();
        if (!"close".equalsIgnoreCase(refusal.header("connection")))
        {
            problems.add("Connection: " + refusal.header("connection"));
        }
        final String type = refusal.header("content-type");
        if (type == null || !type.startsWith("text/plain"))
        {
            problems.add("Content-Type: " + type);
        }
        final String text = refusal.text();
        if (text.isBlank() || !text.endsWith("\n") || text.indexOf('\n') != text.length() - 1)
        {
            problems.add("not one line: " + LenientHttp1.escape(text));
        }
        return problems;
    }

    /** What the client saw: the responses, and how reading ended. */
    private static final class Observed
    {
        private final List<Integer> statuses = new ArrayList<>();
        private final List<RawHttp.Response> responses = new ArrayList<>();
        private boolean ended;
        private boolean closed;
        private String how = "kept open";

        void ended(final boolean closedByProxy, final String description)
        {
            ended = true;
            closed = closedByProxy;
            how = description;
        }

        Expect outcome()
        {
            return new Expect(List.copyOf(statuses), closed);
        }
    }

    /** Reads responses until {@code count} are in, or the proxy closes, or none comes within the timeout. */
    private static void readAnswers(final Socket socket, final PushbackInputStream in, final Observed observed, final int count,
        final int timeoutMs) throws IOException
    {
        socket.setSoTimeout(timeoutMs);
        while (observed.statuses.size() < count)
        {
            try
            {
                final int first = in.read();
                if (first < 0)
                {
                    observed.ended(true, "closed (FIN)");
                    return;
                }
                in.unread(first);
                final RawHttp.Response response = RawHttp.read(in);
                observed.responses.add(response);
                observed.statuses.add(response.status());
            }
            catch (final SocketTimeoutException ex)
            {
                if (count != Integer.MAX_VALUE)
                {
                    observed.ended(false, "no answer within " + timeoutMs + " ms");
                }
                return;
            }
            catch (final SocketException ex)
            {
                observed.ended(true, "closed (" + ex.getMessage() + ")");
                return;
            }
            catch (final IOException | RuntimeException ex)
            {
                observed.ended(true, "unreadable response: " + ex);
                return;
            }
        }
    }

    private void assertBackendReceived(final SoftAssertions softly, final String name, final AtBackend expected)
        throws InterruptedException
    {
        final List<RecordingBackend.Connection> used = backend.connections().stream()
            .filter((connection) -> connection.bytes().length > 0).toList();
        final StringBuilder received = new StringBuilder();
        for (final RecordingBackend.Connection connection : used)
        {
            received.append(LenientHttp1.describe(connection.bytes()));
        }
        switch (expected)
        {
            case Nothing nothing -> softly.assertThat(received.toString()).as("%s: what reached the backend", name).isEmpty();
            case Exactly exactly ->
            {
                final byte[] all = String.join("", exactly.requests()).getBytes(StandardCharsets.ISO_8859_1);
                assertThat(LenientHttp1.frames(all).requests()).as("%s: the case's own expected requests", name)
                    .hasSize(exactly.requests().size());
                softly.assertThat(received.toString()).as("%s: what reached the backend", name).isEqualTo(LenientHttp1.describe(all));
            }
            case CutShort cut -> softly.assertThat(cutShortProblems(cut, used))
                .as("%s: what reached the backend, at most the head and the body before the error:%n%s", name, received).isEmpty();
        }
    }

    /** How what the backend got breaks {@link CutShort}'s rule; none when nothing went. */
    private static List<String> cutShortProblems(final CutShort cut, final List<RecordingBackend.Connection> used)
        throws InterruptedException
    {
        final List<String> problems = new ArrayList<>();
        if (used.isEmpty())
        {
            return problems; // refused before the head went
        }
        if (used.size() > 1)
        {
            problems.add(used.size() + " connections used");
        }
        final RecordingBackend.Connection connection = used.getFirst();
        final LenientHttp1.Frame frame = LenientHttp1.frame(connection.bytes(), 0);
        if (frame.complete())
        {
            problems.add("a complete request");
        }
        if (frame.headEnd() < 0)
        {
            problems.add("part of a head");
            return problems;
        }
        final String head = LenientHttp1.describe(LenientHttp1.frame(cut.head().getBytes(StandardCharsets.ISO_8859_1), 0).head());
        if (!LenientHttp1.describe(frame.head()).equals(head))
        {
            problems.add("not the head expected:\n" + head);
        }
        final String body = new String(frame.body(), StandardCharsets.ISO_8859_1);
        if (!cut.bodyAtMost().startsWith(body))
        {
            problems.add("more body than the " + cut.bodyAtMost().length() + " bytes before the error: " + LenientHttp1.escape(body));
        }
        // Waited for only while nothing else is wrong: the proxy closes it as it refuses, a moment before the client's answer.
        if (problems.isEmpty() ? !connection.awaitClosedByPeer(Duration.ofSeconds(1)) : !connection.closedByPeer())
        {
            problems.add("the backend connection left open");
        }
        return problems;
    }

    private static void send(final Socket socket, final byte[] bytes)
    {
        try
        {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }
        catch (final IOException ex)
        {
            // The proxy may close before it read everything (a long refused request): its answer is what counts.
        }
    }

    // ---------------------------------------------------------------------------------------------------------------------
    // The cases.
    // ---------------------------------------------------------------------------------------------------------------------

    /** Every case; with {@code -Dsmuggling.case=text}, only those whose name contains it (to work on a few). */
    static Stream<SmugglingCase> cases()
    {
        final String only = System.getProperty("smuggling.case", "");
        return Stream.of(connectionOptions(), chunkedBodies(), transferEncodings(), hosts(), targetsAndMethods(), contentLengths(),
            lineSyntax(), limits(), keepAliveAndPipelining(), trailers(), expectations()).flatMap(List::stream)
            .filter((probe) -> probe.name().contains(only));
    }

    /** Issue 14 item 1: Connection may never unframe a request, nor take its Host. */
    private static List<SmugglingCase> connectionOptions()
    {
        return List.of(
            probe("connectionContentLength_bodyForwardedFramedNeverAsASecondRequest",
                request("POST /p HTTP/1.1", HOST, "Connection: Content-Length", "Content-Length: 44") + SMUGGLED,
                answered(200), exactly(forwarded("POST /p HTTP/1.1", HOST, "Content-Length: 44") + SMUGGLED)),
            probe("connectionTransferEncoding_chunkedBodyForwardedFramed",
                request("POST /p HTTP/1.1", HOST, "Connection: Transfer-Encoding", "Transfer-Encoding: chunked") +
                    "5\r\nhello\r\n0\r\n\r\n",
                answered(200), exactly(forwarded("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n")),
            probe("connectionHost_hostStillForwarded",
                request("GET /p HTTP/1.1", HOST, "Connection: Host"),
                answered(200), exactly(forwarded("GET /p HTTP/1.1", HOST))),
            probe("connectionNamingAnOrdinaryField_thatFieldRemovedAsHopByHop",
                request("GET /p HTTP/1.1", HOST, "Connection: keep-alive, X-Hop", "X-Hop: 1", "X-Kept: 2"),
                answered(200), exactly(forwarded("GET /p HTTP/1.1", HOST, "X-Kept: 2"))));
    }

    /** Issue 14 item 2, RFC 9112 7.1: a chunked body that is not exactly chunked is a 400 and a cut backend request. */
    private static List<SmugglingCase> chunkedBodies()
    {
        final String head = request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked");
        final CutShort headAtMost = cutShort(forwarded("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked"), "");
        return List.of(
            probe("chunkSizeWithHexPrefix0x5_refused", head + "0x5\r\nhello\r\n0\r\n\r\n", refused(400), headAtMost),
            probe("chunkSizeNegative_refused", head + "-5\r\nhello\r\n0\r\n\r\n", refused(400), headAtMost),
            probe("chunkSizeOverflowing64Bits_refused", head + "10000000000000005\r\nhello\r\n0\r\n\r\n", refused(400), headAtMost),
            probe("chunkSizeWithLeadingSpace_refused", head + " 5\r\nhello\r\n0\r\n\r\n", refused(400), headAtMost),
            probe("chunkLinesEndedByLfAlone_refused", head + "5\nhello\n0\n\n", refused(400), headAtMost),
            probe("chunkExtensionOf256KiB_refused", head + "5;" + "a".repeat(256 * 1024) + "\r\nhello\r\n0\r\n\r\n", refused(400),
                headAtMost),
            probe("chunkDataLongerThanItsSize_refusedNotTruncated", head + "3\r\nabcXX\r\n0\r\n\r\n", refused(400), headAtMost),
            probe("chunkDataEndedByLfAlone_refused", head + "5\r\nhello\n0\r\n\r\n", refused(400), headAtMost));
    }

    /** Issue 14 item 3, RFC 9112 6.1: only a final, single chunked frames a body; anything else is never forwarded. */
    private static List<SmugglingCase> transferEncodings()
    {
        final String body = "5\r\nhello\r\n0\r\n\r\n";
        return List.of(
            probe("transferEncodingXchunked_refused",
                request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: xchunked") + "0\r\n\r\n" + SMUGGLED, refused(400), nothing()),
            probe("transferEncodingChunkedInTwoFields_refusedAsChunkedTwice",
                request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked", "Transfer-Encoding: chunked") + body, refused(400),
                nothing()),
            probe("transferEncodingChunkedListedTwice_refused",
                request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked, chunked") + body, refused(400), nothing()),
            probe("transferEncodingChunkedThenGzip_refusedAsChunkedIsNotLast",
                request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked, gzip") + body, refused(400), nothing()),
            probe("transferEncodingGzipThenChunked_notImplemented",
                request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: gzip, chunked") + body, refused(501), nothing()),
            probe("transferEncodingEmpty_refused",
                request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: ") + body, refused(400), nothing()),
            probe("transferEncodingInHttp10_refused",
                request("POST /p HTTP/1.0", HOST, "Transfer-Encoding: chunked") + body, refused(400), nothing()));
    }

    /** Issue 14 item 4, RFC 9112 3.2: one Host, or the absolute form's authority in its place. */
    private static List<SmugglingCase> hosts()
    {
        return List.of(
            probe("hostTwice_refused", request("GET /p HTTP/1.1", HOST, "Host: evil.test"), refused(400), nothing()),
            probe("hostAsAList_refused", request("GET /p HTTP/1.1", "Host: probe.test, evil.test"), refused(400), nothing()),
            probe("hostMissingInHttp11_refused", request("GET /p HTTP/1.1", "Accept: */*"), refused(400), nothing()),
            probe("hostMissingInHttp10_forwardedWithTheBackendsAddressAsHost", request("GET /p HTTP/1.0", "Accept: */*"),
                answeredThenClosed(200), exactly(forwarded("GET /p HTTP/1.1", "Accept: */*", "Host: 127.0.0.1:1"))),
            probe("hostWithUserinfo_refused", request("GET /p HTTP/1.1", "Host: user@probe.test"), refused(400), nothing()),
            probe("hostWithAPath_refused", request("GET /p HTTP/1.1", "Host: probe.test/evil"), refused(400), nothing()),
            probe("absoluteFormWithAnotherHost_forwardedInOriginFormWithTheTargetsHost",
                request("GET http://evil.test/p?q=1 HTTP/1.1", HOST),
                answered(200), exactly(forwarded("GET /p?q=1 HTTP/1.1", "Host: evil.test"))),
            probe("absoluteFormWithAnotherScheme_refused", request("GET ftp://probe.test/p HTTP/1.1", HOST), refused(400), nothing()));
    }

    /** Issue 14 item 5 and the request line (RFC 9112 3): CONNECT is no tunnel, and a line is exactly method SP target SP version. */
    private static List<SmugglingCase> targetsAndMethods()
    {
        return List.of(
            probe("connect_notImplementedAndTheBytesAfterItNeverForwarded",
                request("CONNECT probe.test:443 HTTP/1.1", "Host: probe.test:443") + SMUGGLED, refused(501), nothing()),
            probe("asteriskTargetWithGet_refused", request("GET * HTTP/1.1", HOST), refused(400), nothing()),
            probe("asteriskTargetWithOptions_forwarded", request("OPTIONS * HTTP/1.1", HOST),
                answered(200), exactly(forwarded("OPTIONS * HTTP/1.1", HOST))),
            probe("authorityFormWithGet_refused", request("GET probe.test:80 HTTP/1.1", HOST), refused(400), nothing()),
            probe("originFormWithoutLeadingSlash_refused", request("GET p HTTP/1.1", HOST), refused(400), nothing()),
            probe("targetWithAFragment_refused", request("GET /p#f HTTP/1.1", HOST), refused(400), nothing()),
            probe("requestLineWithTwoSpaces_refused", request("GET  /p HTTP/1.1", HOST), refused(400), nothing()),
            probe("methodNotAToken_refused", request("GE(T /p HTTP/1.1", HOST), refused(400), nothing()),
            probe("versionInLowerCase_refused", request("GET /p http/1.1", HOST), refused(400), nothing()),
            probe("version12_notSupported", request("GET /p HTTP/1.2", HOST), refused(505), nothing()),
            probe("version20InARequestLine_notSupported", request("GET /p HTTP/2.0", HOST), refused(505), nothing()),
            probe("emptyLinesBeforeTheRequestLine_ignoredAsRfc9112Says",
                "\r\n\r\n" + request("GET /p HTTP/1.1", HOST), answered(200), exactly(forwarded("GET /p HTTP/1.1", HOST))));
    }

    /** CL+TE, TE+CL and every Content-Length that is not one decimal number (RFC 9110 8.6, RFC 9112 6.1-6.3). */
    private static List<SmugglingCase> contentLengths()
    {
        return List.of(
            probe("contentLengthThenTransferEncoding_refusedAsRfc9112AllowsUnlikeHaproxy",
                request("POST /p HTTP/1.1", HOST, "Content-Length: 6", "Transfer-Encoding: chunked") + "0\r\n\r\nG",
                refused(400), nothing()),
            probe("transferEncodingThenContentLength_refusedAsRfc9112AllowsUnlikeHaproxy",
                request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked", "Content-Length: 3") + "8\r\nSMUGGLED\r\n0\r\n\r\n",
                refused(400), nothing()),
            probe("contentLengthTwiceEqual_refusedAsRfc9110AllowsUnlikeHaproxy",
                request("POST /p HTTP/1.1", HOST, "Content-Length: 5", "Content-Length: 5") + "hello", refused(400), nothing()),
            probe("contentLengthListOfEqualValues_refusedAsRfc9110AllowsUnlikeHaproxy",
                request("POST /p HTTP/1.1", HOST, "Content-Length: 5, 5") + "hello", refused(400), nothing()),
            probe("contentLengthTwiceDiffering_refused",
                request("POST /p HTTP/1.1", HOST, "Content-Length: 5", "Content-Length: 6") + "hello!", refused(400), nothing()),
            probe("contentLengthWithPlusSign_refused", request("POST /p HTTP/1.1", HOST, "Content-Length: +5") + "hello",
                refused(400), nothing()),
            probe("contentLengthNegative_refused", request("POST /p HTTP/1.1", HOST, "Content-Length: -5") + "hello",
                refused(400), nothing()),
            probe("contentLengthWithSpaceBetweenDigits_refused", request("POST /p HTTP/1.1", HOST, "Content-Length:  5 5") + "hello",
                refused(400), nothing()),
            probe("contentLengthInHex_refused", request("POST /p HTTP/1.1", HOST, "Content-Length: 0x5") + "hello",
                refused(400), nothing()),
            probe("contentLengthEmpty_refused", request("POST /p HTTP/1.1", HOST, "Content-Length: ") + "hello",
                refused(400), nothing()),
            probe("contentLengthOver63Bits_refused", request("POST /p HTTP/1.1", HOST, "Content-Length: 9223372036854775808") + "hello",
                refused(400), nothing()),
            probe("contentLengthWithLeadingZeros_forwardedAsItsCanonicalDecimal",
                request("POST /p HTTP/1.1", HOST, "Content-Length: 005") + "hello",
                answered(200), exactly(forwarded("POST /p HTTP/1.1", HOST, "Content-Length: 5") + "hello")));
    }

    /** Field syntax (RFC 9112 2.2, 5; RFC 9110 5.5): what a lenient parser reads one way and a strict one another. */
    private static List<SmugglingCase> lineSyntax()
    {
        return List.of(
            probe("obsFold_refusedAsRfc9112Allows", request("GET /p HTTP/1.1", HOST, "X-Folded: a", " b"), refused(400), nothing()),
            probe("whitespaceLineRightAfterTheRequestLine_refused", request("GET /p HTTP/1.1", " X-Hidden: 1", HOST),
                refused(400), nothing()),
            probe("bareCrInAHeaderLine_refused", request("GET /p HTTP/1.1", HOST, "X-A: 1\rX-B: 2"), refused(400), nothing()),
            probe("bareLfLineEndings_refusedAsRfc9112AllowsWhereHaproxyAndNginxAccept", "GET /p HTTP/1.1\nHost: probe.test\n\n",
                refused(400), nothing()),
            probe("bareLfEndingOneHeaderLine_refused", "GET /p HTTP/1.1\r\nHost: probe.test\nX-A: 1\r\n\r\n", refused(400), nothing()),
            probe("spaceBeforeTheColon_refusedAsRfc9112Requires", request("GET /p HTTP/1.1", HOST, "X-A : 1"), refused(400), nothing()),
            probe("headerNameWithParenthesis_refused", request("GET /p HTTP/1.1", HOST, "X-A(b): 1"), refused(400), nothing()),
            probe("headerNameWithQuote_refused", request("GET /p HTTP/1.1", HOST, "X\"A: 1"), refused(400), nothing()),
            probe("headerNameEmpty_refused", request("GET /p HTTP/1.1", HOST, ": 1"), refused(400), nothing()),
            probe("nulInAHeaderValue_refused", request("GET /p HTTP/1.1", HOST, "X-A: a\u0000b"), refused(400), nothing()),
            probe("controlCharacter01InAHeaderValue_refused", request("GET /p HTTP/1.1", HOST, "X-A: a\u0001b"), refused(400),
                nothing()),
            probe("delInAHeaderValue_refused", request("GET /p HTTP/1.1", HOST, "X-A: a\u007fb"), refused(400), nothing()),
            probe("tabInAHeaderValue_forwarded", request("GET /p HTTP/1.1", HOST, "X-A: a\tb"),
                answered(200), exactly(forwarded("GET /p HTTP/1.1", HOST, "X-A: a\tb"))),
            probe("obsTextInAHeaderValue_forwardedByteForByte", request("GET /p HTTP/1.1", HOST, "X-A: caf\u00e9"),
                answered(200), exactly(forwarded("GET /p HTTP/1.1", HOST, "X-A: caf\u00e9"))));
    }

    /** The limits' defaults (request line 8 KiB, header line 8 KiB, header section 32 KiB, 100 fields, body 1 GiB). */
    private static List<SmugglingCase> limits()
    {
        final String[] hundredFields = getWith(fields(99, 10));
        final String[] longFields = getWith(fields(3, 7_000));
        return List.of(
            probe("requestLineOver8KiB_uriTooLong", request("GET /" + "a".repeat(9_000) + " HTTP/1.1", HOST), refused(414), nothing()),
            probe("requestLineUnder8KiB_forwarded", request("GET /" + "a".repeat(7_000) + " HTTP/1.1", HOST),
                answered(200), exactly(forwarded("GET /" + "a".repeat(7_000) + " HTTP/1.1", HOST))),
            probe("headerLineOver8KiB_headerFieldsTooLarge", request("GET /p HTTP/1.1", HOST, "X-Long: " + "a".repeat(9_000)),
                refused(431), nothing()),
            probe("headerSectionOver32KiB_headerFieldsTooLarge", request(getWith(fields(5, 7_000))), refused(431), nothing()),
            probe("headerSectionOf21KiB_forwarded", request(longFields), answered(200), exactly(forwarded(longFields))),
            probe("moreThan100HeaderFields_headerFieldsTooLarge", request(getWith(fields(100, 10))), refused(431), nothing()),
            probe("exactly100HeaderFields_forwarded", request(hundredFields), answered(200), exactly(forwarded(hundredFields))),
            probe("contentLengthOverTheDefaultMaxBody_contentTooLargeBeforeAnythingIsForwarded",
                request("POST /p HTTP/1.1", HOST, "Content-Length: " + (1024L * 1024 * 1024 + 1)), refused(413), nothing()),
            probe("contentLengthAtTheRoutesMaxBody_forwarded",
                request("POST /small HTTP/1.1", HOST, "Content-Length: 16") + "a".repeat(16), answered(200),
                exactly(forwarded("POST /small HTTP/1.1", HOST, "Content-Length: 16") + "a".repeat(16))),
            probe("contentLengthOverTheRoutesMaxBody_contentTooLargeBeforeAnythingIsForwarded",
                request("POST /small HTTP/1.1", HOST, "Content-Length: 17") + "a".repeat(17), refused(413), nothing()),
            probe("chunkedBodyPassingTheRoutesMaxBody_cutAndContentTooLarge",
                request("POST /small HTTP/1.1", HOST, "Transfer-Encoding: chunked") + "10\r\n" + "a".repeat(16) + "\r\n5\r\nhello\r\n0\r\n\r\n",
                refused(413), cutShort(forwarded("POST /small HTTP/1.1", HOST, "Transfer-Encoding: chunked"), "a".repeat(16))));
    }

    /** Keep-alive and pipelining must keep working: the harness's own proof that it sees requests forwarded whole. */
    private static List<SmugglingCase> keepAliveAndPipelining()
    {
        return List.of(
            probe("plainGet_forwardedAndKeptAlive", request("GET /p HTTP/1.1", HOST),
                answered(200), exactly(forwarded("GET /p HTTP/1.1", HOST))),
            probe("pipelinedAfterAContentLengthBody_bothForwardedWholeBothAnswered",
                request("POST /first HTTP/1.1", HOST, "Content-Length: 5") + "hello" + request("GET /second HTTP/1.1", HOST),
                answered(200, 200),
                exactly(forwarded("POST /first HTTP/1.1", HOST, "Content-Length: 5") + "hello", forwarded("GET /second HTTP/1.1", HOST))),
            probe("pipelinedAfterAChunkedBody_bothForwardedWholeBothAnswered",
                request("POST /first HTTP/1.1", HOST, "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n" +
                    request("GET /second HTTP/1.1", HOST),
                answered(200, 200),
                exactly(forwarded("POST /first HTTP/1.1", HOST, "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n",
                    forwarded("GET /second HTTP/1.1", HOST))),
            probe("validChunkedBodyWithExtensionAndTrailer_forwardedWithoutTheExtensionAndKeptAlive",
                request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked") + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\n" +
                    "X-Checksum: abc\r\n\r\n",
                answered(200),
                exactly(forwarded("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked") +
                    "b\r\nhello world\r\n0\r\nX-Checksum: abc\r\n\r\n")),
            probe("refusedRequestThenAPipelinedOne_neitherForwarded",
                request("GET /p HTTP/1.1", HOST, "Host: evil.test") + request("GET /second HTTP/1.1", HOST), refused(400), nothing()));
    }

    /** Trailers that would frame, route or authenticate (RFC 9110 6.5.1): the body is bad, so the backend request is cut. */
    private static List<SmugglingCase> trailers()
    {
        final String head = request("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked");
        final CutShort cut = cutShort(forwarded("POST /p HTTP/1.1", HOST, "Transfer-Encoding: chunked"), "hello");
        return List.of(
            probe("trailerContentLength_refused", head + "5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n", refused(400), cut),
            probe("trailerTransferEncoding_refused", head + "5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n", refused(400), cut),
            probe("trailerHost_refused", head + "5\r\nhello\r\n0\r\nHost: evil.test\r\n\r\n", refused(400), cut));
    }

    /** Expect (RFC 9110 10.1.1): 100-continue goes to the backend, whose 100 goes to the client; nothing else is met. */
    private static List<SmugglingCase> expectations()
    {
        return List.of(
            probe("expect100Continue_forwardedAndTheBackends100Relayed",
                request("POST /p HTTP/1.1", HOST, "Expect: 100-continue", "Content-Length: 5") + "hello",
                answered(100, 200), exactly(forwarded("POST /p HTTP/1.1", HOST, "Expect: 100-continue", "Content-Length: 5") + "hello")),
            probe("expectOther_expectationFailed", request("POST /p HTTP/1.1", HOST, "Expect: foo", "Content-Length: 5") + "hello",
                refused(417), nothing()),
            probe("expect100ContinueInHttp10_expectRemovedAndForwarded",
                request("POST /p HTTP/1.0", HOST, "Expect: 100-continue", "Content-Length: 5") + "hello",
                answeredThenClosed(200), exactly(forwarded("POST /p HTTP/1.1", HOST, "Content-Length: 5") + "hello")));
    }

    // ---------------------------------------------------------------------------------------------------------------------
    // How cases are written.
    // ---------------------------------------------------------------------------------------------------------------------

    private static SmugglingCase probe(final String name, final String client, final Expect expect, final AtBackend atBackend)
    {
        return new SmugglingCase(name, client.getBytes(StandardCharsets.ISO_8859_1), expect, atBackend);
    }

    /** A request head: its lines, each ended by CRLF, and the empty line. */
    static String request(final String... lines)
    {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    /** A head as the proxy forwards it: as the client sent it, then the fields the proxy adds. */
    static String forwarded(final String... lines)
    {
        return request(concat(lines, new String[] {"x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http",
            "x-request-id: " + "0".repeat(32)}));
    }

    /** {@code count} fields {@code X-Field-N: aaa...}, each value {@code valueLength} long. */
    private static String[] fields(final int count, final int valueLength)
    {
        return IntStream.range(0, count).mapToObj((i) -> "X-Field-" + i + ": " + "a".repeat(valueLength)).toArray(String[]::new);
    }

    /** The lines of {@code GET /p} with Host and then these fields. */
    private static String[] getWith(final String[] fields)
    {
        return concat(new String[] {"GET /p HTTP/1.1", HOST}, fields);
    }

    private static String[] concat(final String[] first, final String[] second)
    {
        final String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /** Answered with these statuses, the connection kept open. */
    private static Expect answered(final Integer... statuses)
    {
        return new Expect(List.of(statuses), false);
    }

    /** Answered with these statuses, then closed (an HTTP/1.0 client that did not ask for keep-alive). */
    private static Expect answeredThenClosed(final Integer... statuses)
    {
        return new Expect(List.of(statuses), true);
    }

    /** The refusal's status, then the proxy closes. */
    private static Expect refused(final int status)
    {
        return new Expect(List.of(status), true);
    }

    private static Nothing nothing()
    {
        return new Nothing();
    }

    private static Exactly exactly(final String... requests)
    {
        return new Exactly(List.of(requests));
    }

    private static CutShort cutShort(final String head, final String bodyAtMost)
    {
        return new CutShort(head, bodyAtMost);
    }
}
