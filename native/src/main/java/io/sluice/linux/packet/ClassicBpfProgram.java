package io.sluice.linux.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
    static final int ETH_P_IPV6 = 0x86DD;
    static final int ETH_P_8021Q = 0x8100;
    static final int ETH_P_8021AD = 0x88a8;
    static final int ETHERTYPE_OFFSET = 12;
    static final int TAGGED_ETHERTYPE_OFFSET = 16;
    static final int IPV4_DESTINATION_OFFSET = 14 + 16;
    static final int IPV4_SOURCE_OFFSET = 14 + 12;
    static final int IPV6_SOURCE_OFFSET = 14 + 8;
    static final int IPV6_DESTINATION_OFFSET = 14 + 24;
    /** How far a VLAN tag in line moves the IP header; X holds it while addresses are compared. */
    static final int TAG_LENGTH = 4;

    /** Instructions of {@link #vipFilter} whatever its addresses: the packet type and EtherType checks, the reject. */
    private static final int COMMON_INSTRUCTIONS = 7;
    /** Per address family filtered: its two EtherType jumps, the two X settings with their jumps, its last return. */
    private static final int FAMILY_INSTRUCTIONS = 7;
    /** The IPv4 part loads the destination once and the source once; the IPv6 part loads per address. */
    private static final int IPV4_LOADS = 2;
    private static final int IPV4_ADDRESS_INSTRUCTIONS = 2;
    private static final int IPV6_ADDRESS_INSTRUCTIONS = 9;
    /** IPv4 addresses (VIPs, NAT reals and local addresses together) that fit in a filter without IPv6 ones. */
    public static final int MAX_FILTER_ADDRESSES =
        (MAX_INSTRUCTIONS - COMMON_INSTRUCTIONS - FAMILY_INSTRUCTIONS - IPV4_LOADS) / IPV4_ADDRESS_INSTRUCTIONS;
    /** IPv6 addresses that fit in a filter without IPv4 ones. */
    public static final int MAX_FILTER_IPV6_ADDRESSES =
        (MAX_INSTRUCTIONS - COMMON_INSTRUCTIONS - FAMILY_INSTRUCTIONS) / IPV6_ADDRESS_INSTRUCTIONS;

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

    /** {@link #vipFilter(int[], int[], int[])} without NAT reals: accepts only frames to a VIP address. */
    public static ClassicBpfProgram ipv4DestinationFilter(final int[] vipAddresses)
    {
        return vipFilter(vipAddresses, new int[0], new int[0]);
    }

    /** {@link #vipFilter(int[], int[], int[], long[], long[], long[])} for IPv4 alone: IPv6 frames are rejected. */
    public static ClassicBpfProgram vipFilter(final int[] vipAddresses, final int[] natRealAddresses, final int[] localAddresses)
    {
        return vipFilter(vipAddresses, natRealAddresses, localAddresses, new long[0], new long[0], new long[0]);
    }

    /**
     * Accepts a frame only when the kernel did not send it (packet type is not PACKET_OUTGOING),
     * it carries IPv4 or IPv6 directly or behind one 802.1Q / 802.1ad tag, and either its
     * destination address is one of the VIPs, or its source is one of the NAT reals (a NAT real's
     * reply to translate) and its destination none of the local addresses (the host's own traffic
     * with the real, such as health checks, is only the kernel's). IPv4 addresses are the int the
     * wire carries, read big-endian; IPv6 addresses are (high, low) pairs in a long[], the first
     * and last 8 bytes read big-endian. No VIP address of either family: accepts nothing. A
     * family with neither VIPs nor NAT reals gets no code, so its frames are rejected.
     *
     * <pre>
     *      ld   #pkttype
     *      jeq  #PACKET_OUTGOING, reject
     *      ldh  [12]
     *      jeq  #0x0800, untagged4
     *      jeq  #0x86dd, untagged6
     *      jeq  #0x8100, tagged
     *      jeq  #0x88a8, tagged, reject
     * tagged:
     *      ldh  [16]
     *      jeq  #0x0800, tagged4
     *      jeq  #0x86dd, tagged6, reject
     * reject:
     *      ret  #0                        (placed early so every conditional jump stays short)
     * tagged4:
     *      ldx  #4                        (X: how far the tag moved the IP header)
     *      ja   ipv4
     * untagged4:
     *      ldx  #0
     *      ja   ipv4
     *      (tagged6, untagged6 the same, to ipv6)
     * ipv4:
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
     * ipv6:
     *      ld   [x+38]                    (the destination's first word; nine instructions per address)
     *      jeq  #vip1[0], next, skip1
     *      ld   [x+42]
     *      jeq  #vip1[1], next, skip1
     *      ld   [x+46]
     *      jeq  #vip1[2], next, skip1
     *      ld   [x+50]
     *      jeq  #vip1[3], next, skip1
     *      ret  #0x40000
     *      ...                            (locals, then NAT reals from [x+22], as for IPv4)
     *      ret  #0
     * </pre>
     *
     * @throws IllegalArgumentException when the addresses need more than the kernel's
     *                                  {@link #MAX_INSTRUCTIONS}, saying how many fit; when a
     *                                  long[] does not hold whole pairs.
     */
    public static ClassicBpfProgram vipFilter(
        final int[] vipAddresses, final int[] natRealAddresses, final int[] localAddresses,
        final long[] vipAddresses6, final long[] natRealAddresses6, final long[] localAddresses6)
    {
        final int[] vips = Arrays.stream(vipAddresses).distinct().toArray();
        final int[] reals = Arrays.stream(natRealAddresses).distinct().toArray();
        final int[] locals = reals.length == 0 ? new int[0] : Arrays.stream(localAddresses).distinct().toArray();
        final long[] vips6 = distinctPairs(vipAddresses6);
        final long[] reals6 = distinctPairs(natRealAddresses6);
        final long[] locals6 = reals6.length == 0 ? new long[0] : distinctPairs(localAddresses6);
        if (vips.length == 0 && vips6.length == 0)
        {
            return rejectAll();
        }
        final boolean ipv4 = vips.length + reals.length > 0;
        final boolean ipv6 = vips6.length + reals6.length > 0;
        requireRoom(ipv4, ipv6, vips.length + reals.length + locals.length, (vips6.length + reals6.length + locals6.length) / 2);

        final ClassicBpfAssembler asm = new ClassicBpfAssembler()
            .loadAncillary(ClassicBpfAssembler.SKF_AD_PKTTYPE)
            .jumpIfEqual(PACKET_OUTGOING, "reject", null)
            .loadHalf(ETHERTYPE_OFFSET);
        if (ipv4)
        {
            asm.jumpIfEqual(ETH_P_IP, "untagged4", null);
        }
        if (ipv6)
        {
            asm.jumpIfEqual(ETH_P_IPV6, "untagged6", null);
        }
        asm.jumpIfEqual(ETH_P_8021Q, "tagged", null)
            .jumpIfEqual(ETH_P_8021AD, "tagged", "reject")
            .label("tagged")
            .loadHalf(TAGGED_ETHERTYPE_OFFSET);
        if (ipv4)
        {
            asm.jumpIfEqual(ETH_P_IP, "tagged4", ipv6 ? null : "reject");
        }
        if (ipv6)
        {
            asm.jumpIfEqual(ETH_P_IPV6, "tagged6", "reject");
        }
        asm.label("reject").returnConstant(REJECT);
        for (final String family : ipv4 && ipv6 ? new String[]{ "4", "6" } : new String[]{ ipv4 ? "4" : "6" })
        {
            asm.label("tagged" + family).loadIndexConstant(TAG_LENGTH).jump("ipv" + family)
                .label("untagged" + family).loadIndexConstant(0).jump("ipv" + family);
        }

        if (ipv4)
        {
            asm.label("ipv4").loadWordIndexed(IPV4_DESTINATION_OFFSET);
            compareEach(asm, vips, ACCEPT_WHOLE_PACKET);
            if (reals.length > 0)
            {
                compareEach(asm, locals, REJECT);
                asm.loadWordIndexed(IPV4_SOURCE_OFFSET);
                compareEach(asm, reals, ACCEPT_WHOLE_PACKET);
            }
            asm.returnConstant(REJECT);
        }
        if (ipv6)
        {
            asm.label("ipv6");
            compareEach6(asm, IPV6_DESTINATION_OFFSET, vips6, ACCEPT_WHOLE_PACKET);
            compareEach6(asm, IPV6_DESTINATION_OFFSET, locals6, REJECT);
            compareEach6(asm, IPV6_SOURCE_OFFSET, reals6, ACCEPT_WHOLE_PACKET);
            asm.returnConstant(REJECT);
        }
        return asm.assemble();
    }

    /** Throws, saying how many addresses fit, when the filter would be longer than the kernel takes. */
    private static void requireRoom(final boolean ipv4, final boolean ipv6, final int ipv4Addresses, final int ipv6Addresses)
    {
        final int fixed = COMMON_INSTRUCTIONS + (ipv4 ? FAMILY_INSTRUCTIONS + IPV4_LOADS : 0) + (ipv6 ? FAMILY_INSTRUCTIONS : 0);
        final int room = MAX_INSTRUCTIONS - fixed;
        if (ipv4Addresses * IPV4_ADDRESS_INSTRUCTIONS + ipv6Addresses * IPV6_ADDRESS_INSTRUCTIONS <= room)
        {
            return;
        }
        if (ipv6Addresses == 0)
        {
            throw new IllegalArgumentException("a classic BPF filter holds at most " + MAX_FILTER_ADDRESSES +
                " addresses (VIPs, NAT reals and local addresses), asked for " + ipv4Addresses);
        }
        final int ipv6Fit = Math.max(0, (room - ipv4Addresses * IPV4_ADDRESS_INSTRUCTIONS) / IPV6_ADDRESS_INSTRUCTIONS);
        throw new IllegalArgumentException("a classic BPF filter holds at most " + MAX_FILTER_ADDRESSES +
            " IPv4 addresses or " + MAX_FILTER_IPV6_ADDRESSES + " IPv6 addresses (VIPs, NAT reals and local addresses; " +
            "an IPv6 address takes " + IPV6_ADDRESS_INSTRUCTIONS + " of the kernel's " + MAX_INSTRUCTIONS +
            " instructions, an IPv4 one " + IPV4_ADDRESS_INSTRUCTIONS + "): with " + ipv4Addresses + " IPv4 addresses, " +
            ipv6Fit + " IPv6 addresses fit, asked for " + ipv6Addresses);
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

    /**
     * For each (high, low) pair: if the 16 bytes at X + offset are that address, return
     * {@code verdict}. A word at a time, each mismatch skipping to the next address's first load.
     */
    private static void compareEach6(final ClassicBpfAssembler asm, final int offset, final long[] pairs, final int verdict)
    {
        for (int i = 0; i < pairs.length; i += 2)
        {
            final int[] words = { (int)(pairs[i] >>> 32), (int)pairs[i], (int)(pairs[i + 1] >>> 32), (int)pairs[i + 1] };
            for (int word = 0; word < 4; word++)
            {
                asm.loadWordIndexed(offset + 4 * word);
                final int toNextAddress = IPV6_ADDRESS_INSTRUCTIONS - 2 - 2 * word; // past this jump, the loads and jumps left, the return
                asm.instruction(ClassicBpfAssembler.BPF_JMP | ClassicBpfAssembler.BPF_JEQ | ClassicBpfAssembler.BPF_K,
                    0, toNextAddress, words[word]);
            }
            asm.returnConstant(verdict);
        }
    }

    /** The (high, low) pairs of {@code addresses}, each once, in their first order. */
    private static long[] distinctPairs(final long[] addresses)
    {
        if (addresses.length % 2 != 0)
        {
            throw new IllegalArgumentException(
                "IPv6 addresses are given as (high, low) pairs of longs, got an odd count: " + addresses.length);
        }
        final Set<List<Long>> seen = new LinkedHashSet<>();
        for (int i = 0; i < addresses.length; i += 2)
        {
            seen.add(List.of(addresses[i], addresses[i + 1]));
        }
        return seen.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
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
