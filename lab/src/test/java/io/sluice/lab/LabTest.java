package io.sluice.lab;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lab script and its Java wrapper: what they refuse before touching anything (no root needed). */
class LabTest
{
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void scriptRefusesNamesThatCouldReachBeyondTheLabWithOneLine()
    {
        final String script = SluiceHome.locate().labScript().toString();
        for (final String name : List.of("UPPER", "toolongname", "a-b", "../x", "a b"))
        {
            final ExecResult result = Processes.run(List.of(script, "down", name), SCRIPT_TIMEOUT);

            assertThat(result.exitCode()).as("down '%s'", name).isEqualTo(2);
            assertThat(result.stderrLines()).as("down '%s'", name).singleElement().asString().contains("lab name");
        }
    }

    @Test
    void wrapperRefusesBadNamesAndCountsBeforeTouchingAnything()
    {
        assertThatThrownBy(() -> Lab.up("Bad", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad'");
        assertThatThrownBy(() -> Lab.up("ok", 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> Lab.up("ok", 51)).isInstanceOf(IllegalArgumentException.class);
    }
}
