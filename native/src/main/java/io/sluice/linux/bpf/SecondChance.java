package io.sluice.linux.bpf;

import io.sluice.linux.bpf.DecapProgram.DecapVerdict;

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
import static io.sluice.linux.bpf.DecapProgram.ETHERTYPE_IPV6;
import static io.sluice.linux.bpf.DecapProgram.IPV4_HEADER_LENGTH;
import static io.sluice.linux.bpf.DecapProgram.IPV6_HEADER_LENGTH;
import static io.sluice.linux.bpf.GueBranch.HOPS_OFFSET;
import static io.sluice.linux.bpf.GueBranch.NEXT_HOP_OFFSET;
import static io.sluice.linux.bpf.GueBranch.PRIVATE_OFFSET;
import static io.sluice.linux.bpf.GueBranch.STRIP;

/**
 * GLB's "second chance" on the real's side of {@link GueBranch}: a forwarder that has no flow
 * entry for a connection (it moved from another forwarder) and whose table changed since it
 * began sends it to the row's new real, with the row's previous real as the next hop. A packet
 * that opens nothing (TCP without SYN) and that no local socket owns (none, or only a listener,
 * which would answer with a reset) belongs to a connection that lives on that next hop: the
 * outer destination becomes hops[next_hop], next_hop counts it, the outer checksum is made again
 * and the kernel's FIB gives the MACs for XDP_TX (or bpf_redirect to another interface); when the
 * FIB has a route but no neighbour entry for the hop yet, the re-addressed packet goes to the
 * kernel, which forwards it and resolves the hop's MAC. SYNs, non-TCP, packets a socket owns,
 * packets with no hop left, and those the FIB cannot place (no route, forwarding off on the
 * interface) are stripped and taken here.
 *
 * <p>Entered with r2 the frame, r3 its end, and next_hop below hop_count; the registers are
 * {@link GueBranch}'s.
 */
final class SecondChance
{
    private static final int INNER_OFFSET = PRIVATE_OFFSET;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int TCP_HEADER_LENGTH = 20;
    private static final int TCP_FLAGS = 13;
    private static final int SYN = 0x02;
    private static final int IPV4_TUPLE_LENGTH = 12;
    private static final int IPV6_TUPLE_LENGTH = 36;
    /** {@code BPF_F_CURRENT_NETNS}: look the socket up in the namespace of the receiving interface. */
    private static final int CURRENT_NETNS = -1;
    /** {@code struct bpf_sock_tuple} (up to 36 bytes), then {@code struct bpf_fib_lookup} (64) below it. */
    private static final int TUPLE_STACK_OFFSET = -72;
    private static final int FIB_STACK_OFFSET = TUPLE_STACK_OFFSET - FibLookup.LENGTH;
    private static final int MAC_LENGTH = 6;

    private SecondChance()
    {
    }

    static void emit(final BpfAssembler a, final BpfMap verdicts)
    {
        socketTuple(a);
        a.label("sc_lookup")
            .movReg(R1, R6).movReg(R2, R10).add(R2, TUPLE_STACK_OFFSET).mov(R4, CURRENT_NETNS).mov(R5, 0)
            .call(BpfHelper.SKC_LOOKUP_TCP)
            .jumpIfEqual(R0, 0, "sc_send_on")
            .loadWord(R9, R0, BpfSock.STATE)
            .movReg(R1, R0).call(BpfHelper.SK_RELEASE)
            .jumpIfEqual(R9, BpfSock.TCP_LISTEN, "sc_listener")
            .mov(R9, 0).jump(STRIP)
            .label("sc_listener")
            .mov(R9, 0);
        a.label("sc_send_on");
        fibLookup(a);
        a.jumpIfEqual(R0, FibLookup.SUCCESS, "sc_rewrite")
            .jumpIfEqual(R0, FibLookup.NO_NEIGHBOUR, "sc_to_kernel")
            .mov(R9, 1).jump(STRIP);
        // A route but no neighbour entry yet: the kernel forwards the re-addressed packet and resolves the hop's MAC.
        a.label("sc_to_kernel");
        readdress(a);
        VipRedirectProgram.count(a, verdicts, DecapVerdict.SENT_ON_BY_KERNEL.ordinal(), DecapVerdict.SENT_ON_BY_KERNEL.label());
        a.mov(R0, LoadedProgram.XDP_PASS).exit();
        a.label("sc_rewrite");
        readdress(a);
        a.loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .movReg(R4, R2).add(R4, ETHERNET_LENGTH).jumpIfGreaterReg(R4, R3, "malformed");
        for (int offset = 0; offset < MAC_LENGTH; offset += 2)
        {
            a.loadHalf(R5, R10, FIB_STACK_OFFSET + FibLookup.DMAC + offset).storeHalf(R2, offset, R5)
                .loadHalf(R5, R10, FIB_STACK_OFFSET + FibLookup.SMAC + offset).storeHalf(R2, MAC_LENGTH + offset, R5);
        }
        a.loadWord(R7, R10, FIB_STACK_OFFSET + FibLookup.IFINDEX);
        VipRedirectProgram.count(a, verdicts, DecapVerdict.SENT_ON.ordinal(), DecapVerdict.SENT_ON.label());
        a.loadWord(R5, R6, XdpMd.INGRESS_IFINDEX).jumpIfEqualReg(R7, R5, "sc_tx")
            .movReg(R1, R7).mov(R2, 0).call(BpfHelper.REDIRECT).exit()
            .label("sc_tx")
            .mov(R0, LoadedProgram.XDP_TX).exit();
    }

