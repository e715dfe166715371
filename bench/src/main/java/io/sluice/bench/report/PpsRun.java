package io.sluice.bench.report;

/**
 * One packets-per-second run's figures from its raw counters, over the measured window: offered
 * = the DUT interface's received packets, forwarded = its sent packets, delivered = what came
 * back to the generator. CPU per packet is the DUT process's time per delivered packet (for the
 * kernel, which has no process, the DUT CPU's busy time). A run that delivered more than 90 % of
 * what was offered measured the generator, not the DUT: it is marked generator-bound.
 */
public record PpsRun(Run raw, double seconds, double offeredPps, double forwardedPps, double deliveredPps, long dropped,
    double dutCpuNsPerPacket, double generatorCpuNsPerPacket, boolean generatorBound)
{
    public static final double GENERATOR_BOUND_SHARE = 0.9;

    public static PpsRun of(final Run raw)
    {
        final double seconds = raw.number("ns") / 1e9;
        final double received = raw.number("rx");
        final double delivered = raw.number("delivered");
        final double hz = raw.number("hz");
        final double dutTicks = raw.number("dut_ticks") > 0 ? raw.number("dut_ticks") : raw.number("cpu1_ticks");
        final double offeredPps = Fixed.rounded(received / seconds, 0);
        final double deliveredPps = Fixed.rounded(delivered / seconds, 0);
        return new PpsRun(raw, seconds, offeredPps, Fixed.rounded(raw.number("tx") / seconds, 0), deliveredPps,
            (long)(received - delivered), perPacket(dutTicks, hz, delivered), perPacket(raw.number("cpu0_ticks"), hz, delivered),
            delivered / seconds > GENERATOR_BOUND_SHARE * (received / seconds));
    }

    private static double perPacket(final double ticks, final double hz, final double packets)
    {
        return packets > 0 ? Fixed.rounded(ticks / hz * 1e9 / packets, 0) : 0;
    }

    public String peer()
    {
        return raw.text("peer");
    }

    public String traffic()
    {
        return raw.text("traffic");
    }

    public void write(final JsonOut json)
    {
        json.startObject().text("peer", peer()).text("traffic", traffic()).number("run", raw.number("run"), 0)
            .text("status", raw.text("status")).text("reason", raw.text("reason")).number("seconds", seconds, 2)
            .number("offered_pps", offeredPps, 0).number("forwarded_pps", forwardedPps, 0)
            .number("delivered_pps", deliveredPps, 0)
            .number("dropped", dropped, 0).number("dut_cpu_ns_per_packet", dutCpuNsPerPacket, 0)
            .number("generator_cpu_ns_per_packet", generatorCpuNsPerPacket, 0).bool("generator_bound", generatorBound)
            .text("command", raw.text("command")).endObject();
    }
}
