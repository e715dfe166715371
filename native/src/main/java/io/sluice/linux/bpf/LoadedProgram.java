package io.sluice.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** A program the verifier accepted, owned by this object: closing it closes the fd. */
public final class LoadedProgram implements AutoCloseable
{
    public static final int XDP_ABORTED = 0;
    public static final int XDP_DROP = 1;
    public static final int XDP_PASS = 2;
    public static final int XDP_TX = 3;
    public static final int XDP_REDIRECT = 4;

    /** Room for a program that grows the packet at its tail (bpf_xdp_adjust_tail). */
    private static final long OUTPUT_ROOM = 512;

    private final String name;
    private final int fd;
    private boolean closed;

    private LoadedProgram(final String name, final int fd)
    {
        this.name = name;
        this.fd = fd;
    }

    /**
     * Loads an XDP program. The licence is "GPL": the helpers sluice's programs call
     * (bpf_map_lookup_elem, bpf_redirect_map) are not GPL-only and would load under any licence,
     * but declaring GPL keeps every helper available should a program need one that is.
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

    /**
     * Runs the program once on a copy of {@code packet} (BPF_PROG_TEST_RUN), in the kernel, with
     * no interface. An XDP program sees rx_queue_index 0; a redirect to an empty XSKMAP slot
     * returns the helper's fallback action.
     *
     * @return its XDP action.
     */
    public int testRun(final byte[] packet)
    {
        return testRunWithOutput(packet).action();
    }

    /** As {@link #testRun(byte[])}, also giving the packet as the program left it. */
    public TestRunResult testRunWithOutput(final byte[] packet)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(packet.length + OUTPUT_ROOM);
            final long result = Bpf.testRun(fd, packet, out);
            final int length = (int)Math.min(result >>> 32, out.byteSize());
            return new TestRunResult((int)result, out.asSlice(0, length).toArray(JAVA_BYTE));
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
