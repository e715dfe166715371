/**
 * Flow memory for the data path: {@link io.sluice.forwarder.flow.FlowHash} packs a 5-tuple into
 * a two-long key and hashes it, and {@link io.sluice.forwarder.flow.FlowTable} is a worker's
 * fixed-capacity, off-heap table from that key to the flow's real (or, for NAT, to how to
 * translate its replies). The hash is deterministic, with no seed drawn at start, so forwarders
 * behind one ECMP route pick the same real for a flow through the same Maglev table. The table
 * scans one two-cache-line bucket per lookup, a flow nearly always in the line its hash makes
 * its home, and when a bucket is full evicts the entry nearest to expiry, so its cost does not
 * grow with the number of flows; it lives in huge pages, resident only as far as flows fill it.
 * Both are used by the packet processor; the hash also feeds the Maglev table builder.
 */
package io.sluice.forwarder.flow;
