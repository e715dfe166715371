package io.sluice.forwarder.table;

import io.sluice.forwarder.config.IpAddress;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One real as the data path sees it in a published {@link ForwardingTable}: immutable once
 * published (a changed MAC means a new table).
 *
 * @param id             unique for the life of the forwarder and never reused, so a flow
 *                       remembered by id can tell that its real has gone.
 * @param address        IPv4 or IPv6, its VIP's family; the data path reads {@link #ipv4()}
 *                       or the address's two longs.
 * @param port           the port packets go to (the VIP's port for DSR).
 * @param mac            next-hop MAC in the low 48 bits, most significant byte first as on
 *                       the wire; 0 when not yet resolved.
 * @param packetsByWorker this real's packet counter for each worker, indexed by worker index.
 * @param bytesByWorker   this real's byte counter for each worker, indexed by worker index.
 * @param healthy        false while its VIP's health check has it down: it is out of the
 *                       Maglev table and the rotation, and flows remembered on it pick again.
 */
public record RealEntry(
    int id,
    IpAddress address,
    int port,
    int weight,
    long mac,
    AtomicCounter[] packetsByWorker,
    AtomicCounter[] bytesByWorker,
    boolean healthy)
{
    public static final long NO_MAC = 0L;

    /** A real that is not health-checked (always healthy). */
    public RealEntry(
        final int id, final IpAddress address, final int port, final int weight, final long mac,
        final AtomicCounter[] packetsByWorker, final AtomicCounter[] bytesByWorker)
    {
        this(id, address, port, weight, mac, packetsByWorker, bytesByWorker, true);
    }

    /** The address as an int, for an IPv4 real. */
    public int ipv4()
    {
        return address.ipv4();
    }

    public boolean macResolved()
    {
        return mac != NO_MAC;
    }
}
