package io.sluice.l7.health;

import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;

/**
 * Names a server across a reload: its pool's name and its own. The active checks and passive
 * ejection both take a server's state over into the next configuration only when it has the same
 * key there and the same address too (a server renamed, moved to another pool or given another
 * address is a new server, and starts clean).
 */
record ServerKey(String pool, String server)
{
    static ServerKey of(final PoolBalancer pool, final Upstream upstream)
    {
        return new ServerKey(pool.name(), upstream.name());
    }
}
