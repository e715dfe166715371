package io.sluice.linux.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Arrays;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An immutable classic BPF program (an array of {@code struct sock_filter}), the socket filter
 * a {@link PacketSocket} runs in the kernel on every frame before it reaches the ring.
 *
 * <p>The filter sees the frame from its Ethernet header. On receive the kernel has usually
 * moved an 802.1Q tag into metadata already, so tagged traffic mostly looks untagged here; the
 * tagged branches catch frames whose tag is still in line (QinQ, or a device without VLAN offload).
 */
public final class ClassicBpfProgram
{
    /** The kernel's limit, {@code BPF_MAXINSNS}. */
    public static final int MAX_INSTRUCTIONS = 4096;
    /** Verdict that keeps the whole frame (any frame is shorter than this). */
    public static final int ACCEPT_WHOLE_PACKET = 0x40000;
    public static final int REJECT = 0;

    /** {@code struct sock_filter}. */
    public static final StructLayout SOCK_FILTER = structLayout(
        JAVA_SHORT.withName("code"),
        JAVA_BYTE.withName("jt"),
        JAVA_BYTE.withName("jf"),
        JAVA_INT.withName("k"));

    static final int PACKET_OUTGOING = 4;
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_8021Q = 0x8100;
    static final int ETH_P_8021AD = 0x88a8;
    static final int ETHERTYPE_OFFSET = 12;
    static final int TAGGED_ETHERTYPE_OFFSET = 16;
    static final int IPV4_DESTINATION_OFFSET = 14 + 16;
    static final int IPV4_SOURCE_OFFSET = 14 + 12;
    static final int TAGGED_IPV4_DESTINATION_OFFSET = 18 + 16;

    /** Fixed instructions of {@link #vipFilter} (its preamble, the source load, the last return), plus two per address. */
    private static final int DESTINATION_FILTER_PREAMBLE = 16;
    public static final int MAX_FILTER_ADDRESSES = (MAX_INSTRUCTIONS - DESTINATION_FILTER_PREAMBLE) / 2;

    private final short[] codes;
    private final byte[] jumpsIfTrue;
    private final byte[] jumpsIfFalse;
    private final int[] constants;

    ClassicBpfProgram(final short[] codes, final byte[] jumpsIfTrue, final byte[] jumpsIfFalse, final int[] constants)
    {
        this.codes = codes;
        this.jumpsIfTrue = jumpsIfTrue;
        this.jumpsIfFalse = jumpsIfFalse;
        this.constants = constants;
    }

    /** A program that drops everything: what a socket runs before it knows its VIPs. */
    public static ClassicBpfProgram rejectAll()
    {
        return new ClassicBpfAssembler().returnConstant(REJECT).assemble();
    }

    public static ClassicBpfProgram acceptAll()
    {
        return new ClassicBpfAssembler().returnConstant(ACCEPT_WHOLE_PACKET).assemble();
    }

    /** {@link #vipFilter} without NAT reals: accepts only frames to a VIP address. */
    public static ClassicBpfProgram ipv4DestinationFilter(final int[] vipAddresses)
    {
        return vipFilter(vipAddresses, new int[0], new int[0]);
    }

