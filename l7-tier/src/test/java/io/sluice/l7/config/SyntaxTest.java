package io.sluice.l7.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text forms on their own: addresses, durations, substitutions. */
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
