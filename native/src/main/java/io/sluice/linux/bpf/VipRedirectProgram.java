package io.sluice.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

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
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The forwarder's XDP program and its maps. It sends to the AF_XDP socket of the queue a packet
 * arrived on ({@code bpf_redirect_map(xsks, rx_queue_index, XDP_PASS)}) exactly the packets whose
 * destination address, port and protocol are a VIP's (the {@link #vips()} map, which the
 * conductor keeps in step with the configuration), and the replies of NAT VIPs' reals, found by
 * their source address, port and protocol in the same map, unless they are addressed to this
 * host itself (a health check's answer, which is the kernel's). Everything else goes to the
 * kernel, so ARP, neighbour discovery, SSH and health checks keep working on the interface.
 * Every packet counts one {@link XdpVerdict} in a per-CPU array.
 *
 * <p>It reads Ethernet with up to two VLAN tags (802.1Q, 802.1ad), then IPv4 or IPv6:
 * <ul>
 *   <li>IPv4 with any header length, TCP or UDP ports, and ICMP (port 0 in the key); fragments
 *       are passed (later fragments carry no ports).</li>
 *   <li>IPv6 with TCP, UDP or ICMPv6 right after its 40-byte header. ICMPv6 echo requests and
 *       errors (types 128 and 1-4) are looked up with port 0 as ICMP is; every other ICMPv6
 *       message, neighbour discovery and MLD above all, is the kernel's whatever its address. A
 *       fragment header is passed as an IPv4 fragment is. A hop-by-hop, routing or destination
 *       options header stands where IPv4 options do, which the worker drops and counts: such a
 *       packet is looked up by its addresses alone (the ICMPv6 key, port 0), so it reaches the
 *       worker when it is to a VIP address or from a NAT real, unless ICMPv6 other than echo
 *       requests and errors follows the first such header (MLD carries a router alert). Any other
 *       next header is passed as IPv4's unknown protocols are.</li>
 * </ul>
 * The VIP key has room for an IPv6 address, so both families share one map:
 * <pre>
 *   0  address     16 bytes, network order (IPv4: the first 4, then zeros)
 *  16  port        u16, network order
 *  18  protocol    u8 (6 TCP, 17 UDP; 1 ICMP or 58 ICMPv6 with port 0: the address key, which
 *                  stands for every VIP on the address, so that the address answers pings)
 *  19  kind        u8: the IP version (4 or 6) for a VIP, matched by destination; the version
 *                  plus {@link #NAT_REAL} for a NAT real, matched by source; the version plus
 *                  {@link #LOCAL} for an address of this host (port and protocol 0)
 * </pre>
 * Packet fields are compared as the little-endian loads of their network-order bytes: EtherType
 * 0x0800 reads as 0x0008, and the address and port are stored into the key byte for byte.
 */
public final class VipRedirectProgram implements AutoCloseable
{
    public static final int KEY_LENGTH = 20;
    public static final int MAX_VIPS = 4096;
    /** Added to the kind byte of a NAT real's key. */
    public static final int NAT_REAL = 0x80;
    /** Added to the kind byte of a local address's key. */
    public static final int LOCAL = 0x40;

    /** ICMPv6, the protocol byte of an IPv6 address key (ICMP's is 1). */
    public static final int ICMPV6 = 58;

    /** The VIP key on the stack, and below it the verdict index for counter lookups. */
    static final int KEY_STACK_OFFSET = -24;
    static final int VERDICT_STACK_OFFSET = -28;
    /**
     * The packet's source port, source and destination address (16 bytes each, laid out as in
     * the key), kept for the NAT reply lookup, which rewrites the key.
     */
    static final int SOURCE_PORT_STACK_OFFSET = -32;
    static final int SOURCE_STACK_OFFSET = -48;
    static final int DESTINATION_STACK_OFFSET = -64;

    static final int IPV6_HEADER_LENGTH = 40;

    private final BpfMap vips;
    private final BpfMap xsks;
    private final BpfMap verdicts;
    private final LoadedProgram program;

    private VipRedirectProgram(final BpfMap vips, final BpfMap xsks, final BpfMap verdicts, final LoadedProgram program)
    {
        this.vips = vips;
        this.xsks = xsks;
        this.verdicts = verdicts;
        this.program = program;
    }

    /** Creates the maps and loads the program for an interface with {@code queues} queues. */
    public static VipRedirectProgram load(final int queues)
    {
        BpfMap vips = null;
        BpfMap xsks = null;
        BpfMap verdicts = null;
        try
        {
            vips = BpfMap.createHash("sluice_vips", KEY_LENGTH, Integer.BYTES, MAX_VIPS);
            xsks = BpfMap.createXskMap("sluice_xsks", queues);
            verdicts = BpfMap.createPerCpuArray("sluice_verdicts", Long.BYTES, XdpVerdict.values().length);
            final LoadedProgram program = LoadedProgram.loadXdp("sluice_vip", code(vips, xsks, verdicts));
            return new VipRedirectProgram(vips, xsks, verdicts, program);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(verdicts);
            closeQuietly(xsks);
            closeQuietly(vips);
            throw ex;
        }
    }

    public LoadedProgram program()
    {
        return program;
    }

    public BpfMap vips()
    {
        return vips;
    }

    public BpfMap xsks()
    {
        return xsks;
    }

    public BpfMap verdicts()
    {
        return verdicts;
    }

    public void addIpv4Vip(final int address, final int port, final int protocol)
    {
        update(ipv4High(address), 0, port, protocol, 4);
    }

    /** @return false when it was not there. */
    public boolean removeIpv4Vip(final int address, final int port, final int protocol)
    {
        return delete(ipv4High(address), 0, port, protocol, 4);
    }

    /** Also sends replies from this NAT real's address, port and protocol to the workers. */
    public void addNatReal(final int address, final int port, final int protocol)
    {
        update(ipv4High(address), 0, port, protocol, 4 + NAT_REAL);
    }

    /** @return false when it was not there. */
    public boolean removeNatReal(final int address, final int port, final int protocol)
    {
        return delete(ipv4High(address), 0, port, protocol, 4 + NAT_REAL);
    }

    /** An address of this host: a NAT real's packets to it are the kernel's (health checks), not a client's replies. */
    public void addLocalAddress(final int address)
    {
        update(ipv4High(address), 0, 0, 0, 4 + LOCAL);
    }

    /** @return false when it was not there. */
    public boolean removeLocalAddress(final int address)
    {
        return delete(ipv4High(address), 0, 0, 0, 4 + LOCAL);
    }

    /**
     * An IPv6 VIP, the address as its first and last 8 bytes read big-endian. Add the address
     * key {@code (high, low, 0, ICMPV6)} for each VIP address too: it brings the address's pings
     * and ICMPv6 errors, and its packets with extension headers, to the workers.
     */
    public void addIpv6Vip(final long high, final long low, final int port, final int protocol)
    {
        update(high, low, port, protocol, 6);
    }

    /** @return false when it was not there. */
    public boolean removeIpv6Vip(final long high, final long low, final int port, final int protocol)
    {
        return delete(high, low, port, protocol, 6);
    }

    /** As {@link #addNatReal}, for a real with an IPv6 address ({@code (high, low, 0, ICMPV6)} for its ICMPv6 errors). */
    public void addIpv6NatReal(final long high, final long low, final int port, final int protocol)
    {
        update(high, low, port, protocol, 6 + NAT_REAL);
    }

    /** @return false when it was not there. */
    public boolean removeIpv6NatReal(final long high, final long low, final int port, final int protocol)
    {
        return delete(high, low, port, protocol, 6 + NAT_REAL);
    }

    /** As {@link #addLocalAddress}, for an IPv6 address of this host. */
    public void addIpv6LocalAddress(final long high, final long low)
    {
        update(high, low, 0, 0, 6 + LOCAL);
    }

    /** @return false when it was not there. */
    public boolean removeIpv6LocalAddress(final long high, final long low)
    {
        return delete(high, low, 0, 0, 6 + LOCAL);
    }

    private void update(final long high, final long low, final int port, final int protocol, final int kind)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment key = arena.allocate(KEY_LENGTH);
            writeKey(key, high, low, port, protocol, kind);
            vips.update(key, arena.allocateFrom(JAVA_INT, 0));
        }
    }

    private boolean delete(final long high, final long low, final int port, final int protocol, final int kind)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment key = arena.allocate(KEY_LENGTH);
            writeKey(key, high, low, port, protocol, kind);
            return vips.delete(key);
        }
    }

    /** Sends the queue's VIP packets to this AF_XDP socket. */
    public void bindQueue(final int queueId, final int xskFd)
    {
        xsks.updateInt(queueId, xskFd);
    }

    /** @return how many packets, on all CPUs, got this verdict since the program was loaded. */
    public long count(final XdpVerdict verdict)
    {
        return verdicts.sumPerCpuLong(verdict.index());
    }

    /** Writes the map key of an IPv4 VIP (see the class comment for the layout). */
    public static void writeIpv4Key(final MemorySegment key, final int address, final int port, final int protocol)
    {
        writeKey(key, ipv4High(address), 0, port, protocol, 4);
    }

    /** Writes the map key of an IPv6 VIP, the address as its first and last 8 bytes read big-endian. */
    public static void writeIpv6Key(final MemorySegment key, final long high, final long low, final int port, final int protocol)
    {
        writeKey(key, high, low, port, protocol, 6);
    }

    /** An IPv4 address's key bytes are those of an IPv6 address whose first 4 bytes are it and the rest zeros. */
    private static long ipv4High(final int address)
    {
        return (address & 0xFFFF_FFFFL) << 32;
    }

    private static void writeKey(
        final MemorySegment key, final long high, final long low, final int port, final int protocol, final int kind)
    {
        key.set(JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0, high);
        key.set(JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 8, low);
        key.set(JAVA_BYTE, 16, (byte)(port >>> 8));
        key.set(JAVA_BYTE, 17, (byte)port);
        key.set(JAVA_BYTE, 18, (byte)protocol);
        key.set(JAVA_BYTE, 19, (byte)kind);
    }

    /** The program, for the maps given. */
    static BpfAssembler code(final BpfMap vips, final BpfMap xsks, final BpfMap verdicts)
    {
        final BpfAssembler a = new BpfAssembler();
        // The key and the saved addresses start as zeros: an IPv4 address fills only their first 4 bytes.
        a.movReg(R6, R1)
            .loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .storeDoubleImm(R10, KEY_STACK_OFFSET, 0)
            .storeDoubleImm(R10, KEY_STACK_OFFSET + 8, 0)
            .storeWordImm(R10, KEY_STACK_OFFSET + 16, 0)
            .storeWordImm(R10, SOURCE_PORT_STACK_OFFSET, 0)
            .storeDoubleImm(R10, SOURCE_STACK_OFFSET, 0)
            .storeDoubleImm(R10, SOURCE_STACK_OFFSET + 8, 0)
            .storeDoubleImm(R10, DESTINATION_STACK_OFFSET, 0)
            .storeDoubleImm(R10, DESTINATION_STACK_OFFSET + 8, 0);

        // Ethernet, then up to two VLAN tags; r7 walks the packet, r5 holds the EtherType seen.
        a.movReg(R7, R2).add(R7, 14).jumpIfGreaterReg(R7, R3, "malformed")
            .loadHalf(R5, R2, 12)
            .jumpIfEqual(R5, 0x0081, "tag1")
            .jumpIfEqual(R5, 0xa888, "tag1")
            .jump("l3")
            .label("tag1")
            .movReg(R4, R7).add(R4, 4).jumpIfGreaterReg(R4, R3, "malformed")
            .loadHalf(R5, R7, 2).add(R7, 4)
            .jumpIfNotEqual(R5, 0x0081, "l3")
            .movReg(R4, R7).add(R4, 4).jumpIfGreaterReg(R4, R3, "malformed")
            .loadHalf(R5, R7, 2).add(R7, 4);

        // From here to the lookups: r7 is the transport header, r8 the protocol, r9 the IP version.
        a.label("l3")
            .jumpIfEqual(R5, 0xdd86, "ipv6")
            .jumpIfNotEqual(R5, 0x0008, "not_ip");

        // IPv4: version, header length, fragments, protocol, addresses.
        a.movReg(R4, R7).add(R4, 20).jumpIfGreaterReg(R4, R3, "malformed")
            .loadByte(R5, R7, 0)
            .movReg(R4, R5).and(R4, 0xf0).jumpIfNotEqual(R4, 0x40, "malformed")
            .and(R5, 0x0f).jumpIfLess(R5, 5, "malformed")
            .loadHalf(R4, R7, 6).jumpIfAnySet(R4, 0xff3f, "fragment")
            .loadByte(R8, R7, 9)
            .loadWord(R4, R7, 12)
            .storeWord(R10, SOURCE_STACK_OFFSET, R4)
            .loadWord(R4, R7, 16)
            .storeWord(R10, DESTINATION_STACK_OFFSET, R4)
            .storeWord(R10, KEY_STACK_OFFSET, R4)
            .storeByte(R10, KEY_STACK_OFFSET + 18, R8)
            .mov(R9, 4)
            .storeByte(R10, KEY_STACK_OFFSET + 19, R9)
            .lsh(R5, 2)
            .addReg(R7, R5)
            .jumpIfEqual(R8, 6, "ports")
            .jumpIfEqual(R8, 17, "ports")
            .jumpIfEqual(R8, 1, "lookup")
            .jump("not_vip");

        // IPv6: version, next header, addresses; the transport header right after the fixed one.
        a.label("ipv6")
            .movReg(R4, R7).add(R4, IPV6_HEADER_LENGTH).jumpIfGreaterReg(R4, R3, "malformed")
            .loadByte(R5, R7, 0)
            .and(R5, 0xf0).jumpIfNotEqual(R5, 0x60, "malformed")
            .loadByte(R8, R7, 6);
        copyIpv6Address(a, 8, SOURCE_STACK_OFFSET);
        copyIpv6Address(a, 24, DESTINATION_STACK_OFFSET);
        a.loadDouble(R4, R10, DESTINATION_STACK_OFFSET).storeDouble(R10, KEY_STACK_OFFSET, R4)
            .loadDouble(R4, R10, DESTINATION_STACK_OFFSET + 8).storeDouble(R10, KEY_STACK_OFFSET + 8, R4)
            .storeByte(R10, KEY_STACK_OFFSET + 18, R8)
            .mov(R9, 6)
            .storeByte(R10, KEY_STACK_OFFSET + 19, R9)
            .add(R7, IPV6_HEADER_LENGTH)
            .jumpIfEqual(R8, 6, "ports")
            .jumpIfEqual(R8, 17, "ports")
            .jumpIfEqual(R8, ICMPV6, "icmpv6")
            .jumpIfEqual(R8, 44, "fragment")
            .jumpIfEqual(R8, 0, "ipv6_options")     // hop-by-hop
            .jumpIfEqual(R8, 43, "ipv6_options")    // routing
            .jumpIfEqual(R8, 60, "ipv6_options")    // destination options
            .jump("not_vip");

        // The IPv6 counterpart of IPv4 options: looked up with the address key (port 0, ICMPv6),
        // so the worker gets it to count its drop, unless the kernel's ICMPv6 follows (MLD comes
        // behind a hop-by-hop router alert). Only the first such header is read.
        a.label("ipv6_options")
            .storeByteImm(R10, KEY_STACK_OFFSET + 18, ICMPV6)
            .movReg(R4, R7).add(R4, 2).jumpIfGreaterReg(R4, R3, "malformed")
            .loadByte(R8, R7, 0)
            .loadByte(R5, R7, 1).add(R5, 1).lsh(R5, 3)
            .addReg(R7, R5)
            .jumpIfNotEqual(R8, ICMPV6, "lookup");

        // ICMPv6: echo requests (128) and errors (1 unreachable, 2 too big, 3 time exceeded,
        // 4 parameter problem) as ICMP is; neighbour discovery, MLD and the rest to the kernel.
        a.label("icmpv6")
            .movReg(R4, R7).add(R4, 4).jumpIfGreaterReg(R4, R3, "malformed")
            .loadByte(R4, R7, 0)
            .jumpIfEqual(R4, 128, "lookup")
            .jumpIfEqual(R4, 0, "not_vip")
            .jumpIfLess(R4, 5, "lookup")
            .jump("not_vip");

        // TCP or UDP ports.
        a.label("ports")
            .movReg(R4, R7).add(R4, 4).jumpIfGreaterReg(R4, R3, "malformed")
            .loadHalf(R4, R7, 2)
            .storeHalf(R10, KEY_STACK_OFFSET + 16, R4)
            .loadHalf(R4, R7, 0)
            .storeHalf(R10, SOURCE_PORT_STACK_OFFSET, R4);

        // A VIP? Then to the queue's socket, or to the kernel when the queue has none. ICMP comes
        // here with port 0: the key {address, 0, 1 or 58} stands for every VIP on that address.
        a.label("lookup").loadMap(R1, vips).movReg(R2, R10).add(R2, KEY_STACK_OFFSET).call(BpfHelper.MAP_LOOKUP_ELEM)
            .jumpIfEqual(R0, 0, "nat_real")
            .label("redirect")
            .loadMap(R1, xsks).loadWord(R2, R6, XdpMd.RX_QUEUE_INDEX).mov(R3, LoadedProgram.XDP_PASS)
            .call(BpfHelper.REDIRECT_MAP)
            .movReg(R7, R0)
            .jumpIfEqual(R7, LoadedProgram.XDP_REDIRECT, "redirected");
        count(a, verdicts, XdpVerdict.NO_SOCKET);
        a.movReg(R0, R7).exit();
        a.label("redirected");
        count(a, verdicts, XdpVerdict.REDIRECTED);
        a.movReg(R0, R7).exit();

        // Not a VIP: from a NAT real (its source as the key; ICMP with port 0, for the errors a
        // real sends clients), and not to this host? Then a reply for the workers to translate back.
        a.label("nat_real")
            .loadDouble(R4, R10, SOURCE_STACK_OFFSET).storeDouble(R10, KEY_STACK_OFFSET, R4)
            .loadDouble(R4, R10, SOURCE_STACK_OFFSET + 8).storeDouble(R10, KEY_STACK_OFFSET + 8, R4)
            .loadHalf(R4, R10, SOURCE_PORT_STACK_OFFSET).storeHalf(R10, KEY_STACK_OFFSET + 16, R4)
            .movReg(R4, R9).add(R4, NAT_REAL).storeByte(R10, KEY_STACK_OFFSET + 19, R4)
            .loadMap(R1, vips).movReg(R2, R10).add(R2, KEY_STACK_OFFSET).call(BpfHelper.MAP_LOOKUP_ELEM)
            .jumpIfEqual(R0, 0, "not_vip")
            .loadDouble(R4, R10, DESTINATION_STACK_OFFSET).storeDouble(R10, KEY_STACK_OFFSET, R4)
            .loadDouble(R4, R10, DESTINATION_STACK_OFFSET + 8).storeDouble(R10, KEY_STACK_OFFSET + 8, R4)
            .storeWordImm(R10, KEY_STACK_OFFSET + 16, 0)
            .movReg(R4, R9).add(R4, LOCAL).storeByte(R10, KEY_STACK_OFFSET + 19, R4)
            .loadMap(R1, vips).movReg(R2, R10).add(R2, KEY_STACK_OFFSET).call(BpfHelper.MAP_LOOKUP_ELEM)
            .jumpIfEqual(R0, 0, "redirect");
        passWith(a, verdicts, "not_vip", XdpVerdict.NOT_A_VIP);
        passWith(a, verdicts, "not_ip", XdpVerdict.NOT_IP);
        passWith(a, verdicts, "fragment", XdpVerdict.FRAGMENT);
        passWith(a, verdicts, "malformed", XdpVerdict.MALFORMED);
        return a;
    }

    /** Copies the 16 bytes at r7 + offset (checked already) to the stack, a word at a time as the IPv4 loads are. */
    private static void copyIpv6Address(final BpfAssembler a, final int packetOffset, final int stackOffset)
    {
        for (int i = 0; i < 16; i += 4)
        {
            a.loadWord(R4, R7, packetOffset + i).storeWord(R10, stackOffset + i, R4);
        }
    }

    private static void passWith(
        final BpfAssembler a, final BpfMap verdicts, final String label, final XdpVerdict verdict)
    {
        a.label(label);
        count(a, verdicts, verdict);
        a.mov(R0, LoadedProgram.XDP_PASS).exit();
    }

    /** Adds one to this CPU's counter of the verdict; clobbers r0-r5. */
    private static void count(final BpfAssembler a, final BpfMap verdicts, final XdpVerdict verdict)
    {
        count(a, verdicts, verdict.index(), verdict.label());
    }

    /**
     * Adds one to this CPU's counter at {@code index} of a per-CPU array of longs; clobbers r0-r5
     * and the stack word at {@link #VERDICT_STACK_OFFSET}. Shared by sluice's XDP programs.
     */
    static void count(final BpfAssembler a, final BpfMap verdicts, final int index, final String label)
    {
        final String skip = "counted_" + label;
        a.storeWordImm(R10, VERDICT_STACK_OFFSET, index)
            .loadMap(R1, verdicts).movReg(R2, R10).add(R2, VERDICT_STACK_OFFSET).call(BpfHelper.MAP_LOOKUP_ELEM)
            .jumpIfEqual(R0, 0, skip)
            .loadDouble(R1, R0, 0).add(R1, 1).storeDouble(R0, 0, R1)
            .label(skip);
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        if (closeable != null)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignored)
            {
                // closing what a failed load made; the load's own exception is the one to report
            }
        }
    }

    @Override
    public void close()
    {
        program.close();
        verdicts.close();
        xsks.close();
        vips.close();
    }
}
