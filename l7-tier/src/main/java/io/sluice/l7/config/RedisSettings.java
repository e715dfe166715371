package io.sluice.l7.config;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The top-level {@code redis:}: the store global rate limits are counted in, shared by every
 * proxy that names it.
 *
 * @param address  where Redis listens ({@code ADDR:PORT}).
 * @param timeout  how long a decision waits for Redis's answer before it completes exceptionally (and the
 *                 rate-limit filter falls back to its local limit).
 * @param username the ACL user ({@code AUTH username password}), or null for the default user.
 * @param password {@code AUTH}'s password, or null when Redis asks for none.
 * @param database the database the keys live in ({@code SELECT}; 0 is Redis's default).
 */
public record RedisSettings(InetSocketAddress address, Duration timeout, String username, String password, int database)
{
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);

    /** Never the password: the settings are printed in errors and status lines. */
    @Override
    public String toString()
    {
        return "RedisSettings[address=" + address + ", timeout=" + timeout + ", username=" + username + ", password="
            + (password == null ? "none" : "(set)") + ", database=" + database + "]";
    }
}
