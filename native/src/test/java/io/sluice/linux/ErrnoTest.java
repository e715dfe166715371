package io.sluice.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrnoTest
{
    @Test
    void namesAndTextsFollowGlibc()
    {
        assertThat(Errno.name(22)).isEqualTo("EINVAL");
        assertThat(Errno.text(22)).isEqualTo("Invalid argument");
        assertThat(Errno.text(101)).isEqualTo("Network is unreachable");
        assertThat(Errno.name(95)).isEqualTo("EOPNOTSUPP");
        assertThat(Errno.text(4000)).isEqualTo("Unknown error 4000");
        assertThat(Errno.name(4000)).isEqualTo("errno 4000");
    }

    @Test
    void exceptionMessageNamesCallTextAndNumber()
    {
        final LinuxException ex = new LinuxException("setsockopt(SOL_PACKET, PACKET_RX_RING)", Errno.EINVAL);

        assertThat(ex).hasMessage("setsockopt(SOL_PACKET, PACKET_RX_RING): Invalid argument (errno 22)");
        assertThat(ex.errno()).isEqualTo(22);
        assertThat(ex.call()).isEqualTo("setsockopt(SOL_PACKET, PACKET_RX_RING)");
        assertThat(new LinuxException("RTM_NEWNEIGH", 22, "Invalid neighbor state")).hasMessage(
            "RTM_NEWNEIGH: Invalid argument (errno 22): Invalid neighbor state");
    }

    @Test
    void failedCallsReturnMinusTheErrnoTheKernelSet()
    {
        final MemorySegment errno = Libc.errnoState();

        assertThat(Libc.close(errno, -1)).isEqualTo(-Errno.EBADF);
        assertThat(Libc.socket(errno, 4242, Libc.SOCK_RAW, 0)).isEqualTo(-Errno.EAFNOSUPPORT);
        try (Arena arena = Arena.ofConfined())
        {
            assertThat(Libc.open(errno, arena.allocateFrom("/nonexistent/sluice"), Libc.O_RDONLY)).isEqualTo(-Errno.ENOENT);
            assertThat(Libc.ifNameToIndex(errno, arena.allocateFrom("sluice-none0"))).isEqualTo(-Errno.ENODEV);
        }
    }

    @Test
    void checkThrowsForNegativeResultsOnly()
    {
        assertThat(LinuxException.check("socket", 7)).isEqualTo(7);
        assertThatThrownBy(() -> LinuxException.check("close(-1)", Libc.close(Libc.errnoState(), -1)))
            .isInstanceOf(LinuxException.class)
            .hasMessage("close(-1): Bad file descriptor (errno 9)");
    }

    @Test
    void successfulCallsWork()
    {
        assertThat(Libc.getpid()).isEqualTo((int)ProcessHandle.current().pid());
        assertThat(Libc.gettid()).isPositive();
        final int fd = LinuxException.check("socket", Libc.socket(Libc.errnoState(), Libc.AF_INET, Libc.SOCK_DGRAM, 0));
        assertThat(fd).isGreaterThanOrEqualTo(0);
        assertThat(Libc.close(Libc.errnoState(), fd)).isZero();
    }
}
