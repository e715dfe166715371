/**
 * Pool servers named by DNS name ({@code address: api.internal:8080}), as HAProxy's {@code resolvers} and Envoy's
 * strict DNS: each name is looked up (A and AAAA, through Netty's asynchronous resolver on a loop of its own, never
 * blocking the proxy's), each address served as a server of its own ({@code api#198.18.0.31}), and the name looked
 * up again when its answer's TTL (bounded by {@code dns.min_ttl}/{@code max_ttl}) runs out. A changed answer serves
 * the pools again the way a reload does, so the addresses that stay keep their health, ejections, in-flight counts
 * and sticky cookies; a failed lookup (timeout, SERVFAIL, NXDOMAIN, no records) keeps the last good addresses and is
 * counted per name.
 */
package io.sluice.l7.dns;
