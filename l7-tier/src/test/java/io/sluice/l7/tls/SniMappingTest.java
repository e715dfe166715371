package io.sluice.l7.tls;

import io.sluice.l7.config.ListenerTls;
import io.sluice.l7.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which certificates a name gets: exact names, one-label wildcards, the default or a refusal. */
class SniMappingTest
{
    @TempDir
    static Path directory;
    private static CertificateChoice a;
    private static CertificateChoice b;
    private static Map<String, CertificateChoice> byName;

    @BeforeAll
    static void contexts() throws Exception
    {
        TestCertificates.makeIn(directory);
        final ListenerTls tls = TlsListeners.tls(directory, """
                    - { cert: DIR/a.pem, key: DIR/a.key }
                    - { cert: DIR/b.pem, key: DIR/b.key }
            """);
        a = CertificateChoice.of(CertificateContext.build(tls.certificates().get(0), tls));
        b = CertificateChoice.of(CertificateContext.build(tls.certificates().get(1), tls));
        byName = new LinkedHashMap<>();
        byName.put("a.example", a);
        byName.put("b.example", b);
        byName.put("*.wild.example", b);
    }

    @Test
    void exactThenWildcardThenTheDefault()
    {
        final SniMapping mapping = new SniMapping(byName, a);

        assertThat(mapping.choiceFor("a.example")).isSameAs(a);
        assertThat(mapping.choiceFor("b.example")).isSameAs(b);
        assertThat(mapping.choiceFor("x.wild.example")).as("one label under the wildcard").isSameAs(b);
        assertThat(mapping.choiceFor("wild.example")).as("not the wildcard's own domain").isSameAs(a);
        assertThat(mapping.choiceFor("y.x.wild.example")).as("not two labels under it").isSameAs(a);
        assertThat(mapping.choiceFor("c.example")).isSameAs(a);
        assertThat(mapping.choiceFor(null)).as("no SNI").isSameAs(a);
    }

    @Test
    void strictRefusesWhatNoCertificateNames()
    {
        final SniMapping mapping = new SniMapping(byName, null);

        assertThat(mapping.choiceFor("x.wild.example")).isSameAs(b);
        assertThatThrownBy(() -> mapping.choiceFor(null)).isInstanceOf(SniRefusedException.class)
            .hasMessage("the client sent no server name");
        assertThatThrownBy(() -> mapping.choiceFor("c.example")).isInstanceOf(SniRefusedException.class)
            .hasMessage("no certificate for c.example");
    }
}
