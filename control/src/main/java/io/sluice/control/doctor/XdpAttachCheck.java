package io.sluice.control.doctor;

/**
 * Whether an XDP program attaches to the interface, natively (in the driver) or only in generic
 * mode, and how an AF_XDP socket binds its queue 0 (zero-copy or copy): what the forwarder's
 * AF_XDP path will get there. The probe attaches a program that passes every packet.
 */
public final class XdpAttachCheck implements Check
{
    static final String NAME = "xdp-attach";

    private final String iface;

    public XdpAttachCheck(final String iface)
    {
        this.iface = iface;
    }

    @Override
    public Finding run(final Host host)
    {
        final KernelProbes.XdpAttachment attachment = host.kernel().xdpAttach(iface);
        if (attachment.busy())
        {
            return Finding.warn(NAME,
                "another XDP program holds " + iface + ", so none was tried (see " + OtherXdpProgramCheck.NAME + ")",
                "stop its owner, then run sluice doctor --iface " + iface + " again");
        }
        if (attachment.xdpMode() == null)
        {
            return Finding.fail(NAME, "no XDP program attaches to " + iface + ": " + attachment.failure(),
                "sluice forwarder --io packet --iface " + iface);
        }
        if (attachment.bindMode() == null)
        {
            return Finding.fail(NAME, attachment.xdpMode() + " XDP attaches to " + iface +
                ", but an AF_XDP socket on its queue 0 does not bind: " + attachment.failure(),
                "sluice forwarder --io packet --iface " + iface);
        }
        final String seen = attachment.xdpMode() + " XDP on " + iface + ", AF_XDP bind mode " + attachment.bindMode();
        if (!"native".equals(attachment.xdpMode()))
        {
            return Finding.warn(NAME, seen + ": the driver has no native XDP, every packet gets a socket buffer first (slower)",
                "use a NIC whose driver has native XDP, or run it so: sluice forwarder --xdp-mode generic --iface " + iface);
        }
        return Finding.pass(NAME, seen);
    }
}
