package io.sluice.lab;

/**
 * The {@code sluice l7} configuration of the lab's two-tier topology, written for one proxy:
 * it listens on the VIP (held on its lo, reached by DSR from the forwarder), sends
 * {@code /api/} to the api pool (round-robin) and {@code /static/} to the static pool (sticky
 * cookie), and names itself in X-Served-Via so a client can count requests per proxy.
 */
public final class TwoTierConfig
{
    /** The names of the four backends, as they answer in X-Served-By. */
    public static final String API1 = "api1";
    public static final String API2 = "api2";
    public static final String STATIC1 = "static1";
    public static final String STATIC2 = "static2";
    public static final String STICKY_COOKIE = "SLUICE_STATIC";

    private TwoTierConfig()
    {
    }

    /**
     * @param proxyName   this proxy's name in X-Served-Via.
     * @param api         the api backends' address and ports ({@code host:port} each).
     * @param statics     the static backends'.
     */
    public static String yaml(final String vip, final int port, final String proxyName, final String[] api, final String[] statics)
    {
        return """
            # sluice l7 for the two-tier lab: written by sluice (TwoTierConfig)
            listeners:
              - name: vip
                address: %s:%d
            routes:
              - name: api
                match: { path: { prefix: /api/ } }
                response_headers: { set: { X-Served-Via: %s } }
                to: api
              - name: static
                match: { path: { prefix: /static/ } }
                response_headers: { set: { X-Served-Via: %s } }
                to: static
            pools:
              api:
                servers:
                  - { name: %s, address: "%s" }
                  - { name: %s, address: "%s" }
              static:
                sticky: { cookie: %s }
                servers:
                  - { name: %s, address: "%s" }
                  - { name: %s, address: "%s" }
            """.formatted(vip, port, proxyName, proxyName, API1, api[0], API2, api[1], STICKY_COOKIE,
            STATIC1, statics[0], STATIC2, statics[1]);
    }
}
