package io.sluice.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Moves the calling thread into a named network namespace (one made by {@code ip netns add},
 * which bind-mounts it at {@code /run/netns/NAME}).
 *
 * <p>A network namespace belongs to a thread, not to the process: after {@link #enter(String)}
 * the sockets this thread creates live in that namespace, and so do threads it starts afterwards
 * (a new thread copies its creator's namespaces); other threads are untouched. Sockets keep the
 * namespace they were created in, so a socket made here may be used from any thread later. This
 * is how tests drive a lab of namespaces from one JVM.
 */
public final class NetworkNamespace
{
    private static final String NETNS_DIRECTORY = "/run/netns/";

    private NetworkNamespace()
    {
    }

    /**
     * @param name a namespace name as {@code ip netns} shows it.
     * @throws IllegalArgumentException when the name is empty or not a plain file name.
     * @throws LinuxException when the namespace does not exist or setns() refuses (needs CAP_SYS_ADMIN).
     */
    public static void enter(final String name)
    {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals(".."))
        {
            throw new IllegalArgumentException("network namespace name must be a plain name, was '" + name + "'");
        }
        final String path = NETNS_DIRECTORY + name;
        final MemorySegment errno = Libc.errnoState();
        final int fd;
        try (Arena arena = Arena.ofConfined())
        {
            fd = LinuxException.check("open(" + path + ")", Libc.open(errno, arena.allocateFrom(path), Libc.O_RDONLY | Libc.O_CLOEXEC));
        }
        try
        {
            LinuxException.check("setns(" + path + ", CLONE_NEWNET)", Libc.setns(errno, fd, Libc.CLONE_NEWNET));
        }
        finally
        {
            Libc.close(errno, fd);
        }
    }
}
