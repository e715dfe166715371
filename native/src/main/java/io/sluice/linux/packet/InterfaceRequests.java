package io.sluice.linux.packet;

import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Interface facts by name through {@code ioctl(struct ifreq)} on a socket the caller has: the
 * answer comes from that socket's network namespace, which is the one its packets live in.
 */
final class InterfaceRequests
{
    static final long SIOCGIFINDEX = 0x8933;
    /** IFNAMSIZ minus the terminating NUL. */
    static final int MAX_NAME_LENGTH = 15;

    private static final long IFRU_OFFSET = 16;
    private static final long HWADDR_DATA_OFFSET = IFRU_OFFSET + 2;
    private static final int MAC_BYTES = 6;

    private InterfaceRequests()
    {
    }

    static void requireValidName(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.contains("/") ||
            name.chars().anyMatch(c -> c <= ' ' || c > '~'))
        {
            throw new IllegalArgumentException("'" + name + "' is not a network interface name (1.." +
                MAX_NAME_LENGTH + " printable characters, no '/' or spaces)");
        }
    }

    static int index(final int fd, final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment request = ask(arena, fd, SIOCGIFINDEX, "SIOCGIFINDEX", name);
            return request.get(JAVA_INT, IFRU_OFFSET);
        }
    }

    static int mtu(final int fd, final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment request = ask(arena, fd, Libc.SIOCGIFMTU, "SIOCGIFMTU", name);
            return request.get(JAVA_INT, IFRU_OFFSET);
        }
    }

    /** @return the hardware address, 48 bits in a long, first byte on the wire in bits 47..40. */
    static long macAddress(final int fd, final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment request = ask(arena, fd, Libc.SIOCGIFHWADDR, "SIOCGIFHWADDR", name);
            long mac = 0;
            for (int i = 0; i < MAC_BYTES; i++)
            {
                mac = (mac << 8) | (request.get(JAVA_BYTE, HWADDR_DATA_OFFSET + i) & 0xFF);
            }
            return mac;
        }
    }

    private static MemorySegment ask(
        final Arena arena, final int fd, final long request, final String requestName, final String name)
    {
        requireValidName(name);
        final MemorySegment ifreq = arena.allocate(Tpacket.IFREQ);
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, ifreq, JAVA_BYTE, 0, bytes.length);
        LinuxException.check("ioctl(" + requestName + ", " + name + ")", Libc.ioctl(Libc.errnoState(), fd, request, ifreq));
        return ifreq;
    }
}
