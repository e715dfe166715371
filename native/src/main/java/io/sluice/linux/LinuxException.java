package io.sluice.linux;

/**
 * A Linux call failed. The message names the call (a syscall with the arguments that tell it
 * apart, or a netlink request type) and the errno, e.g.
 * {@code setsockopt(SOL_PACKET, PACKET_RX_RING): Invalid argument (errno 22)}.
 */
public final class LinuxException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public LinuxException(final String call, final int errno)
    {
        this(call, errno, null);
    }

    /**
     * @param detail what the kernel added (a netlink extended-ack message), or null.
     */
    public LinuxException(final String call, final int errno, final String detail)
    {
        super(message(call, errno, detail));
        this.call = call;
        this.errno = errno;
    }

    /** @return what failed, e.g. {@code "socket(AF_PACKET)"} or {@code "RTM_GETROUTE"}. */
    public String call()
    {
        return call;
    }

    /** @return the positive errno value. */
    public int errno()
    {
        return errno;
    }

    /**
     * Throws for a raw result of the {@link Libc} style: a negative value is {@code -errno}.
     *
     * @return the result when it is not negative.
     */
    public static int check(final String call, final int result)
    {
        if (result < 0)
        {
            throw new LinuxException(call, -result);
        }
        return result;
    }

    /** As {@link #check(String, int)} for calls whose result is a size. */
    public static long check(final String call, final long result)
    {
        if (result < 0)
        {
            throw new LinuxException(call, (int)-result);
        }
        return result;
    }

    private static String message(final String call, final int errno, final String detail)
    {
        final String base = call + ": " + Errno.text(errno) + " (errno " + errno + ")";
        return detail == null || detail.isEmpty() ? base : base + ": " + detail;
    }
}
