package io.sluice.l7.redis;

import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.sluice.l7.ratelimit.LimitDecision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * GCRA (the generic cell rate algorithm) as one Lua script, so a decision is one atomic round
 * trip: read the key's theoretical arrival time (TAT), decide, write it back. The clock is
 * Redis's ({@code TIME}), never the proxy's, so proxies whose clocks disagree still count one
 * limit. The key expires when its TAT passes ({@code PX}), when a missing key and the stored one
 * mean the same (a full bucket), so Redis holds only keys that are spending.
 *
 * <p>Semantics, which the local limiter shares: the tolerance is {@code burst} emission intervals,
 * so {@code burst + 1} requests pass at once on a full bucket and then one per interval. With
 * {@code ahead} the TAT's lead over now (0 when it has passed) and {@code window = (burst + 1) *
 * interval}, a request of {@code cost} passes when {@code ahead + cost * interval <= window}.
 *
 * <p>Exact in nanoseconds: Lua's numbers are doubles, exact only to 2^53, and a Unix time in
 * nanoseconds is beyond that, so the stored TAT (its decimal nanoseconds, readable with
 * {@code GET}) is split into seconds and nanoseconds and only differences from now, bounded by
 * the window, are computed whole. Redis 5 or later (the script writes after reading {@code TIME}:
 * effects replication).
 */
final class GcraScript
{
    /**
     * KEYS[1]: the key; ARGV: the emission interval (ns), the burst, the cost. Answers {allowed,
     * remaining, retry_after_ns, reset_ns}.
     */
    static final String SOURCE = """
        local now = redis.call('TIME')
        local now_s = tonumber(now[1])
        local now_ns = tonumber(now[2]) * 1000
        local interval = tonumber(ARGV[1])
        local cost = tonumber(ARGV[3])
        local window = (tonumber(ARGV[2]) + 1) * interval
        local ahead = 0
        local stored = redis.call('GET', KEYS[1])
        if stored then
          ahead = (tonumber(string.sub(stored, 1, -10)) - now_s) * 1000000000 + tonumber(string.sub(stored, -9)) - now_ns
          if ahead < 0 then ahead = 0 end
        end
        local spent = ahead + cost * interval
        if spent > window then
          return {0, math.max(0, math.floor((window - ahead) / interval)), spent - window, ahead}
        end
        if cost > 0 then
          local tat_ns = now_ns + spent
          local below_s = tat_ns % 1000000000
          local tat_s = now_s + (tat_ns - below_s) / 1000000000
          redis.call('SET', KEYS[1], string.format('%d%09d', tat_s, below_s), 'PX', math.ceil(spent / 1000000))
        end
        return {1, math.floor((window - spent) / interval), 0, spent}
        """;
    /** What {@code SCRIPT LOAD} answers and {@code EVALSHA} names the script by. */
    static final String SHA1 = sha1(SOURCE);
    /**
     * The largest window computed whole in Lua's doubles (about 104 days): {@code (burst + 1) *
     * interval} must not exceed it.
     */
    static final long MAX_WINDOW_NANOS = 1L << 53;

    private GcraScript()
    {
    }

    /** The script's answer as a decision, or null when it is not the four integers the script returns. */
    static LimitDecision decision(final RedisMessage reply)
    {
        if (!(reply instanceof ArrayRedisMessage array) || array.children().size() != 4)
        {
            return null;
        }
        final List<RedisMessage> values = array.children();
        for (final RedisMessage value : values)
        {
            if (!(value instanceof IntegerRedisMessage))
            {
                return null;
            }
        }
        return new LimitDecision(integer(values, 0) == 1, integer(values, 1), integer(values, 2), integer(values, 3));
    }

    private static long integer(final List<RedisMessage> values, final int index)
    {
        return ((IntegerRedisMessage)values.get(index)).value();
    }

    private static String sha1(final String source)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-1", ex);
        }
    }
}
