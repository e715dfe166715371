package io.sluice.linux.bpf;

import static io.sluice.linux.bpf.BpfAssembler.R0;
import static io.sluice.linux.bpf.BpfAssembler.R1;
import static io.sluice.linux.bpf.BpfAssembler.R10;
import static io.sluice.linux.bpf.BpfAssembler.R2;
import static io.sluice.linux.bpf.BpfAssembler.R3;
import static io.sluice.linux.bpf.BpfAssembler.R4;
import static io.sluice.linux.bpf.BpfAssembler.R5;
import static io.sluice.linux.bpf.BpfAssembler.R6;
import static io.sluice.linux.bpf.BpfAssembler.R7;
import static io.sluice.linux.bpf.BpfAssembler.R8;
import static io.sluice.linux.bpf.BpfAssembler.R9;
import static io.sluice.linux.bpf.DecapProgram.ETHERNET_LENGTH;
import static io.sluice.linux.bpf.DecapProgram.ETHERTYPE_IPV4;
import static io.sluice.linux.bpf.DecapProgram.ETHERTYPE_IPV6;
import static io.sluice.linux.bpf.DecapProgram.IPV4_HEADER_LENGTH;
import static io.sluice.linux.bpf.DecapProgram.IPV4_INSIDE;
import static io.sluice.linux.bpf.DecapProgram.IPV6_HEADER_LENGTH;
import static io.sluice.linux.bpf.DecapProgram.IPV6_INSIDE;

/**
 * The GUE part of {@link DecapProgram}: an outer IPv4 packet (already known to be 20 bytes, not a
 * fragment) carrying UDP to the GUE port in sluice's format: a 4-byte GUE header (version 0,
 * a data message, no flags) whose hlen words of optional fields are sluice's private words
 * (magic "SC", next_hop, hop_count, then hop_count IPv4 addresses of reals to try next). The outer IPv4, UDP and GUE headers and
 * the private words are stripped as the IP-in-IP branch strips its outer header, unless
 * {@link SecondChance} sends the packet on to the next hop first.
 *
 * <p>Registers from the GUE header on: r6 the context, r7 the private words' length in bytes
 * (4 x hlen), r8 the inner packet's EtherType as the frame stores it, r9 0 to count a packet
 * taken here as {@link DecapProgram.DecapVerdict#GUE_DECAPSULATED}, 1 as
 * {@link DecapProgram.DecapVerdict#FIB_MISS}.
 */
final class GueBranch
{
    static final int UDP_HEADER_LENGTH = 8;
    static final int GUE_HEADER_LENGTH = 4;
    /** Frame offsets: the UDP header, the GUE header, and the private words after it. */
    static final int UDP_OFFSET = ETHERNET_LENGTH + IPV4_HEADER_LENGTH;
    static final int GUE_OFFSET = UDP_OFFSET + UDP_HEADER_LENGTH;
    static final int PRIVATE_OFFSET = GUE_OFFSET + GUE_HEADER_LENGTH;
    static final int NEXT_HOP_OFFSET = PRIVATE_OFFSET + 2;
    static final int HOP_COUNT_OFFSET = PRIVATE_OFFSET + 3;
    static final int HOPS_OFFSET = PRIVATE_OFFSET + 4;
    /** What the strip removes besides the private words: outer IPv4, UDP and GUE headers. */
    private static final int FIXED_OUTER_LENGTH = IPV4_HEADER_LENGTH + UDP_HEADER_LENGTH + GUE_HEADER_LENGTH;
    /** The private words' magic, bytes 0x53 0x43 ("SC") loaded as a little-endian half. */
    static final int MAGIC = 0x4353;
    /** GUE byte 0: the version (top two bits) and the control bit, all zero for a data message. */
    private static final int VERSION_AND_CONTROL = 0xe0;
    private static final int HLEN_MASK = 0x1f;
    /** The frame's MAC addresses, kept on the stack across bpf_xdp_adjust_head. */
    private static final int MACS_STACK_OFFSET = -152;

    static final String ENTRY = "udp";
    static final String STRIP = "gue_strip";

    private GueBranch()
    {
    }

