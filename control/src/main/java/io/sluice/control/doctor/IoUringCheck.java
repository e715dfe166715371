package io.sluice.control.doctor;

import java.util.Optional;
import java.util.OptionalInt;

/** Whether io_uring is allowed: the L7 tier's fastest transport (it falls back to epoll without it). */
public final class IoUringCheck implements Check
{
    static final String NAME = "io-uring";
    static final String SYSCTL = "/proc/sys/kernel/io_uring_disabled";
    private static final String FIX = "sysctl -w kernel.io_uring_disabled=0";

    @Override
    public Finding run(final Host host)
    {
        final OptionalInt disabled = host.files().readInt(SYSCTL);
        if (disabled.isPresent() && disabled.getAsInt() == 2)
        {
            return Finding.warn(NAME, "kernel.io_uring_disabled = 2: sluice l7 falls back to epoll", FIX);
        }
        final Optional<String> unavailable = host.kernel().ioUring();
        if (unavailable.isPresent())
        {
            return Finding.warn(NAME, "io_uring cannot be set up (" + unavailable.get() + "): sluice l7 falls back to epoll",
                disabled.orElse(0) != 0 ? FIX :
                    "run a kernel with io_uring (5.10 or later), outside a seccomp profile that forbids it");
        }
        return Finding.pass(NAME, disabled.orElse(0) == 1 ?
            "io_uring works (kernel.io_uring_disabled = 1: for root and kernel.io_uring_group only)" : "io_uring works");
    }
}
