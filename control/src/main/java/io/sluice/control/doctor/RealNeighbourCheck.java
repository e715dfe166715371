package io.sluice.control.doctor;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.VipConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether the forwarder can reach each real of its configuration: a route to it (on-link for DSR,
 * which only rewrites the MAC), and a resolved neighbour entry for its next hop, without which
 * the forwarder has no MAC to send to.
 */
public final class RealNeighbourCheck implements Check
{
    static final String NAME = "real-neighbours";

    private final List<VipConfig> vips;

    public RealNeighbourCheck(final List<VipConfig> vips)
    {
        this.vips = vips;
    }

    @Override
    public Finding run(final Host host)
    {
        final TreeMap<IpAddress, ForwardingMode> reals = new TreeMap<>();
        for (final VipConfig vip : vips)
        {
            for (final RealSpec real : vip.reals())
            {
                reals.merge(real.address(), vip.spec().mode(), (was, mode) -> was == ForwardingMode.DSR ? was : mode);
            }
        }
        if (reals.isEmpty())
        {
            return Finding.pass(NAME, "no reals configured (none in --state-dir)");
        }
        final List<Finding> problems = new ArrayList<>();
        reals.forEach((real, mode) -> reach(host, real, mode).ifPresent(problems::add));
        if (problems.isEmpty())
        {
            return Finding.pass(NAME, reals.size() + " real(s), each next hop resolved");
        }
        final Finding worst = problems.stream().filter((problem) -> problem.verdict() == Verdict.FAIL).findFirst()
            .orElse(problems.getFirst());
        final List<String> details = problems.stream().map(Finding::detail).toList();
        return new Finding(worst.verdict(), NAME, String.join("; ", details), worst.fix());
    }

    /** @return what keeps the forwarder from sending to {@code real}, empty when nothing does. */
    private static Optional<Finding> reach(final Host host, final IpAddress real, final ForwardingMode mode)
    {
        final String ping = real.isIpv4() ? "ping -c1 " : "ping -6 -c1 ";
        final Optional<HostNetwork.RouteAnswer> route = host.network().routeTo(real);
        if (route.isEmpty())
        {
            return Optional.of(Finding.fail(NAME, "no route to real " + real,
                "ip route add " + real + (real.isIpv4() ? "/32" : "/128") + " dev IF (the interface towards the reals)"));
        }
        final HostNetwork.RouteAnswer answer = route.get();
        if (mode == ForwardingMode.DSR && answer.gateway() != null)
        {
            return Optional.of(Finding.fail(NAME, "DSR real " + real + " is reached via " + answer.gateway() +
                ", not on the segment of " + answer.iface(),
                "put " + real + " on the forwarder's L2 segment, or use sluice vip add ... --mode tunnel"));
        }
        final IpAddress nextHop = answer.gateway() == null ? real : answer.gateway();
        final Optional<HostNetwork.NeighbourEntry> entry = host.network().neighbour(answer.iface(), nextHop);
        if (entry.isEmpty())
        {
            return Optional.of(Finding.warn(NAME, "no neighbour entry for " + nextHop + " on " + answer.iface() + " yet",
                ping + "-I " + answer.iface() + " " + nextHop));
        }
        if (!entry.get().usable())
        {
            return Optional.of(Finding.fail(NAME, nextHop + " on " + answer.iface() + " is " + entry.get().state() +
                ": it does not answer " + (real.isIpv4() ? "ARP" : "neighbour solicitations"),
                "bring " + nextHop + " up on " + answer.iface() + "'s segment, then: " + ping + "-I " + answer.iface() + " " +
                    nextHop));
        }
        return Optional.empty();
    }
}
