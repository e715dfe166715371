package io.sluice.control.doctor;

import io.netty.channel.uring.IoUring;
import io.sluice.linux.Errno;
import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;
import io.sluice.linux.bpf.BpfAssembler;
import io.sluice.linux.bpf.BpfMap;
import io.sluice.linux.bpf.LoadedProgram;
import io.sluice.linux.bpf.XdpLink;
import io.sluice.linux.bpf.XdpMode;
import io.sluice.linux.netlink.Link;
import io.sluice.linux.netlink.RtNetlink;
import io.sluice.linux.xdp.XdpBindMode;
import io.sluice.linux.xdp.XdpSocket;
import io.sluice.linux.xdp.XdpSocketOptions;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static io.sluice.linux.bpf.BpfAssembler.R0;

/**
 * {@link KernelProbes} with sluice's own native bindings, as the forwarder uses them. The XDP
 * probe cannot disturb traffic: its program passes every packet, the bpf_link it attaches with
 * fails rather than replace a program already there (a running forwarder's, say), and its AF_XDP
 * socket is in no XSKMAP, so no packet is ever steered to it; both go when the probe ends.
 */
public final class LinuxKernelProbes implements KernelProbes
{
    /** A small UMEM: the socket only has to bind. */
    private static final XdpSocketOptions PROBE_SOCKET = new XdpSocketOptions(64, 2048, 64, XdpBindMode.AUTO);

    private final Map<String, XdpAttachment> attachments = new HashMap<>();

    @Override
    public Optional<Refusal> afXdpSocket()
    {
        final MemorySegment errno = Libc.errnoState();
        final int fd = Libc.socket(errno, XdpSocket.AF_XDP, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return Optional.of(new Refusal(-fd, new LinuxException("socket(AF_XDP)", -fd).getMessage()));
        }
        Libc.close(errno, fd);
        return Optional.empty();
    }

    @Override
    public Optional<Refusal> bpfSyscall()
    {
        try (BpfMap map = BpfMap.createArray("sluice_doctor", Integer.BYTES, 1))
        {
            return Optional.empty();
        }
        catch (final LinuxException ex)
        {
            return Optional.of(new Refusal(ex.errno(), ex.getMessage()));
        }
    }

    @Override
    public Optional<String> ioUring()
    {
        return IoUring.isAvailable() ? Optional.empty() : Optional.of(String.valueOf(IoUring.unavailabilityCause()));
    }

    @Override
    public XdpAttachment xdpAttach(final String iface)
    {
        return attachments.computeIfAbsent(iface, LinuxKernelProbes::attachBriefly);
    }

    private static XdpAttachment attachBriefly(final String iface)
    {
        final Optional<Link> link;
        try (RtNetlink netlink = RtNetlink.open())
        {
            link = netlink.link(iface);
        }
        if (link.isEmpty())
        {
            return new XdpAttachment(null, null, "no interface " + iface + " in this network namespace", false);
        }
        final int ifIndex = link.get().index();
        try (LoadedProgram pass = LoadedProgram.loadXdp("sluice_doctor",
            new BpfAssembler().mov(R0, LoadedProgram.XDP_PASS).exit()))
        {
            XdpLink attached;
            try
            {
                attached = XdpLink.attach(pass, ifIndex, iface, XdpMode.NATIVE);
            }
            catch (final LinuxException nativeRefused)
            {
                if (nativeRefused.errno() == Errno.EBUSY)
                {
                    return new XdpAttachment(null, null, nativeRefused.getMessage(), true);
                }
                attached = XdpLink.attach(pass, ifIndex, iface, XdpMode.GENERIC);
            }
            try (XdpLink held = attached; XdpSocket socket = XdpSocket.open(iface, ifIndex, 0, PROBE_SOCKET))
            {
                return new XdpAttachment(held.mode().label(), socket.zeroCopy() ? "zero-copy" : "copy", null, false);
            }
            catch (final LinuxException socketRefused)
            {
                return new XdpAttachment(attached.mode().label(), null, socketRefused.getMessage(), false);
            }
        }
        catch (final LinuxException ex)
        {
            return new XdpAttachment(null, null, ex.getMessage(), ex.errno() == Errno.EBUSY);
        }
    }
}
