package io.sluice.l7.config;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every refusal, as a table of {description, file, the exact one-line message}. Each file is a
 * valid minimal config with one thing wrong; the section under test comes first so its line
 * numbers read straight off the text block.
 */
class L7ConfigValidationTest
{
    private static final String LISTENERS = "listeners: [{ name: web, address: 198.18.1.1:80 }]\n";
    private static final String ROUTES = "routes: [{ name: r, to: p }]\n";
    private static final String POOLS = "pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }] } }\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource({"structure", "listeners", "timeouts", "limits", "pools", "routes", "matches"})
    void refuses(final String description, final String yaml, final String message)
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse(yaml, "l7.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessage(message);
    }

    static Stream<Arguments> structure()
    {
        return Stream.of(
            arguments("no listeners key", ROUTES + POOLS, "l7.yaml:1: listeners: missing"),
            arguments("no routes key", LISTENERS + POOLS, "l7.yaml:1: routes: missing"),
            arguments("no pools key", LISTENERS + ROUTES, "l7.yaml:1: pools: missing"),
            arguments("no listener", "listeners: []\n" + ROUTES + POOLS, "l7.yaml:1: listeners: needs at least one listener"),
            arguments("no route", "routes: []\n" + LISTENERS + POOLS, "l7.yaml:1: routes: needs at least one route"),
            arguments("no pool", "pools: {}\n" + LISTENERS + ROUTES, "l7.yaml:1: pools: needs at least one pool"),
            arguments("pools left empty", "pools:\n" + LISTENERS + ROUTES, "l7.yaml:1: pools: expected a mapping, found nothing"),
            arguments("unknown top-level key", """
                listeners: [{ name: web, address: 198.18.1.1:80 }]
                lsteners: []
                """ + ROUTES + POOLS,
                "l7.yaml:2: lsteners: unknown key; allowed here: listeners, admin, timeouts, limits, routes, pools, redis, dns"),
            arguments("repeated key", """
                listeners: [{ name: web, address: 198.18.1.1:80 }]
                routes: [{ name: r, to: p }]
                listeners: [{ name: web, address: 198.18.1.1:80 }]
                """ + POOLS,
                "l7.yaml:3: listeners: repeated key (first on line 1)"),
            arguments("listeners as a mapping", """
                listeners:
                  name: web
                """ + ROUTES + POOLS,
                "l7.yaml:2: listeners: expected a list, found a mapping"),
            arguments("a key that is not a name", """
                ? [a, b]
                : 1
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: a key must be a name, not a list"));
    }

    static Stream<Arguments> listeners()
    {
        return Stream.of(
            arguments("repeated listener name", """
                listeners:
                  - { name: web, address: 198.18.1.1:80 }
                  - { name: web, address: 198.18.1.2:80 }
                """ + ROUTES + POOLS,
                "l7.yaml:3: listeners[1].name: 'web' is already used by listeners[0]"),
            arguments("listener without address", """
                listeners:
                  - name: web
                """ + ROUTES + POOLS,
                "l7.yaml:2: listeners[0].address: missing"),
            arguments("unknown listener key", """
                listeners:
                  - name: web
                    adress: 198.18.1.1:80
                """ + ROUTES + POOLS,
                "l7.yaml:3: listeners[0].adress: unknown key; allowed here: name, address, proxy_protocol, tls, " +
                    "redirect_https, websocket_over_h2, max_connections_per_client"),
            arguments("websocket_over_h2 neither true nor false", """
                listeners:
                  - { name: web, address: 198.18.1.1:80, websocket_over_h2: sometimes }
                """ + ROUTES + POOLS,
                "l7.yaml:2: listeners[0].websocket_over_h2: 'sometimes' is not true or false"),
            arguments("listener name with a space", """
                listeners:
                  - { name: my web, address: 198.18.1.1:80 }
                """ + ROUTES + POOLS,
                "l7.yaml:2: listeners[0].name: 'my web' is not a name (letters, digits, '-', '_', '.')"),
            arguments("short IPv4 address", """
                listeners:
                  - name: web
                    address: 1.2.3:80
                """ + ROUTES + POOLS,
                "l7.yaml:3: listeners[0].address: '1.2.3:80' is not ADDR:PORT"),
            arguments("no port", """
                listeners: [{ name: web, address: 198.18.1.1 }]
                """ + ROUTES + POOLS,
                "l7.yaml:1: listeners[0].address: '198.18.1.1' is not ADDR:PORT"),
            arguments("port 0", """
                listeners: [{ name: web, address: 198.18.1.1:0 }]
                """ + ROUTES + POOLS,
                "l7.yaml:1: listeners[0].address: port 0 is not 1-65535"),
            arguments("port 65536", """
                listeners: [{ name: web, address: "[2001:2::1]:65536" }]
                """ + ROUTES + POOLS,
                "l7.yaml:1: listeners[0].address: port 65536 is not 1-65535"),
            arguments("a host name", """
                listeners: [{ name: web, address: "lb.example.com:80" }]
                """ + ROUTES + POOLS,
                "l7.yaml:1: listeners[0].address: 'lb.example.com:80' is not ADDR:PORT (ADDR is an IP address; names are not looked up)"),
            arguments("IPv6 without brackets", """
                listeners: [{ name: web, address: "2001:2::1:80" }]
                """ + ROUTES + POOLS,
                "l7.yaml:1: listeners[0].address: '2001:2::1:80' is not ADDR:PORT (IPv6 goes in brackets: \"[ADDR]:PORT\")"),
            arguments("IPv6 unquoted", """
                listeners:
                  - name: web
                    address: [2001:2::1]:80
                """ + ROUTES + POOLS,
                "l7.yaml:3: invalid YAML: while parsing a block mapping, expected <block end>, but found '<scalar>'"
                    + " (quote IPv6 addresses: \"[2001:2::1]:80\")"),
            arguments("IPv6 unquoted, no port", """
                listeners:
                  - name: web
                    address: [2001:2::1]
                """ + ROUTES + POOLS,
                "l7.yaml:3: listeners[0].address: expected ADDR:PORT, found a list (quote IPv6 addresses: \"[2001:2::1]:80\")"),
            arguments("IPv6 with a zone", """
                listeners: [{ name: web, address: "[fe80::1%eth0]:80" }]
                """ + ROUTES + POOLS,
                "l7.yaml:1: listeners[0].address: '[fe80::1%eth0]:80' is not ADDR:PORT (zone ids are not supported)"),
            arguments("same address twice", """
                listeners:
                  - { name: web, address: 198.18.1.1:80 }
                  - { name: web2, address: 198.18.1.1:80 }
                """ + ROUTES + POOLS,
                "l7.yaml:3: listeners[1].address: '198.18.1.1:80' overlaps listeners[0].address '198.18.1.1:80'"),
            arguments("wildcard after an address on its port", """
                listeners:
                  - { name: web, address: 198.18.1.1:80 }
                  - { name: all, address: "0.0.0.0:80" }
                """ + ROUTES + POOLS,
                "l7.yaml:3: listeners[1].address: '0.0.0.0:80' overlaps listeners[0].address '198.18.1.1:80'"),
            arguments("IPv4 after the dual-stack wildcard", """
                listeners:
                  - { name: all, address: "[::]:443" }
                  - { name: web, address: 198.18.1.1:443 }
                """ + ROUTES + POOLS,
                "l7.yaml:3: listeners[1].address: '198.18.1.1:443' overlaps listeners[0].address '[::]:443'"),
            arguments("IPv6 after the dual-stack wildcard", """
                listeners:
                  - { name: all, address: "[::]:443" }
                  - { name: web6, address: "[2001:2::1]:443" }
                """ + ROUTES + POOLS,
                "l7.yaml:3: listeners[1].address: '[2001:2::1]:443' overlaps listeners[0].address '[::]:443'"),
            arguments("admin not on loopback", LISTENERS + """
                admin:
                  address: 198.18.1.1:9901
                """ + ROUTES + POOLS,
                "l7.yaml:3: admin.address: '198.18.1.1:9901' is not a loopback address (127.0.0.0/8 or [::1])"),
            arguments("admin on a listener's port", """
                listeners: [{ name: all, address: "0.0.0.0:9901" }]
                admin: { address: 127.0.0.1:9901 }
                """ + ROUTES + POOLS,
                "l7.yaml:2: admin.address: '127.0.0.1:9901' overlaps listeners[0].address '0.0.0.0:9901'"),
            arguments("admin without address", LISTENERS + "admin: {}\n" + ROUTES + POOLS, "l7.yaml:2: admin.address: missing"));
    }

    static Stream<Arguments> timeouts()
    {
        return Stream.of(
            arguments("zero duration", """
                timeouts:
                  connect: 0s
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: timeouts.connect: '0s' is not positive"),
            arguments("duration without a unit", """
                timeouts: { idle: 60 }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: timeouts.idle: '60' is not a duration (an integer and ms, s, m or h: 250ms, 5s, 2m, 1h)"),
            arguments("duration with two units", """
                timeouts: { request: 1m30s }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: timeouts.request: '1m30s' is not a duration (an integer and ms, s, m or h: 250ms, 5s, 2m, 1h)"),
            arguments("unknown timeout", """
                timeouts:
                  idle: 60s
                  read: 5s
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:3: timeouts.read: unknown key; allowed here: connect, request_header, idle, request, upgraded_idle"));
    }

    static Stream<Arguments> limits()
    {
        return Stream.of(
            arguments("request line below the floor", """
                limits:
                  request_line: 100
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.request_line: 100 is not 256B-1MiB"),
            arguments("header line above the ceiling", """
                limits: { header_line: 2MiB }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.header_line: 2MiB is not 256B-1MiB"),
            arguments("header section above the ceiling", """
                limits: { header_bytes: 17MiB }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.header_bytes: 17MiB is not 256B-16MiB"),
            arguments("header section smaller than a header line", """
                limits:
                  header_line: 16KiB
                  header_bytes: 8KiB
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:3: limits.header_bytes: 8KiB must be at least header_line (16KiB)"),
            arguments("header section smaller than the default header line", """
                limits: { header_bytes: 4096 }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.header_bytes: 4096 must be at least header_line (default 8KiB)"),
            arguments("header line larger than the default header section", """
                limits:
                  header_line: 64KiB
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.header_line: 64KiB must be at most header_bytes (default 32KiB)"),
            arguments("no header fields allowed", """
                limits: { header_count: 0 }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.header_count: 0 is not 1-10000"),
            arguments("header count not a number", """
                limits: { header_count: many }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.header_count: 'many' is not an integer"),
            arguments("chunk extension above the ceiling", """
                limits: { chunk_extension: 1025KiB }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.chunk_extension: 1025KiB is not 0B-1MiB"),
            arguments("max_body with a fraction", """
                limits: { max_body: 1.5GiB }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.max_body: '1.5GiB' is not a size (bytes, or an integer and B, KiB, MiB or GiB: 512, 8KiB, 1MiB)"),
            arguments("max_body past a long", """
                limits: { max_body: 9000000000GiB }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.max_body: '9000000000GiB' is too large (at most 9223372036854775807 bytes)"),
            arguments("a size with a space", """
                limits: { request_line: 16 KiB }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits.request_line: '16 KiB' is not a size"
                    + " (the units are B, KiB, MiB and GiB, powers of 1024, with no space: 8KiB)"),
            arguments("limits left empty", "limits:\n" + LISTENERS + ROUTES + POOLS,
                "l7.yaml:1: limits: expected a mapping (request_line, header_line, header_bytes, header_count, chunk_extension, max_body,"
                    + " http2), found nothing"),
            arguments("unknown limit", """
                limits:
                  body: 1MiB
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.body: unknown key; allowed here: request_line, header_line, header_bytes, header_count, chunk_extension,"
                    + " max_body, http2"),
            arguments("HTTP/2 header list below the floor", """
                limits:
                  http2: { header_list: 512B }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.http2.header_list: 512B is not 1KiB-16MiB"),
            arguments("HTTP/2 streams above the ceiling", """
                limits:
                  http2:
                    concurrent_streams: 10001
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:3: limits.http2.concurrent_streams: 10001 is not 1-10000"),
            arguments("HTTP/2 no resets allowed", """
                limits:
                  http2:
                    resets: { count: 0 }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:3: limits.http2.resets.count: 0 is not 1 or more"),
            arguments("HTTP/2 resets past an int", """
                limits:
                  http2:
                    resets: { count: 3000000000 }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:3: limits.http2.resets.count: 3000000000 is not 1-2147483647"),
            arguments("HTTP/2 reset window below a second", """
                limits:
                  http2:
                    resets:
                      per: 500ms
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:4: limits.http2.resets.per: 500ms is not 1s-1h"),
            arguments("HTTP/2 reset window above an hour", """
                limits:
                  http2: { resets: { per: 61m } }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.http2.resets.per: 61m is not 1s-1h"),
            arguments("HTTP/2 reset window not whole seconds", """
                limits:
                  http2: { resets: { per: 1500ms } }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.http2.resets.per: 1500ms is not a whole number of seconds"),
            arguments("HTTP/2 reset window without a unit", """
                limits:
                  http2: { resets: { per: 30 } }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.http2.resets.per: '30' is not a duration (an integer and ms, s, m or h: 250ms, 5s, 2m, 1h)"),
            arguments("HTTP/2 unknown reset key", """
                limits:
                  http2:
                    resets: { count: 10, window: 10s }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:3: limits.http2.resets.window: unknown key; allowed here: count, per"),
            arguments("HTTP/2 no empty frames allowed", """
                limits:
                  http2: { empty_frames: 0 }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.http2.empty_frames: 0 is not 1 or more"),
            arguments("HTTP/2 unknown limit", """
                limits:
                  http2: { max_streams: 10 }
                """ + LISTENERS + ROUTES + POOLS,
                "l7.yaml:2: limits.http2.max_streams: unknown key; allowed here: header_list, concurrent_streams, resets, empty_frames"));
    }

    static Stream<Arguments> pools()
    {
        return Stream.of(
            arguments("repeated server name", """
                pools:
                  p:
                    servers:
                      - { name: a, address: 198.18.0.21:80 }
                      - { name: a, address: 198.18.0.22:80 }
                """ + LISTENERS + ROUTES,
                "l7.yaml:5: pools.p.servers[1].name: 'a' is already used by pools.p.servers[0]"),
            arguments("repeated server address", """
                pools:
                  p:
                    servers:
                      - { name: a, address: 198.18.0.21:80 }
                      - { name: b, address: 198.18.0.21:80 }
                """ + LISTENERS + ROUTES,
                "l7.yaml:5: pools.p.servers[1].address: '198.18.0.21:80' is already used by pools.p.servers[0]"),
            arguments("wildcard server", """
                pools: { p: { servers: [{ name: a, address: "[::]:80" }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.servers[0].address: '[::]:80' is a wildcard, not a server's address"),
            arguments("server weight 0", """
                pools:
                  p:
                    servers:
                      - { name: a, address: 198.18.0.21:80, weight: 0 }
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.servers[0].weight: 0 is not 1-65535"),
            arguments("unknown protocol", """
                pools: { p: { protocol: h3, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.protocol: 'h3' is not http1, h2c or h2"),
            arguments("a CA on a cleartext pool", """
                pools: { p: { protocol: h2c, ca: /etc/hostname, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.ca: only with protocol: h2 (TLS to the servers)"),
            arguments("a CA file that is not there", """
                pools: { p: { protocol: h2, ca: /nonexistent/ca.pem, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.ca: cannot read the file /nonexistent/ca.pem"),
            arguments("a client certificate without its key", """
                pools: { p: { protocol: h2, cert: /etc/hostname, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.cert: cert and key go together (the client certificate and its key)"),
            arguments("a server name that is not a host name", """
                pools: { p: { protocol: h2, tls_server_name: "a b", servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.tls_server_name: 'a b' is not a DNS host name"),
            arguments("max_streams on an HTTP/1.1 pool", """
                pools: { p: { max_streams: 10, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.max_streams: only with protocol: h2c or h2 (HTTP/1.1 carries one exchange at a time)"),
            arguments("max_streams 0", """
                pools: { p: { protocol: h2c, max_streams: 0, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.max_streams: 0 is not 1-10000"),
            arguments("server weight not a number", """
                pools: { p: { servers: [{ name: a, address: 198.18.0.21:80, weight: heavy }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.servers[0].weight: 'heavy' is not an integer"),
            arguments("no servers", """
                pools:
                  p:
                    servers: []
                """ + LISTENERS + ROUTES,
                "l7.yaml:3: pools.p.servers: needs at least one server"),
            arguments("servers missing", """
                pools:
                  p:
                    balance: round-robin
                """ + LISTENERS + ROUTES,
                "l7.yaml:3: pools.p.servers: missing"),
            arguments("pool name with a slash", """
                pools:
                  api/v1: { servers: [{ name: a, address: 198.18.0.21:80 }] }
                """ + LISTENERS + ROUTES,
                "l7.yaml:2: pools.api/v1: 'api/v1' is not a name (letters, digits, '-', '_', '.')"),
            arguments("unknown balance", """
                pools:
                  p:
                    balance: random
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                """ + LISTENERS + ROUTES,
                "l7.yaml:3: pools.p.balance: 'random' is not round-robin, least-request or hash"),
            arguments("hash without hash_on", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    balance: hash
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.balance: hash needs hash_on: { header: NAME }, { cookie: NAME } or client-address"),
            arguments("hash_on without hash", """
                pools:
                  p:
                    balance: least-request
                    hash_on: client-address
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.hash_on: only with balance: hash"),
            arguments("hash_on an unknown scalar", """
                pools:
                  p:
                    balance: hash
                    hash_on: source-ip
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.hash_on: 'source-ip' is not client-address, { header: NAME } or { cookie: NAME }"),
            arguments("hash_on header and cookie", """
                pools:
                  p:
                    balance: hash
                    hash_on: { header: X-User, cookie: user }
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.hash_on: needs exactly one of header, cookie"),
            arguments("hash_on a header that is not a token", """
                pools:
                  p:
                    balance: hash
                    hash_on: { header: "X User" }
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.hash_on.header: 'X User' is not a header name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)"),
            arguments("sticky cookie name not a token", """
                pools:
                  p:
                    sticky: { cookie: "a=b" }
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                """ + LISTENERS + ROUTES,
                "l7.yaml:3: pools.p.sticky.cookie: 'a=b' is not a cookie name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)"),
            arguments("health timeout not below interval", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health:
                      interval: 1s
                      timeout: 1000ms
                """ + LISTENERS + ROUTES,
                "l7.yaml:6: pools.p.health.timeout: 1000ms must be shorter than interval (1s)"),
            arguments("health interval not above the default timeout", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health:
                      interval: 500ms
                """ + LISTENERS + ROUTES,
                "l7.yaml:5: pools.p.health.interval: 500ms must be longer than timeout (default 1s)"),
            arguments("health timeout not below the default interval", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health: { timeout: 2s }
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.health.timeout: 2s must be shorter than interval (default 2s)"),
            arguments("health status out of range", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health: { status: 700 }
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.health.status: 700 is not 100-599"),
            arguments("health path without a slash", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health: { path: healthz }
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.health.path: 'healthz' does not start with '/'"),
            arguments("health rise 0", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health: { rise: 0 }
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.health.rise: 0 is not 1-1000"),
            arguments("grpc health with a path", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health:
                      grpc: true
                      path: /healthz
                """ + LISTENERS + ROUTES,
                "l7.yaml:6: pools.p.health.path: not used with grpc: true"),
            arguments("grpc not a boolean", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health: { grpc: yes }
                """ + LISTENERS + ROUTES,
                "l7.yaml:4: pools.p.health.grpc: 'yes' is not true or false"),
            arguments("unknown health key", """
                pools:
                  p:
                    servers: [{ name: a, address: 198.18.0.21:80 }]
                    health:
                      intervall: 5s
                """ + LISTENERS + ROUTES,
                "l7.yaml:5: pools.p.health.intervall: unknown key; allowed here: path, status, body, interval, timeout, rise, fall, grpc"),
            arguments("unknown pool key", """
                pools:
                  p:
                    server: [{ name: a, address: 198.18.0.21:80 }]
                """ + LISTENERS + ROUTES,
                "l7.yaml:3: pools.p.server: unknown key; allowed here: balance, hash_on, sticky, servers, health, send_proxy, "
                    + "protocol, max_streams, tls_server_name, ca, cert, key, max_requests, queue"));
    }

    static Stream<Arguments> routes()
    {
        return Stream.of(
            arguments("repeated route name", """
                routes:
                  - { name: r, match: { host: a.example.com }, to: p }
                  - { name: r, to: p }
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[1].name: 'r' is already used by routes[0]"),
            arguments("a route after one that takes everything", """
                routes:
                  - { name: all, to: p }
                  - { name: api, match: { path: { prefix: /api/ } }, to: p }
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[1]: never reached: routes[0] before it matches every request"),
            arguments("no such pool in a split", """
                routes:
                  - name: api
                    to:
                      - { pool: p, weight: 90 }
                      - { pool: api-v3, weight: 10 }
                """ + LISTENERS + POOLS,
                "l7.yaml:5: routes[0].to[1].pool: no pool named 'api-v3'"),
            arguments("no such pool, shorthand", """
                routes:
                  - name: api
                    to: q
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].to: no pool named 'q'"),
            arguments("a pool twice in a split", """
                routes:
                  - name: api
                    to: [{ pool: p, weight: 1 }, { pool: p, weight: 2 }]
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].to[1].pool: 'p' is already used by routes[0].to[0]"),
            arguments("route weight too large", """
                routes:
                  - name: api
                    to:
                      - { pool: p, weight: 70000 }
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].to[0].weight: 70000 is not 1-65535"),
            arguments("no pools to go to", """
                routes:
                  - { name: api, to: [] }
                """ + LISTENERS + POOLS,
                "l7.yaml:2: routes[0].to: needs at least one pool"),
            arguments("to as a mapping", """
                routes:
                  - name: api
                    to: { pool: p }
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].to: expected a pool name or a list of { pool, weight }, found a mapping"),
            arguments("to missing", """
                routes:
                  - name: api
                """ + LISTENERS + POOLS,
                "l7.yaml:2: routes[0].to: missing"),
            arguments("a split entry that is a name", """
                routes:
                  - name: api
                    to: [p]
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].to[0]: expected a mapping (pool, weight), found 'p'"),
            arguments("prefix rewrite without a path match", """
                routes:
                  - name: api
                    rewrite: { prefix: /v1/ }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].rewrite.prefix: needs a path prefix match (match.path.prefix)"),
            arguments("prefix rewrite with an exact path match", """
                routes:
                  - name: api
                    match: { path: { exact: /api } }
                    rewrite:
                      prefix: /v1
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:5: routes[0].rewrite.prefix: needs a path prefix match (match.path.prefix)"),
            arguments("prefix and regex rewrite", """
                routes:
                  - name: api
                    match: { path: { prefix: /api/ } }
                    rewrite:
                      prefix: /v1/
                      regex: "^/api/(.*)"
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:6: routes[0].rewrite.regex: not with prefix: a rewrite is one or the other"),
            arguments("regex rewrite without substitution", """
                routes:
                  - name: api
                    rewrite: { regex: "^/api/(.*)" }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].rewrite.substitution: missing"),
            arguments("substitution without regex", """
                routes:
                  - name: api
                    rewrite: { substitution: /x }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].rewrite.substitution: only with regex"),
            arguments("empty rewrite", """
                routes:
                  - name: api
                    rewrite: {}
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].rewrite: needs { prefix: PATH } or { regex: RE, substitution: TEXT }"),
            arguments("rewrite regex that does not compile", """
                routes:
                  - name: api
                    rewrite:
                      regex: "^/api/(.*"
                      substitution: /v1/$1
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].rewrite.regex: '^/api/(.*' is not a regular expression: Unclosed group at index 9"),
            arguments("substitution naming a missing group", """
                routes:
                  - name: api
                    rewrite:
                      regex: "^/api/(.*)"
                      substitution: /v1/$2
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:5: routes[0].rewrite.substitution: '$2' refers to a group the regex does not have (it has 1)"),
            arguments("request header name not a token", """
                routes:
                  - name: api
                    request_headers:
                      set: { "X Env": prod }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].request_headers.set.X Env: 'X Env' is not a header name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)"),
            arguments("header value with a line feed", """
                routes:
                  - name: api
                    response_headers:
                      set: { X-Env: "prod\\r\\nX-Evil: 1" }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].response_headers.set.X-Env: a header value must not contain control characters (found 0xd)"),
            arguments("header set twice in two spellings", """
                routes:
                  - name: api
                    request_headers:
                      set:
                        X-Env: prod
                        x-env: test
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:6: routes[0].request_headers.set.x-env: 'x-env' is already used by routes[0].request_headers.set.X-Env"),
            arguments("removed header name not a token", """
                routes:
                  - name: api
                    response_headers:
                      remove: [Server, "X:Y"]
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].response_headers.remove[1]: 'X:Y' is not a header name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)"),
            arguments("unknown header rules key", """
                routes:
                  - name: api
                    request_headers: { add: { X-Env: prod } }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].request_headers.add: unknown key; allowed here: set, remove"),
            arguments("unknown route key", """
                routes:
                  - name: api
                    pool: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].pool: unknown key; allowed here: name, match, rewrite, request_headers, response_headers, filters,"
                    + " rate_limit, compress, max_body, cache, auth, to"),
            arguments("route max_body negative", """
                routes:
                  - name: upload
                    max_body: -1
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].max_body: '-1' is not a size (bytes, or an integer and B, KiB, MiB or GiB: 512, 8KiB, 1MiB)"),
            arguments("route max_body in decimal units", """
                routes:
                  - { name: upload, max_body: 10MB, to: p }
                """ + LISTENERS + POOLS,
                "l7.yaml:2: routes[0].max_body: '10MB' is not a size"
                    + " (the units are B, KiB, MiB and GiB, powers of 1024, with no space: 8KiB)"));
    }

    static Stream<Arguments> matches()
    {
        return Stream.of(
            arguments("unknown match key", """
                routes:
                  - name: api
                    match:
                      hots: api.example.com
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].match.hots: unknown key; allowed here: host, path, methods, headers, cookies, query, "
                    + "claims"),
            arguments("host with a port", """
                routes:
                  - name: api
                    match: { host: "api.example.com:443" }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].match.host: 'api.example.com:443' is not a host name or *.domain"
                    + " (leave the port out: the match ignores the Host header's port)"),
            arguments("host with a wildcard inside", """
                routes:
                  - name: api
                    match: { host: "api.*.com" }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].match.host: 'api.*.com' is not a host name or *.domain"),
            arguments("two kinds of path match", """
                routes:
                  - name: api
                    match:
                      path: { prefix: /api/, exact: /api }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].match.path: needs exactly one of exact, prefix, regex"),
            arguments("path as a bare string", """
                routes:
                  - name: api
                    match:
                      path: /api/
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].match.path: expected a mapping (exact, prefix, regex), found '/api/'"),
            arguments("path prefix without a slash", """
                routes:
                  - name: api
                    match: { path: { prefix: api/ } }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].match.path.prefix: 'api/' does not start with '/'"),
            arguments("path with a query", """
                routes:
                  - name: api
                    match: { path: { exact: "/search?q=1" } }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].match.path.exact: '/search?q=1' contains '?' (paths are matched without the query string)"),
            arguments("path regex that does not compile", """
                routes:
                  - name: api
                    match:
                      path: { regex: "^/v[0-9+/.*" }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].match.path.regex: '^/v[0-9+/.*' is not a regular expression: Unclosed character class at index 10"),
            arguments("method not a token", """
                routes:
                  - name: api
                    match: { methods: [GET, "PO ST"] }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].match.methods[1]: 'PO ST' is not a method (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)"),
            arguments("no methods", """
                routes:
                  - name: api
                    match: { methods: [] }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].match.methods: needs at least one method (leave methods out for any)"),
            arguments("header name not a token", """
                routes:
                  - name: api
                    match:
                      headers:
                        "x canary": "1"
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:5: routes[0].match.headers.x canary: 'x canary' is not a header name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)"),
            arguments("header named twice in two spellings", """
                routes:
                  - name: api
                    match:
                      headers:
                        X-Canary: "1"
                        x-canary: "2"
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:6: routes[0].match.headers.x-canary: 'x-canary' is already used by routes[0].match.headers.X-Canary"),
            arguments("header regex that does not compile", """
                routes:
                  - name: api
                    match:
                      headers:
                        user-agent: { regex: "*curl" }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:5: routes[0].match.headers.user-agent.regex: '*curl' is not a regular expression: Dangling meta character '*' at index 0"),
            arguments("present: false", """
                routes:
                  - name: api
                    match:
                      cookies: { beta: { present: false } }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].match.cookies.beta.present: only present: true (a match cannot require a value to be absent)"),
            arguments("two kinds of value match", """
                routes:
                  - name: api
                    match:
                      query: { debug: { exact: "1", present: true } }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].match.query.debug: needs exactly one of exact, regex, present"),
            arguments("unknown value match key", """
                routes:
                  - name: api
                    match:
                      query: { debug: { prefix: "1" } }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].match.query.debug.prefix: unknown key; allowed here: exact, regex, present"),
            arguments("value match with no value", """
                routes:
                  - name: api
                    match:
                      headers:
                        x-canary:
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:5: routes[0].match.headers.x-canary: expected a value, { exact: V }, { regex: RE } or { present: true }, found nothing"),
            arguments("value match as a list", """
                routes:
                  - name: api
                    match:
                      headers: { x-canary: ["1", "2"] }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:4: routes[0].match.headers.x-canary: expected a value, { exact: V }, { regex: RE } or { present: true }, found a list"),
            arguments("cookie name not a token", """
                routes:
                  - name: api
                    match: { cookies: { "a;b": "1" } }
                    to: p
                """ + LISTENERS + POOLS,
                "l7.yaml:3: routes[0].match.cookies.a;b: 'a;b' is not a cookie name (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)"));
    }
}
