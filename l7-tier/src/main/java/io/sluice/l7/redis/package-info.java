/**
 * The Redis store of global rate limits: {@link io.sluice.l7.redis.RedisLimiter} is the
 * {@link io.sluice.l7.ratelimit.SharedLimiter} every proxy naming the same {@code redis:} shares,
 * a GCRA script run on Redis's own clock, one round trip per decision. It is a client of its
 * own over Netty's Redis codec on the proxy's event loops (a connection per loop, so a decision
 * asked on a loop is written and answered there, and no thread is added): commands pipelined,
 * each decision bounded by the configured timeout, and, while Redis cannot be reached, failed at
 * once (the rate-limit filter falls back to its local limit) while the connection is made again
 * with backoff. {@link io.sluice.l7.redis.CurrentRedisLimiter} is the proxy's one limiter across
 * reloads. It uses {@code config}, {@code metrics} and {@code ratelimit}.
 */
package io.sluice.l7.redis;
