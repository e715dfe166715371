/**
 * AF_XDP sockets through FFM: the UMEM (packet memory shared with the kernel), its fill and
 * completion rings, the RX and TX rings, and the worker's own accounting of every frame.
 * Constants and layouts are those of {@code linux/if_xdp.h}; XdpLayoutTest checks them.
 */
package io.sluice.linux.xdp;