    /**
     * Takes the packet (to {@link GueBranch#STRIP}) unless its inner packet is TCP without SYN;
     * else leaves its {@code struct bpf_sock_tuple} on the stack and the tuple's size in r3.
     */
    private static void socketTuple(final BpfAssembler a)
    {
        final int tcp4 = INNER_OFFSET + IPV4_HEADER_LENGTH;
        final int tcp6 = INNER_OFFSET + IPV6_HEADER_LENGTH;
        a.movReg(R4, R2).addReg(R4, R7)
            .jumpIfEqual(R8, ETHERTYPE_IPV6, "sc_ipv6")
            .movReg(R5, R4).add(R5, tcp4 + TCP_HEADER_LENGTH).jumpIfGreaterReg(R5, R3, STRIP)
            .loadByte(R5, R4, INNER_OFFSET).jumpIfNotEqual(R5, 0x45, STRIP)
            .loadByte(R5, R4, INNER_OFFSET + 9).jumpIfNotEqual(R5, TCP, STRIP)
            .loadHalf(R5, R4, INNER_OFFSET + 6).jumpIfAnySet(R5, 0xff3f, STRIP)
            .loadByte(R5, R4, tcp4 + TCP_FLAGS).jumpIfAnySet(R5, SYN, STRIP)
            .loadWord(R5, R4, INNER_OFFSET + 12).storeWord(R10, TUPLE_STACK_OFFSET, R5)
            .loadWord(R5, R4, INNER_OFFSET + 16).storeWord(R10, TUPLE_STACK_OFFSET + 4, R5)
            .loadWord(R5, R4, tcp4).storeWord(R10, TUPLE_STACK_OFFSET + 8, R5)
            .mov(R3, IPV4_TUPLE_LENGTH).jump("sc_lookup");
        a.label("sc_ipv6")
            .movReg(R5, R4).add(R5, tcp6 + TCP_HEADER_LENGTH).jumpIfGreaterReg(R5, R3, STRIP)
            .loadByte(R5, R4, INNER_OFFSET + 6).jumpIfNotEqual(R5, TCP, STRIP)
            .loadByte(R5, R4, tcp6 + TCP_FLAGS).jumpIfAnySet(R5, SYN, STRIP);
        for (int i = 0; i < 4; i++)
        {
            a.loadDouble(R5, R4, INNER_OFFSET + 8 + 8 * i).storeDouble(R10, TUPLE_STACK_OFFSET + 8 * i, R5);
        }
        a.loadWord(R5, R4, tcp6).storeWord(R10, TUPLE_STACK_OFFSET + 32, R5)
            .mov(R3, IPV6_TUPLE_LENGTH);
    }

    /** Asks the FIB how to reach hops[next_hop] from the receiving interface; r0 its answer. */
    private static void fibLookup(final BpfAssembler a)
    {
        a.loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .movReg(R4, R2).add(R4, HOPS_OFFSET).jumpIfGreaterReg(R4, R3, "malformed")
            .loadByte(R5, R2, NEXT_HOP_OFFSET).lsh(R5, 2).movReg(R4, R2).addReg(R4, R5)
            .movReg(R5, R4).add(R5, HOPS_OFFSET + 4).jumpIfGreaterReg(R5, R3, "malformed");
        for (int offset = 0; offset < FibLookup.LENGTH; offset += 8)
        {
            a.storeDoubleImm(R10, FIB_STACK_OFFSET + offset, 0);
        }
        a.storeByteImm(R10, FIB_STACK_OFFSET + FibLookup.FAMILY, FibLookup.AF_INET)
            .storeByteImm(R10, FIB_STACK_OFFSET + FibLookup.L4_PROTOCOL, UDP)
            .loadWord(R5, R4, HOPS_OFFSET).storeWord(R10, FIB_STACK_OFFSET + FibLookup.IPV4_DST, R5)
            .loadWord(R5, R2, ETHERNET_LENGTH + 12).storeWord(R10, FIB_STACK_OFFSET + FibLookup.IPV4_SRC, R5)
            .loadWord(R5, R6, XdpMd.INGRESS_IFINDEX).storeWord(R10, FIB_STACK_OFFSET + FibLookup.IFINDEX, R5)
            // tot_len stays 0: the packet leaves no longer than it came in, so there is no MTU to check.
            .movReg(R1, R6).movReg(R2, R10).add(R2, FIB_STACK_OFFSET).mov(R3, FibLookup.LENGTH).mov(R4, 0)
            .call(BpfHelper.FIB_LOOKUP);
    }

    /** The outer destination becomes the hop, next_hop counts it, and the outer header gets its checksum again. */
    private static void readdress(final BpfAssembler a)
    {
        a.loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .movReg(R4, R2).add(R4, HOPS_OFFSET).jumpIfGreaterReg(R4, R3, "malformed")
            .loadWord(R5, R10, FIB_STACK_OFFSET + FibLookup.IPV4_DST).storeWord(R2, ETHERNET_LENGTH + 16, R5)
            .loadByte(R5, R2, NEXT_HOP_OFFSET).add(R5, 1).storeByte(R2, NEXT_HOP_OFFSET, R5)
            .storeHalfImm(R2, ETHERNET_LENGTH + 10, 0)
            .mov(R4, 0);
        // The ones' complement sum does not depend on byte order, so little-endian halves add up to it too.
        for (int offset = 0; offset < IPV4_HEADER_LENGTH; offset += 2)
        {
            a.loadHalf(R5, R2, ETHERNET_LENGTH + offset).addReg(R4, R5);
        }
        for (int fold = 0; fold < 2; fold++)
        {
            a.movReg(R5, R4).rsh(R5, 16).and(R4, 0xffff).addReg(R4, R5);
        }
        a.xor(R4, 0xffff).storeHalf(R2, ETHERNET_LENGTH + 10, R4);
    }
}