    /**
     * Accepts a frame only when the kernel did not send it (packet type is not PACKET_OUTGOING),
     * it carries IPv4 directly or behind one 802.1Q / 802.1ad tag, and either its destination
     * address is one of {@code vipAddresses}, or its source is one of {@code natRealAddresses}
     * (a NAT real's reply to translate) and its destination none of {@code localAddresses} (the
     * host's own traffic with the real, such as health checks, is only the kernel's). Addresses
     * are IPv4 as the int the wire carries, read big-endian. No VIP addresses: accepts nothing.
     *
     * <pre>
     *      ld   #pkttype
     *      jeq  #PACKET_OUTGOING, reject
     *      ldh  [12]
     *      jeq  #0x0800, untagged
     *      jeq  #0x8100, tagged
     *      jeq  #0x88a8, tagged, reject
     * tagged:
     *      ldh  [16]
     *      jeq  #0x0800, next, reject
     *      ldx  #4                        (X: how far the tag moved the IPv4 header)
     *      ja   compare
     * reject:
     *      ret  #0                        (placed early so every conditional jump stays short)
     * untagged:
     *      ldx  #0
     * compare:
     *      ld   [x+30]                    (destination)
     *      jeq  #vip1, next, skip1        (two instructions per address: no jump is ever long)
     *      ret  #0x40000
     *      ...
     *      jeq  #local1, next, skip       (with NAT reals only: to this host, not a reply)
     *      ret  #0
     *      ...
     *      ld   [x+26]                    (source)
     *      jeq  #real1, next, skip
     *      ret  #0x40000
     *      ...
     *      ret  #0
     * </pre>
     *
     * @throws IllegalArgumentException when the addresses need more than the kernel's
     *                                  {@link #MAX_INSTRUCTIONS}.
     */
    public static ClassicBpfProgram vipFilter(final int[] vipAddresses, final int[] natRealAddresses, final int[] localAddresses)
    {
        final int[] vips = Arrays.stream(vipAddresses).distinct().toArray();
        final int[] reals = Arrays.stream(natRealAddresses).distinct().toArray();
        final int[] locals = reals.length == 0 ? new int[0] : Arrays.stream(localAddresses).distinct().toArray();
        if (vips.length == 0)
        {
            return rejectAll();
        }
        final int addresses = vips.length + reals.length + locals.length;
        if (addresses > MAX_FILTER_ADDRESSES)
        {
            throw new IllegalArgumentException("a classic BPF filter holds at most " + MAX_FILTER_ADDRESSES +
                " addresses (VIPs, NAT reals and local addresses), asked for " + addresses);
        }
        final ClassicBpfAssembler asm = new ClassicBpfAssembler()
            .loadAncillary(ClassicBpfAssembler.SKF_AD_PKTTYPE)
            .jumpIfEqual(PACKET_OUTGOING, "reject", null)
            .loadHalf(ETHERTYPE_OFFSET)
            .jumpIfEqual(ETH_P_IP, "untagged", null)
            .jumpIfEqual(ETH_P_8021Q, "tagged", null)
            .jumpIfEqual(ETH_P_8021AD, "tagged", "reject")
            .label("tagged")
            .loadHalf(TAGGED_ETHERTYPE_OFFSET)
            .jumpIfEqual(ETH_P_IP, null, "reject")
            .loadIndexConstant(TAGGED_IPV4_DESTINATION_OFFSET - IPV4_DESTINATION_OFFSET)
            .jump("compare")
            .label("reject")
            .returnConstant(REJECT)
            .label("untagged")
            .loadIndexConstant(0)
            .label("compare")
            .loadWordIndexed(IPV4_DESTINATION_OFFSET);
        compareEach(asm, vips, ACCEPT_WHOLE_PACKET);
        if (reals.length > 0)
        {
            compareEach(asm, locals, REJECT);
            asm.loadWordIndexed(IPV4_SOURCE_OFFSET);
            compareEach(asm, reals, ACCEPT_WHOLE_PACKET);
        }
        return asm.returnConstant(REJECT).assemble();
    }

    /** For each address: if A equals it, return {@code verdict}; two instructions each, so no jump is long. */
    private static void compareEach(final ClassicBpfAssembler asm, final int[] addresses, final int verdict)
    {
        for (final int address : addresses)
        {
            asm.instruction(ClassicBpfAssembler.BPF_JMP | ClassicBpfAssembler.BPF_JEQ | ClassicBpfAssembler.BPF_K, 0, 1, address);
            asm.returnConstant(verdict);
        }
    }

    public int length()
    {
        return codes.length;
    }

    public int code(final int index)
    {
        return codes[index] & 0xFFFF;
    }

    public int jumpIfTrue(final int index)
    {
        return jumpsIfTrue[index] & 0xFF;
    }

    public int jumpIfFalse(final int index)
    {
        return jumpsIfFalse[index] & 0xFF;
    }

    public int constant(final int index)
    {
        return constants[index];
    }

    /** Writes the program as {@code struct sock_filter[length()]} (native byte order) at offset. */
    public void writeTo(final MemorySegment segment, final long offset)
    {
        final long size = SOCK_FILTER.byteSize();
        for (int i = 0; i < codes.length; i++)
        {
            final long at = offset + i * size;
            segment.set(JAVA_SHORT, at, codes[i]);
            segment.set(JAVA_BYTE, at + 2, jumpsIfTrue[i]);
            segment.set(JAVA_BYTE, at + 3, jumpsIfFalse[i]);
            segment.set(JAVA_INT, at + 4, constants[i]);
        }
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ClassicBpfProgram that &&
            Arrays.equals(codes, that.codes) &&
            Arrays.equals(jumpsIfTrue, that.jumpsIfTrue) &&
            Arrays.equals(jumpsIfFalse, that.jumpsIfFalse) &&
            Arrays.equals(constants, that.constants);
    }

    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(codes) + Arrays.hashCode(constants);
    }

    /** One line per instruction, {@code { 0x15, 0, 1, 0xc6120101 }}, as {@code tcpdump -dd} prints. */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < codes.length; i++)
        {
            text.append(String.format("{ 0x%02x, %d, %d, 0x%08x },%n", code(i), jumpIfTrue(i), jumpIfFalse(i), constants[i]));
        }
        return text.toString();
    }
}
