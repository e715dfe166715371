package io.sluice.linux.bpf;

import static io.sluice.linux.bpf.BpfAssembler.R0;
import static io.sluice.linux.bpf.BpfAssembler.R1;
import static io.sluice.linux.bpf.BpfAssembler.R2;
import static io.sluice.linux.bpf.BpfAssembler.R3;
import static io.sluice.linux.bpf.BpfAssembler.R4;
import static io.sluice.linux.bpf.BpfAssembler.R5;
import static io.sluice.linux.bpf.BpfAssembler.R6;
import static io.sluice.linux.bpf.BpfAssembler.R7;
import static io.sluice.linux.bpf.BpfAssembler.R8;
import static io.sluice.linux.bpf.BpfAssembler.R9;

/**
 * The XDP program of {@code sluice decap}, for reals and L7 hosts behind a forwarder in tunnel
 * mode: it strips the outer header of an IPv4-in-IPv4 packet (protocol 4), an IPv6-in-IPv6
 * packet (next header 41) or an IPv4-in-IPv6 packet (next header 4) in the driver and passes the
 * inner packet to the kernel as if it had arrived as it is, keeping the frame's MAC addresses
 * (the EtherType becomes the inner packet's). A host without the kernel's ipip or ip6_tunnel
 * module (or without a tunnel device configured) thus takes tunnelled traffic, and the inner
 * packet keeps the client's address. Everything else passes untouched. Each packet counts one
 * {@link DecapVerdict} in a per-CPU array.
 *
 * <p>It takes untagged Ethernet with an outer IPv4 header of 20 bytes (no options, not a
 * fragment) or an outer IPv6 header of 40 with the inner packet right after it (no extension
 * headers, so no fragment header either), which is what the forwarder sends; other encapsulated
 * packets are passed whole for the kernel to judge. Like the IPv4 branch, the IPv6 one does not
 * look at the outer destination: the program runs on a host's own interface.
 *
 * <p>It also takes GUE (outer IPv4, UDP to the GUE port, {@link GueBranch}) and gives a TCP packet
 * that no local socket owns a second chance on the next real the forwarder named
 * ({@link SecondChance}).
 */
public final class DecapProgram implements AutoCloseable
{
    static final int ETHERNET_LENGTH = 14;
    static final int IPV4_HEADER_LENGTH = 20;
    static final int IPV6_HEADER_LENGTH = 40;
    /** EtherTypes as the program loads and stores them: little-endian halves of the network-order bytes. */
    static final int ETHERTYPE_IPV4 = 0x0008;
    static final int ETHERTYPE_IPV6 = 0xdd86;
    /** An outer header's protocol (IPv4) or next header (IPv6) that says what it carries. */
    static final int IPV4_INSIDE = 4;
    static final int IPV6_INSIDE = 41;

    /** GUE's IANA port, where the forwarder sends GUE unless told otherwise. */
    public static final int DEFAULT_GUE_PORT = 6080;
    private static final int UDP = 17;

    private final BpfMap verdicts;
    private final LoadedProgram program;

    private DecapProgram(final BpfMap verdicts, final LoadedProgram program)
    {
        this.verdicts = verdicts;
        this.program = program;
    }

    /** What the program did with a packet. */
    public enum DecapVerdict
    {
        /** IPv4-in-IPv4, IPv6-in-IPv6 or IPv4-in-IPv6: the outer header was removed and the inner packet passed on. */
        DECAPSULATED("decapsulated"),
        /** Not a tunnelled packet this program takes: passed untouched. */
        PASSED("passed"),
        /** Too short for the headers it announces: passed for the kernel to judge. */
        MALFORMED("malformed"),
        /** GUE to the GUE port: its outer headers and private words were removed and the inner packet passed on. */
        GUE_DECAPSULATED("gue-decapsulated"),
        /** GUE whose inner TCP packet no local socket owns: sent on to the next hop the forwarder named. */
        SENT_ON("sent-on"),
        /** GUE to send on whose hop has a route but no neighbour entry yet: re-addressed and passed to the kernel to forward. */
        SENT_ON_BY_KERNEL("sent-on-by-kernel"),
        /** GUE to send on whose hop the FIB could not place (no route, or the interface does not forward): taken here. */
        FIB_MISS("fib-miss");

        private final String label;

        DecapVerdict(final String label)
        {
            this.label = label;
        }

        public String label()
        {
            return label;
        }
    }

    public static DecapProgram load()
    {
        return load(DEFAULT_GUE_PORT);
    }

