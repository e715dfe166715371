package io.sluice.l7.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks on a request head that every protocol shares (RFC 9110, RFC 9112 section 3.2). */
class RequestHeadChecksTest
{
    private static HttpRequest request(final String method, final String uri, final HttpVersion version, final String... headers)
    {
        final HttpRequest request = new DefaultHttpRequest(version, HttpMethod.valueOf(method), uri);
        for (int i = 0; i < headers.length; i += 2)
        {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static RequestRefusal refusal(final HttpRequest request, final boolean http2)
    {
        final RequestRefusedException refused = RequestHeadChecks.check(request, http2);
        return refused == null ? null : refused.reason();
    }

    @Test
    void anOrdinaryRequestPassesUnchanged()
    {
        final HttpRequest request = request("GET", "/p?q=1", HttpVersion.HTTP_1_1, "Host", "probe.test:8080");
        assertThat(refusal(request, false)).isNull();
        assertThat(request.uri()).isEqualTo("/p?q=1");
        assertThat(request.headers().getAll("host")).containsExactly("probe.test:8080");
    }

    @Test
    void http11NeedsExactlyOneHost()
    {
        assertThat(refusal(request("GET", "/", HttpVersion.HTTP_1_1), false)).isEqualTo(RequestRefusal.MISSING_HOST);
        assertThat(refusal(request("GET", "/", HttpVersion.HTTP_1_1, "Host", "probe.test", "Host", "evil.test"), false))
            .isEqualTo(RequestRefusal.DUPLICATE_HOST);
        assertThat(refusal(request("GET", "/", HttpVersion.HTTP_1_1, "Host", "probe.test, evil.test"), false))
            .isEqualTo(RequestRefusal.DUPLICATE_HOST);
        assertThat(refusal(request("GET", "/", HttpVersion.HTTP_1_0), false)).as("HTTP/1.0 may go without").isNull();
        assertThat(refusal(request("GET", "/", HttpVersion.HTTP_1_1), true)).as("HTTP/2: :authority is optional").isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "probe.test, true", "probe.test:80, true", "198.18.0.1:8080, true", "[2001:2::1]:443, true", "[2001:2::1], true",
        "xn--bcher-kva.example, true", "a%41b.test, true", "probe.test:, true",
        "user@probe.test, false", "probe.test:65536, false", "probe.test:8o, false", "[2001:2::1, false", "[not-v6], false",
        "probe test, false", "probe.test/x, false", "a%4.test, false", "'', false", ":80, false", "probe.test:123456, false"})
    void hostSyntax(final String host, final boolean valid)
    {
        final HttpRequest request = request("GET", "/", HttpVersion.HTTP_1_1, "Host", host.equals("''") ? "" : host);
        assertThat(refusal(request, false)).isEqualTo(valid ? null : RequestRefusal.BAD_HOST);
    }

    @Test
    void anAbsoluteFormTargetsAuthorityReplacesHostAndTheTargetGoesOnInOriginForm()
    {
        final HttpRequest request = request("GET", "http://evil.test/p?x=1", HttpVersion.HTTP_1_1, "Host", "probe.test");
        assertThat(refusal(request, false)).isNull();
        assertThat(request.uri()).isEqualTo("/p?x=1");
        assertThat(request.headers().getAll("host")).containsExactly("evil.test");

        final HttpRequest empty = request("GET", "HTTPS://evil.test:8443?x", HttpVersion.HTTP_1_1, "Host", "probe.test");
        assertThat(refusal(empty, false)).isNull();
        assertThat(empty.uri()).isEqualTo("/?x");
        assertThat(empty.headers().get("host")).isEqualTo("evil.test:8443");

        final HttpRequest options = request("OPTIONS", "http://evil.test", HttpVersion.HTTP_1_1, "Host", "probe.test");
        assertThat(refusal(options, false)).isNull();
        assertThat(options.uri()).as("RFC 9112 3.2.4").isEqualTo("*");
    }

    @Test
    void targetsOfTheWrongFormAreRefused()
    {
        assertThat(refusal(request("GET", "ftp://evil.test/p", HttpVersion.HTTP_1_1, "Host", "h"), false)).isEqualTo(RequestRefusal.BAD_TARGET);
        assertThat(refusal(request("GET", "http://user@evil.test/p", HttpVersion.HTTP_1_1, "Host", "h"), false))
            .isEqualTo(RequestRefusal.BAD_HOST);
        assertThat(refusal(request("GET", "*", HttpVersion.HTTP_1_1, "Host", "h"), false)).isEqualTo(RequestRefusal.BAD_TARGET);
        assertThat(refusal(request("OPTIONS", "*", HttpVersion.HTTP_1_1, "Host", "h"), false)).isNull();
        assertThat(refusal(request("GET", "evil.test:443", HttpVersion.HTTP_1_1, "Host", "h"), false)).isEqualTo(RequestRefusal.BAD_TARGET);
        assertThat(refusal(request("GET", "p", HttpVersion.HTTP_1_1, "Host", "h"), false)).isEqualTo(RequestRefusal.BAD_TARGET);
        assertThat(refusal(request("GET", "http://evil.test/p", HttpVersion.HTTP_1_1), true))
            .as("HTTP/2's :path is never absolute").isEqualTo(RequestRefusal.BAD_TARGET);
    }

    @Test
    void connectIsRefusedOnEveryProtocol()
    {
        assertThat(refusal(request("CONNECT", "evil.test:443", HttpVersion.HTTP_1_1, "Host", "evil.test:443"), false))
            .isEqualTo(RequestRefusal.CONNECT_NOT_ALLOWED);
        assertThat(refusal(request("CONNECT", "evil.test:443", HttpVersion.HTTP_1_1), true)).isEqualTo(RequestRefusal.CONNECT_NOT_ALLOWED);
        assertThat(RequestRefusal.CONNECT_NOT_ALLOWED.status()).isEqualTo(501);
    }

    @Test
    void onlyExpect100ContinueIsHonouredAndHttp10IgnoresIt()
    {
        assertThat(refusal(request("POST", "/", HttpVersion.HTTP_1_1, "Host", "h", "Expect", "100-Continue"), false)).isNull();
        assertThat(refusal(request("POST", "/", HttpVersion.HTTP_1_1, "Host", "h", "Expect", "fly"), false))
            .isEqualTo(RequestRefusal.EXPECTATION_FAILED);
        final HttpRequest old = request("POST", "/", HttpVersion.HTTP_1_0, "Expect", "100-continue");
        assertThat(refusal(old, false)).isNull();
        assertThat(old.headers().contains("expect")).as("RFC 9110 10.1.1: not passed on").isFalse();
    }
}
