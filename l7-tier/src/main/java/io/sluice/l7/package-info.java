/** The L7 tier: an HTTP reverse proxy on Netty. */
package io.sluice.l7;
