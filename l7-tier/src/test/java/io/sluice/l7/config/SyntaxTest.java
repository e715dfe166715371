package io.sluice.l7.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text forms on their own: addresses, durations, sizes, substitutions. */
class SyntaxTest
{
    @Test
    void addressesAreStrictIpLiterals()
    {
        assertThat(SocketAddresses.parse("198.18.0.1:1")).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("198.18.0.1"), 1));
        assertThat(SocketAddresses.parse("[2001:2::1]:65535"))
            .isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("2001:2::1"), 65535));
        for (final String bad : new String[] {"198.18.0.01:80", "198.18.0.256:80", "198.18.0.1:", "198.18.0.1:8o", "[1.2.3.4]:80",
            "[2001:2::1]80", "[2001:2::g]:80", ":80", "198.18.0.1:123456"})
        {
            assertThatThrownBy(() -> SocketAddresses.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + bad + "' is not ADDR:PORT");
        }
    }

    @Test
    void durationsTakeOneUnit()
    {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("999999999h")).isEqualTo(Duration.ofHours(999_999_999));
        for (final String bad : new String[] {"5", "5 s", "-5s", "1.5s", "5S", "5d", "1000000000s", ""})
        {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).hasMessageContaining("is not a duration");
        }
    }

    @Test
    void sizesAreBytesOrOneBinaryUnit()
    {
        assertThat(Sizes.parse("0")).isZero();
        assertThat(Sizes.parse("512")).isEqualTo(512);
        assertThat(Sizes.parse("512B")).isEqualTo(512);
        assertThat(Sizes.parse("8KiB")).isEqualTo(8 * 1024);
        assertThat(Sizes.parse("1MiB")).isEqualTo(1024 * 1024);
        assertThat(Sizes.parse("3GiB")).isEqualTo(3L * 1024 * 1024 * 1024);
        assertThat(Sizes.parse("0008KiB")).isEqualTo(8 * 1024);
        assertThat(Sizes.parse(Long.toString(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Sizes.parse("8589934591GiB")).isEqualTo(8_589_934_591L << 30);
        for (final String bad : new String[] {"", "-1", "+1", "1.5MiB", "1e6", "KiB", "1MiB1", "0x10", " 1", "1 "})
        {
            assertThatThrownBy(() -> Sizes.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + bad + "' is not a size (bytes, or an integer and B, KiB, MiB or GiB: 512, 8KiB, 1MiB)");
        }
        for (final String decimal : new String[] {"8KB", "8kb", "8K", "8k", "1M", "1MB", "1G", "1GB", "1TiB", "8 KiB", "8kib", "8b"})
        {
            assertThatThrownBy(() -> Sizes.parse(decimal)).as(decimal)
                .hasMessage("'" + decimal + "' is not a size (the units are B, KiB, MiB and GiB, powers of 1024, with no space: 8KiB)");
        }
        for (final String huge : new String[] {"9223372036854775808", "99999999999999999999999", "8589934592GiB"})
        {
            assertThatThrownBy(() -> Sizes.parse(huge)).as(huge)
                .hasMessage("'" + huge + "' is too large (at most 9223372036854775807 bytes)");
        }
    }

    @Test
    void sizesAreWrittenInTheLargestExactUnit()
    {
        assertThat(Sizes.format(0)).isEqualTo("0B");
        assertThat(Sizes.format(256)).isEqualTo("256B");
        assertThat(Sizes.format(1536)).isEqualTo("1536B");
        assertThat(Sizes.format(1024)).isEqualTo("1KiB");
        assertThat(Sizes.format(1536 * 1024)).isEqualTo("1536KiB");
        assertThat(Sizes.format(16L << 20)).isEqualTo("16MiB");
        assertThat(Sizes.format(1L << 30)).isEqualTo("1GiB");
        for (final long bytes : new long[] {0, 1, 1023, 1024, 1025, 5L << 20, 7L << 30, Long.MAX_VALUE})
        {
            assertThat(Sizes.parse(Sizes.format(bytes))).as("round trip of %d", bytes).isEqualTo(bytes);
        }
    }

    @Test
    void substitutionsAreCheckedAsReplaceAllReadsThem()
    {
        final Pattern regex = Pattern.compile("^/old/(?<rest>.*)");

        assertThat(Regexes.checkSubstitution(regex, "/new/$1")).isEqualTo("/new/$1");
        assertThat(Regexes.checkSubstitution(regex, "/new/${rest}")).isEqualTo("/new/${rest}");
        assertThat(Regexes.checkSubstitution(regex, "/cost/\\$5")).isEqualTo("/cost/\\$5");
        assertThat(Regexes.checkSubstitution(regex, "/$10")).isEqualTo("/$10");
        assertThat("/old/x".replaceAll(regex.pattern(), "/$10")).isEqualTo("/x0");

        assertThatThrownBy(() -> Regexes.checkSubstitution(regex, "/$2"))
            .hasMessage("'$2' refers to a group the regex does not have (it has 1)");
        assertThatThrownBy(() -> Regexes.checkSubstitution(regex, "/${other}")).hasMessage("'${other}' names no group of the regex");
        assertThatThrownBy(() -> Regexes.checkSubstitution(regex, "/${rest")).hasMessage("'${' without a closing '}'");
        assertThatThrownBy(() -> Regexes.checkSubstitution(regex, "/$x"))
            .hasMessage("'$' must be followed by a group number or {name} (write \\$ for a dollar sign)");
        assertThatThrownBy(() -> Regexes.checkSubstitution(regex, "/a\\")).hasMessage("ends with a lone '\\' (write \\\\ for a backslash)");
    }

    @Test
    void whatTheSubstitutionCheckRefusesJavaRefusesToo()
    {
        final Pattern regex = Pattern.compile("^/old/(?<rest>.*)");
        for (final String bad : new String[] {"/$2", "/${other}", "/${rest", "/$x", "/a\\", "/$"})
        {
            assertThatThrownBy(() -> regex.matcher("/old/x").replaceAll(bad)).as(bad).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> Regexes.checkSubstitution(regex, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
