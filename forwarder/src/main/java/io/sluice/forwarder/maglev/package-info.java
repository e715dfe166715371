/**
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016): {@link io.sluice.forwarder.maglev.MaglevTable}
 * builds a prime-sized lookup table whose entries name the real that flows hashing to them go to,
 * with weights deciding how often each real claims a slot. Removing or adding a real moves only
 * a small share of flows, and the build is deterministic across processes and input orders, so
 * forwarders given the same configuration build the same table and ECMP can move a flow between
 * them without moving it between reals. The conductor builds the tables off the data path on every
 * change of a VIP's reals; the packet processor only looks entries up, for the maglev and
 * source-hash schedulers. For VIPs with second chance, {@link io.sluice.forwarder.maglev.MaglevSecondaries}
 * gives each row a second real: its owner in the table without the row's primary.
 */
package io.sluice.forwarder.maglev;
