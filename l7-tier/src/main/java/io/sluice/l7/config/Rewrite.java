package io.sluice.l7.config;

import java.util.regex.Pattern;

/**
 * How the path changes on its way to the pool; the query string is kept.
 *
 * @param prefix       with a prefix path match: the matched prefix is replaced by this
 *                     ({@code /api/} to {@code /v1/}); null otherwise.
 * @param regex        a regular expression replaced, in the whole path, by {@code substitution}
 *                     ({@code $1} refers to groups); null otherwise.
 * @param substitution see {@code regex}.
 */
public record Rewrite(String prefix, Pattern regex, String substitution)
{
}
