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
    static final int TAGGED_IPV4_DESTINATION_OFFSET = 18 + 16;

    /** Fixed instructions of {@link #ipv4DestinationFilter(int[])} plus two per VIP. */
    private static final int DESTINATION_FILTER_PREAMBLE = 13;
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

    /**
     * Accepts a frame only when the kernel did not send it (packet type is not PACKET_OUTGOING),
     * it carries IPv4 directly or behind one 802.1Q / 802.1ad tag, and its destination address is
     * one of {@code vipAddresses} (IPv4 as the int the wire carries, read big-endian).
     * No addresses: accepts nothing.
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
     *      ld   [34]
     *      ja   compare
     * reject:
     *      ret  #0                        (placed early so every conditional jump stays short)
     * untagged:
     *      ld   [30]
     * compare:
     *      jeq  #vip1, next, skip1        (two instructions per address: no jump is ever long)
     *      ret  #0x40000
     *      ...
     *      ret  #0
     * </pre>
     *
     * @throws IllegalArgumentException when there are more than {@link #MAX_FILTER_ADDRESSES} addresses.
     */
    public static ClassicBpfProgram ipv4DestinationFilter(final int[] vipAddresses)
    {
        final int[] addresses = Arrays.stream(vipAddresses).distinct().toArray();
        if (addresses.length == 0)
        {
            return rejectAll();
        }
        if (addresses.length > MAX_FILTER_ADDRESSES)
        {
            throw new IllegalArgumentException("a classic BPF filter holds at most " + MAX_FILTER_ADDRESSES +
                " VIP addresses, asked for " + addresses.length);
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
            .loadWord(TAGGED_IPV4_DESTINATION_OFFSET)
            .jump("compare")
            .label("reject")
            .returnConstant(REJECT)
            .label("untagged")
            .loadWord(IPV4_DESTINATION_OFFSET)
            .label("compare");
        for (int i = 0; i < addresses.length; i++)
        {
            asm.instruction(ClassicBpfAssembler.BPF_JMP | ClassicBpfAssembler.BPF_JEQ | ClassicBpfAssembler.BPF_K,
                0, 1, addresses[i]);
            asm.returnConstant(ACCEPT_WHOLE_PACKET);
        }
        return asm.returnConstant(REJECT).assemble();
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
