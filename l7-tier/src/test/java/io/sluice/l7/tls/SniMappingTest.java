package io.sluice.l7.tls;

import io.sluice.l7.testing.TestCertificates;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which certificate's context a name gets: exact names, one-label wildcards, the default or a refusal. */
class SniMappingTest
{
    @TempDir
    static Path directory;
    private static SslContext a;
    private static SslContext b;
    private static Map<SslContext, List<String>> names;

    @BeforeAll
    static void contexts() throws Exception
    {
        final TestCertificates certificates = TestCertificates.makeIn(directory);
        a = SslContextBuilder.forServer(certificates.file("a.pem").toFile(), certificates.file("a.key").toFile()).build();
        b = SslContextBuilder.forServer(certificates.file("b.pem").toFile(), certificates.file("b.key").toFile()).build();
        names = new LinkedHashMap<>();
        names.put(a, List.of("a.example"));
        names.put(b, List.of("b.example", "*.wild.example"));
    }

    @Test
    void exactThenWildcardThenTheDefault()
    {
        final SniMapping mapping = new SniMapping(names, a);

        assertThat(mapping.map("a.example")).isSameAs(a);
        assertThat(mapping.map("b.example")).isSameAs(b);
        assertThat(mapping.map("x.wild.example")).as("one label under the wildcard").isSameAs(b);
        assertThat(mapping.map("wild.example")).as("not the wildcard's own domain").isSameAs(a);
        assertThat(mapping.map("y.x.wild.example")).as("not two labels under it").isSameAs(a);
        assertThat(mapping.map("c.example")).isSameAs(a);
        assertThat(mapping.map(null)).as("no SNI").isSameAs(a);
    }

    @Test
    void strictRefusesWhatNoCertificateNames()
    {
        final SniMapping mapping = new SniMapping(names, null);

        assertThat(mapping.map("x.wild.example")).isSameAs(b);
        assertThatThrownBy(() -> mapping.map(null)).isInstanceOf(SniRefusedException.class)
            .hasMessage("the client sent no server name");
        assertThatThrownBy(() -> mapping.map("c.example")).isInstanceOf(SniRefusedException.class)
            .hasMessage("no certificate for c.example");
    }
}
