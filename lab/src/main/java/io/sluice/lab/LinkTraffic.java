package io.sluice.lab;

/**
 * Packets seen by the eth0 of the client, the forwarder and all reals together: the kernel's
 * own interface statistics, read inside each namespace. Taken before and after a load, the
 * difference shows which way traffic went. With DSR the forwarder receives only the client's
 * packets to the VIP (and sends each on once), while the client's replies come from the reals:
 * so the forwarder's receive count grows by about the client's transmit count, not by the
 * client's transmit plus receive count as it would if replies came back through it.
 *
 * @param clientTx packets the client sent.
 * @param clientRx packets the client received.
 * @param forwarderRx packets the forwarder's interface received.
 * @param forwarderTx packets the forwarder's interface sent.
 * @param realsRx packets all reals received.
 * @param realsTx packets all reals sent.
 */
public record LinkTraffic(long clientTx, long clientRx, long forwarderRx, long forwarderTx, long realsRx, long realsTx)
{
    /** ARP and other chatter on the segment that reaches the forwarder besides the client's requests. */
    private static final long SLACK_PACKETS = 20;

    /**
     * True when the forwarder received no more than the client sent (plus a little slack for
     * ARP), while the client did receive replies: the replies cannot have passed through the
     * forwarder, which would have received them as well.
     */
    public boolean repliesBypassedForwarder()
    {
        return clientRx > 0 && forwarderRx <= clientTx + SLACK_PACKETS + clientTx / 20;
    }

    /** Reads the counters now. */
    public static LinkTraffic read(final Lab lab)
    {
        final long[] client = rxTx(lab, Lab.CLIENT);
        final long[] forwarder = rxTx(lab, Lab.FORWARDER);
        long realsRx = 0;
        long realsTx = 0;
        for (final String real : lab.realHosts())
        {
            final long[] counts = rxTx(lab, real);
            realsRx += counts[0];
            realsTx += counts[1];
        }
        return new LinkTraffic(client[1], client[0], forwarder[0], forwarder[1], realsRx, realsTx);
    }

    /** What happened between {@code before} and this reading. */
    public LinkTraffic since(final LinkTraffic before)
    {
        return new LinkTraffic(
            clientTx - before.clientTx, clientRx - before.clientRx,
            forwarderRx - before.forwarderRx, forwarderTx - before.forwarderTx,
            realsRx - before.realsRx, realsTx - before.realsTx);
    }

    private static long[] rxTx(final Lab lab, final String host)
    {
        final String[] numbers = lab.exec(host, "cat",
            "/sys/class/net/eth0/statistics/rx_packets", "/sys/class/net/eth0/statistics/tx_packets")
            .orThrow().stdout().strip().split("\\s+");
        if (numbers.length != 2)
        {
            throw new IllegalStateException("unexpected interface statistics in " + host + ": " + String.join(" ", numbers));
        }
        return new long[]{Long.parseLong(numbers[0]), Long.parseLong(numbers[1])};
    }
}
