/**
 * The forwarding table, the snapshot through which configuration reaches the data path: a
 * {@link io.sluice.forwarder.table.ForwardingTable} holds every {@link io.sluice.forwarder.table.VipEntry}
 * with its {@link io.sluice.forwarder.table.RealEntry}s, Maglev table and round-robin rotation or
 * least-connection counts (the only part workers write, each its own row), found by address,
 * port and protocol in open-addressing tables without allocation or boxing. The
 * conductor builds a new immutable table for every change and hands it over through
 * {@link io.sluice.forwarder.table.ForwardingTablePublisher} with one release store; each worker
 * reads it once per batch with an acquire load, so a batch never sees half a change and the
 * workers need no lock.
 */
package io.sluice.forwarder.table;
