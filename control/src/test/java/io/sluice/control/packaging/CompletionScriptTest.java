package io.sluice.control.packaging;

import io.sluice.control.SluiceCli;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice completion}'s script, sourced in bash, completes as a user's TAB would: bash
 * fills COMP_WORDS and COMP_CWORD and calls the function {@code complete -p sluice} names, which
 * leaves its candidates in COMPREPLY.
 */
final class CompletionScriptTest
{
    @TempDir
    Path dir;

    @Test
    void completesCommandsSubcommandsAndOptions() throws IOException
    {
        final Path script = dir.resolve("sluice.bash");
        final StringWriter out = new StringWriter();
        assertThat(SluiceCli.execute(new String[]{ "completion" }, new PrintWriter(out), new PrintWriter(new StringWriter())))
            .isZero();
        Files.writeString(script, out.toString());

        assertThat(complete(script, "sluice", "vi")).containsExactly("vip");
        assertThat(complete(script, "sluice", "vip", "a")).containsExactly("add");
        assertThat(complete(script, "sluice", "vip", "add", "--sch")).containsExactly("--scheduler");
        assertThat(complete(script, "sluice", "co")).containsExactly("completion");
    }

    /** What TAB offers after {@code words}, the last one being the word under the cursor. */
    private static List<String> complete(final Path script, final String... words)
    {
        final String line = String.join(" ", words);
        final String bash = "source '" + script + "'\n"
            + "COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1) + "\n"
            + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
            + "function=$(complete -p sluice | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')\n"
            + "\"$function\" sluice '" + words[words.length - 1] + "' '" + words[words.length - 2] + "'\n"
            + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        final ExecResult result = Processes.run(List.of("bash", "-c", bash), Duration.ofSeconds(30)).orThrow();
        return result.stdout().lines().filter((candidate) -> !candidate.isBlank()).map(String::strip).toList();
    }
}
