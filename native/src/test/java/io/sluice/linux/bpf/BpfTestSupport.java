package io.sluice.linux.bpf;

import io.sluice.linux.Errno;
import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;

import java.lang.foreign.Arena;

/** Helpers the bpf and xdp lab tests share. */
public final class BpfTestSupport
{
    private BpfTestSupport()
    {
    }

    /** The index of an interface in the calling thread's network namespace. */
    public static int ifIndex(final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final int index = Libc.ifNameToIndex(Libc.errnoState(), arena.allocateFrom(name));
            if (index <= 0)
            {
                throw new LinuxException("if_nametoindex(" + name + ")", index == 0 ? Errno.ENOENT : -index);
            }
            return index;
        }
    }
}