    /**
     * Emits the branch from label {@link #ENTRY}, entered with r2 the frame, r3 its end and the
     * outer IPv4 header whole. Jumps to "passed", "malformed" and the verdict labels of
     * {@link DecapProgram}.
     */
    static void emit(final BpfAssembler a, final BpfMap verdicts, final int port)
    {
        a.label(ENTRY)
            .movReg(R4, R2).add(R4, GUE_OFFSET).jumpIfGreaterReg(R4, R3, "malformed")
            .loadHalf(R5, R2, UDP_OFFSET + 2).jumpIfNotEqual(R5, Short.toUnsignedInt(Short.reverseBytes((short)port)), "passed")
            .movReg(R4, R2).add(R4, PRIVATE_OFFSET).jumpIfGreaterReg(R4, R3, "malformed")
            .loadByte(R5, R2, GUE_OFFSET).jumpIfAnySet(R5, VERSION_AND_CONTROL, "passed")
            .movReg(R7, R5).and(R7, HLEN_MASK).lsh(R7, 2)
            // Flags would put optional fields of their own before the private ones: not a packet sluice sent.
            .loadHalf(R5, R2, GUE_OFFSET + 2).jumpIfNotEqual(R5, 0, "passed")
            .mov(R9, 0)
            .loadByte(R5, R2, GUE_OFFSET + 1)
            .jumpIfEqual(R5, IPV6_INSIDE, "gue_ipv6")
            .jumpIfNotEqual(R5, IPV4_INSIDE, "passed")
            .mov(R8, ETHERTYPE_IPV4);
        innerHeaderWhole(a, IPV4_HEADER_LENGTH);
        a.jump("gue_private")
            .label("gue_ipv6")
            .mov(R8, ETHERTYPE_IPV6);
        innerHeaderWhole(a, IPV6_HEADER_LENGTH);

        // Private words that are not sluice's (or none) leave nothing to send on: take the packet here.
        a.label("gue_private")
            .jumpIfEqual(R7, 0, STRIP)
            .movReg(R4, R2).add(R4, HOPS_OFFSET).jumpIfGreaterReg(R4, R3, "malformed")
            .loadHalf(R5, R2, PRIVATE_OFFSET).jumpIfNotEqual(R5, MAGIC, STRIP)
            .loadByte(R5, R2, HOP_COUNT_OFFSET).add(R5, 1).lsh(R5, 2).jumpIfNotEqualReg(R5, R7, "malformed")
            .loadByte(R4, R2, NEXT_HOP_OFFSET).loadByte(R5, R2, HOP_COUNT_OFFSET).jumpIfGreaterOrEqualReg(R4, R5, STRIP);
        SecondChance.emit(a, verdicts);
        strip(a);
    }

    /** Malformed unless the frame holds the private words and an inner header of this length. */
    private static void innerHeaderWhole(final BpfAssembler a, final int innerHeaderLength)
    {
        a.movReg(R4, R2).addReg(R4, R7).add(R4, PRIVATE_OFFSET + innerHeaderLength).jumpIfGreaterReg(R4, R3, "malformed");
    }

    /**
     * Takes the packet here: removes the outer headers and the private words, and gives the frame
     * its MAC addresses back with the inner packet's EtherType (r8), as the IP-in-IP branch does.
     */
    private static void strip(final BpfAssembler a)
    {
        a.label(STRIP)
            .loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .movReg(R4, R2).add(R4, ETHERNET_LENGTH).jumpIfGreaterReg(R4, R3, "malformed")
            .loadDouble(R5, R2, 0).storeDouble(R10, MACS_STACK_OFFSET, R5)
            .loadWord(R5, R2, 8).storeWord(R10, MACS_STACK_OFFSET + 8, R5)
            .movReg(R1, R6).movReg(R2, R7).add(R2, FIXED_OUTER_LENGTH).call(BpfHelper.XDP_ADJUST_HEAD)
            .jumpIfNotEqual(R0, 0, "passed")
            .loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .movReg(R4, R2).add(R4, ETHERNET_LENGTH).jumpIfGreaterReg(R4, R3, "malformed")
            .loadDouble(R5, R10, MACS_STACK_OFFSET).storeDouble(R2, 0, R5)
            .loadWord(R5, R10, MACS_STACK_OFFSET + 8).storeWord(R2, 8, R5)
            .storeHalf(R2, 12, R8)
            .jumpIfNotEqual(R9, 0, DecapProgram.DecapVerdict.FIB_MISS.label())
            .jump(DecapProgram.DecapVerdict.GUE_DECAPSULATED.label());
    }
}
