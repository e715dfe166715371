package io.sluice.control.doctor;

import io.sluice.linux.Errno;

import java.util.Optional;

/** Whether the kernel lets sluice create AF_XDP sockets, the forwarder's default packet I/O. */
public final class AfXdpCheck implements Check
{
    static final String NAME = "af-xdp";

    @Override
    public Finding run(final Host host)
    {
        final Optional<KernelProbes.Refusal> refusal = host.kernel().afXdpSocket();
        if (refusal.isEmpty())
        {
            return Finding.pass(NAME, "AF_XDP sockets can be created");
        }
        final KernelProbes.Refusal refused = refusal.get();
        if (refused.errno() == Errno.EAFNOSUPPORT)
        {
            return Finding.warn(NAME, refused.message() + ": the kernel lacks CONFIG_XDP_SOCKETS, so the forwarder falls " +
                "back to AF_PACKET (slower)",
                "run a kernel built with CONFIG_XDP_SOCKETS=y, or say so: sluice forwarder --io packet");
        }
        return Finding.fail(NAME, refused.message(),
            "run sluice as root (a container needs CAP_NET_ADMIN, CAP_NET_RAW and CAP_BPF: docker run --privileged)");
    }
}
