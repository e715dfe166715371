package io.sluice.control.doctor;

import java.util.List;
import java.util.Optional;

/**
 * Whether an XDP program is already attached to the interface: the forwarder's bpf_link then
 * fails with EBUSY (an interface runs one program), so it falls back to AF_PACKET or stops.
 */
public final class OtherXdpProgramCheck implements Check
{
    static final String NAME = "xdp-other";

    private final String iface;

    public OtherXdpProgramCheck(final String iface)
    {
        this.iface = iface;
    }

    @Override
    public Finding run(final Host host)
    {
        final Optional<String> links = host.commands().run("ip", "-details", "-oneline", "link", "show");
        if (links.isEmpty())
        {
            return Finding.warn(NAME, "ip -details link show failed: cannot tell", "apt-get install iproute2");
        }
        final List<XdpPrograms.Attached> here = XdpPrograms.parse(links.get()).stream()
            .filter((program) -> program.iface().equals(iface)).toList();
        if (here.isEmpty())
        {
            return Finding.pass(NAME, "no XDP program on " + iface);
        }
        final XdpPrograms.Attached program = here.getFirst();
        if (program.isSluice())
        {
            return Finding.warn(NAME, "sluice's " + program + ": a sluice forwarder or decap already runs here",
                "stop it before starting another (one XDP program per interface)");
        }
        return Finding.fail(NAME, program + ": the forwarder's attachment would fail with EBUSY",
            "ip link set dev " + iface + " xdp off" +
                " (a program held by a bpf_link goes only when its owner stops: bpftool link show)");
    }
}