    /** @param guePort the UDP port GUE arrives on (1-65535). */
    public static DecapProgram load(final int guePort)
    {
        if (guePort < 1 || guePort > 0xffff)
        {
            throw new IllegalArgumentException("GUE port " + guePort + " is not a port (1-65535)");
        }
        final BpfMap verdicts = BpfMap.createPerCpuArray("sluice_decap_v", Long.BYTES, DecapVerdict.values().length);
        try
        {
            return new DecapProgram(verdicts, LoadedProgram.loadXdp("sluice_decap", code(verdicts, guePort)));
        }
        catch (final RuntimeException ex)
        {
            verdicts.close();
            throw ex;
        }
    }

    static BpfAssembler code(final BpfMap verdicts, final int guePort)
    {
        final BpfAssembler a = new BpfAssembler();
        a.movReg(R6, R1)
            .loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .movReg(R4, R2).add(R4, ETHERNET_LENGTH + IPV4_HEADER_LENGTH).jumpIfGreaterReg(R4, R3, "malformed")
            .loadHalf(R5, R2, 12)
            .jumpIfEqual(R5, ETHERTYPE_IPV6, "ipv6")
            .jumpIfNotEqual(R5, ETHERTYPE_IPV4, "passed")
            .loadByte(R5, R2, ETHERNET_LENGTH).jumpIfNotEqual(R5, 0x45, "passed") // version 4, 20-byte header
            .loadHalf(R5, R2, ETHERNET_LENGTH + 6).jumpIfAnySet(R5, 0xff3f, "passed") // not a fragment
            .loadByte(R5, R2, ETHERNET_LENGTH + 9)
            .jumpIfEqual(R5, UDP, GueBranch.ENTRY)
            .jumpIfNotEqual(R5, IPV4_INSIDE, "passed");
        strip(a, IPV4_HEADER_LENGTH, IPV4_HEADER_LENGTH, ETHERTYPE_IPV4);
        GueBranch.emit(a, verdicts, guePort);

        a.label("ipv6")
            .movReg(R4, R2).add(R4, ETHERNET_LENGTH + IPV6_HEADER_LENGTH).jumpIfGreaterReg(R4, R3, "malformed")
            .loadByte(R5, R2, ETHERNET_LENGTH).and(R5, 0xf0).jumpIfNotEqual(R5, 0x60, "passed")
            .loadByte(R5, R2, ETHERNET_LENGTH + 6)
            .jumpIfEqual(R5, IPV4_INSIDE, "ipv4_in_ipv6")
            .jumpIfNotEqual(R5, IPV6_INSIDE, "passed");
        strip(a, IPV6_HEADER_LENGTH, IPV6_HEADER_LENGTH, ETHERTYPE_IPV6);
        a.label("ipv4_in_ipv6");
        strip(a, IPV6_HEADER_LENGTH, IPV4_HEADER_LENGTH, ETHERTYPE_IPV4);

        for (final DecapVerdict verdict : DecapVerdict.values())
        {
            if (verdict == DecapVerdict.SENT_ON || verdict == DecapVerdict.SENT_ON_BY_KERNEL)
            {
                continue; // counted where SecondChance sends the packet on
            }
            a.label(verdict.label());
            VipRedirectProgram.count(a, verdicts, verdict.ordinal(), verdict.label());
            a.mov(R0, LoadedProgram.XDP_PASS).exit();
        }
        return a;
    }

    /**
     * Removes the outer header from the packet at r2 (r3 its end) once the inner header is known
     * to be whole, and gives the frame its MAC addresses back with the inner packet's EtherType.
     * The MACs wait in r7-r9 across the helper call, so a refused adjustment leaves the packet
     * as it came.
     */
    private static void strip(final BpfAssembler a, final int outerLength, final int innerHeaderLength, final int innerEtherType)
    {
        a.movReg(R4, R2).add(R4, ETHERNET_LENGTH + outerLength + innerHeaderLength).jumpIfGreaterReg(R4, R3, "malformed")
            .loadWord(R7, R2, 0).loadWord(R8, R2, 4).loadWord(R9, R2, 8)
            .movReg(R1, R6).mov(R2, outerLength).call(BpfHelper.XDP_ADJUST_HEAD)
            .jumpIfNotEqual(R0, 0, "passed")
            .loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .movReg(R4, R2).add(R4, ETHERNET_LENGTH).jumpIfGreaterReg(R4, R3, "malformed")
            .storeWord(R2, 0, R7).storeWord(R2, 4, R8).storeWord(R2, 8, R9)
            .storeHalfImm(R2, 12, innerEtherType)
            .jump("decapsulated");
    }

    public LoadedProgram program()
    {
        return program;
    }

    /** @return how many packets, on all CPUs, got this verdict since the program was loaded. */
    public long count(final DecapVerdict verdict)
    {
        return verdicts.sumPerCpuLong(verdict.ordinal());
    }

    @Override
    public void close()
    {
        program.close();
        verdicts.close();
    }
}
