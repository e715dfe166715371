package io.sluice.lab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands echoed as a shell would take them back. */
class CommandTextTest
{
    @Test
    void quotesOnlyTheWordsAShellWouldSplitOrExpand()
    {
        assertThat(CommandText.of(List.of("openssl", "req", "-subj", "/CN=sluice lab CA", "-addext",
            "subjectAltName=DNS:a,IP:1.2.3.4")))
            .isEqualTo("openssl req -subj '/CN=sluice lab CA' -addext subjectAltName=DNS:a,IP:1.2.3.4");
        assertThat(CommandText.of(List.of("echo", "it's", "$HOME", "*"))).isEqualTo("echo 'it'\\''s' '$HOME' '*'");
    }
}
