/**
 * The L7 tier's admin endpoint: {@link io.sluice.l7.admin.AdminServer}, a small HTTP/1.1 server
 * on a loopback address for {@code GET /status}, {@code GET /metrics}, {@code POST /reload} and
 * {@code POST /drain}, answering from the callbacks in {@link io.sluice.l7.admin.AdminActions}.
 */
package io.sluice.l7.admin;
