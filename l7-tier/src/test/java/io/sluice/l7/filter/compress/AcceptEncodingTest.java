package io.sluice.l7.filter.compress;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.l7.config.ContentCoding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The coding a request's Accept-Encoding gets, against a route offering br, zstd, gzip in that order. */
class AcceptEncodingTest
{
    private static final ContentCoding[] OFFERED = {ContentCoding.BROTLI, ContentCoding.ZSTD, ContentCoding.GZIP};

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "gzip, deflate, br, zstd          | br",
        "gzip, deflate                    | gzip",
        "gzip;q=1.0, br;q=0.5             | gzip",
        "br;q=0.5, zstd;q=0.5, gzip;q=0.4 | br",
        "br;q=0, *                        | zstd",
        "*;q=0.5, gzip                    | gzip",
        "*                                | br",
        "*;q=0                            | none",
        "gzip;q=0                         | none",
        "identity                         | none",
        "deflate                          | none",
        "x-gzip                           | gzip",
        "GZIP ; Q=0.8                     | gzip",
        "zstd;q=1.5, gzip                 | gzip",
        "zstd;q=0.0001, gzip;q=0.1        | gzip",
        "zstd;level=3;q=0.9, gzip;q=0.8   | zstd",
        "br;q=0.2, br;q=0.9, zstd;q=0.5   | br",
        "';q=1, gzip'                     | gzip",
        "''                               | none",
    })
    void theHighestQualityWinsAndTiesGoToTheRoutesOrder(final String acceptEncoding, final String expected)
    {
        final HttpHeaders headers = new DefaultHttpHeaders().set("accept-encoding", acceptEncoding);
        final ContentCoding chosen = AcceptEncoding.choose(headers, OFFERED);
        assertThat(chosen == null ? null : chosen.token()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1000", "0.5, 500", "0.125, 125", "1.000, 1000", "1.001, -2", "0.1234, -2", ".5, -2", "2, -2", "0.x, -2"})
    void qvaluesAreThousandthsAndAnythingElseIsMalformed(final String text, final int thousandths)
    {
        assertThat(AcceptEncoding.qvalue(text)).isEqualTo(thousandths);
    }

    @org.junit.jupiter.api.Test
    void noHeaderTakesNoCodingAndSeveralFieldsAreOneList()
    {
        assertThat(AcceptEncoding.choose(new DefaultHttpHeaders(), OFFERED)).isNull();
        final HttpHeaders twoFields = new DefaultHttpHeaders().add("accept-encoding", "br;q=0").add("accept-encoding", "gzip");
        assertThat(AcceptEncoding.choose(twoFields, OFFERED)).isEqualTo(ContentCoding.GZIP);
    }
}
