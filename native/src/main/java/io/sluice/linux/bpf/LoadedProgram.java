package io.sluice.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A program the verifier accepted, owned by this object: closing it closes the fd. */
public final class LoadedProgram implements AutoCloseable
{
    public static final int XDP_ABORTED = 0;
    public static final int XDP_DROP = 1;
    public static final int XDP_PASS = 2;
    public static final int XDP_TX = 3;
    public static final int XDP_REDIRECT = 4;

    private final String name;
    private final int fd;
    private boolean closed;

    private LoadedProgram(final String name, final int fd)
    {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Loads an XDP program. The licence is "GPL" because bpf_redirect_map and the map helpers
     * the programs call are available to any licence, but a GPL declaration keeps every helper open.
     *
     * @throws io.sluice.linux.LinuxException with the verifier's log when it refuses the program.
     */
    public static LoadedProgram loadXdp(final String name, final BpfAssembler code)
    {
        return new LoadedProgram(name, Bpf.progLoad(Bpf.BPF_PROG_TYPE_XDP, name, code.assemble(), "GPL"));
    }

    public int fd()
    {
        return fd;
    }

    public String name()
    {
        return name;
    }

    /** Runs the program once on {@code packet} (BPF_PROG_TEST_RUN). @return its XDP action. */
    public int testRun(final byte[] packet)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (int)Bpf.testRun(fd, packet, arena.allocate(packet.length + 512L));
        }
    }

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
