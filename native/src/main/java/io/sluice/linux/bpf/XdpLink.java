package io.sluice.linux.bpf;

import io.sluice.linux.Errno;
import io.sluice.linux.LinuxException;

/**
 * An XDP program attached to an interface through a bpf_link. The link is an fd: when it is
 * closed, or the process dies (kill -9 included), the kernel detaches the program, so a
 * crashed forwarder never leaves its program steering packets into sockets nobody reads.
 * Netlink attachment would outlive the process; that is why this is a link.
 */
public final class XdpLink implements AutoCloseable
{
    /** Not in {@link Errno}'s constants (a file this package does not own). */
    private static final int EBUSY = 16;

    private final int fd;
    private final int ifIndex;
    private final XdpMode mode;
    private boolean closed;

    private XdpLink(final int fd, final int ifIndex, final XdpMode mode)
    {
        this.fd = fd;
        this.ifIndex = ifIndex;
        this.mode = mode;
    }

    /** As {@link #attach(LoadedProgram, int, String, XdpMode)}, the error naming the interface by its index. */
    public static XdpLink attach(final LoadedProgram program, final int ifIndex, final XdpMode mode)
    {
        return attach(program, ifIndex, "ifindex " + ifIndex, mode);
    }

    /**
     * Attaches in {@code mode}, or when it is null in native mode where the driver has it and in
     * generic mode where it has not.
     *
     * @throws LinuxException as {@link #attach(LoadedProgram, int, String, XdpMode)}; with no
     *                        mode, the generic attempt's.
     */
    public static XdpLink attachPreferringNative(
        final LoadedProgram program, final int ifIndex, final String interfaceName, final XdpMode mode)
    {
        if (mode != null)
        {
            return attach(program, ifIndex, interfaceName, mode);
        }
        try
        {
            return attach(program, ifIndex, interfaceName, XdpMode.NATIVE);
        }
        catch (final LinuxException nativeRefused)
        {
            return attach(program, ifIndex, interfaceName, XdpMode.GENERIC);
        }
    }

    /**
     * @param interfaceName only for the error message.
     * @throws LinuxException naming interface and mode: EBUSY when a program is already attached,
     *                        EOPNOTSUPP or EINVAL when the driver has no native XDP.
     */
    public static XdpLink attach(
        final LoadedProgram program, final int ifIndex, final String interfaceName, final XdpMode mode)
    {
        final long fd = Bpf.linkCreate(program.fd(), ifIndex, Bpf.BPF_XDP, mode.attachFlags());
        if (fd < 0)
        {
            final int errno = (int)-fd;
            final String why = switch (errno)
            {
                case EBUSY -> "another XDP program is attached to it";
                case Errno.EOPNOTSUPP, Errno.EINVAL -> mode == XdpMode.NATIVE ?
                    "its driver has no native XDP (try --xdp-mode generic)" : "the kernel refused the program";
                default -> "";
            };
            throw new LinuxException("bpf(BPF_LINK_CREATE, XDP " + mode.label() + " on " + interfaceName + ")", errno,
                why.isEmpty() ? null : why);
        }
        return new XdpLink((int)fd, ifIndex, mode);
    }

    public XdpMode mode()
    {
        return mode;
    }

    public int ifIndex()
    {
        return ifIndex;
    }

    /** Detaches the program. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            Bpf.close(fd);
        }
    }
}
