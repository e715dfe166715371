package io.sluice.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The forwarder's XDP program and its maps. It sends to the AF_XDP socket of the queue a packet
 * arrived on ({@code bpf_redirect_map(xsks, rx_queue_index, XDP_PASS)}) exactly the packets whose
 * destination address, port and protocol are a VIP's (the {@link #vips()} map, which the
 * conductor keeps in step with the configuration), and the replies of NAT VIPs' reals, found by
 * their source address, port and protocol in the same map, unless they are addressed to this
 * host itself (a health check's answer, which is the kernel's). Everything else goes to the
 * kernel, so ARP, SSH and health checks keep working on the interface. Every packet counts one
 * {@link XdpVerdict} in a per-CPU array.
 *
 * <p>It reads Ethernet with up to two VLAN tags (802.1Q, 802.1ad), IPv4 with any header length,
 * TCP or UDP ports, and ICMP (port 0 in the key); fragments are passed (later fragments carry no ports). The VIP key has
 * room for an IPv6 address so IPv6 VIPs need no new map layout:
 * <pre>
 *   0  address     16 bytes, network order (IPv4: the first 4, then zeros)
 *  16  port        u16, network order
 *  18  protocol    u8 (6 TCP, 17 UDP, 1 ICMP with port 0: the VIP address answers pings)
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

    /** The VIP key on the stack, and below it the verdict index for counter lookups. */
    static final int KEY_STACK_OFFSET = -24;
    static final int VERDICT_STACK_OFFSET = -28;
    /** The packet's IPv4 source and destination and its source port, kept for the NAT reply lookup. */
    static final int SOURCE_STACK_OFFSET = -32;
    static final int DESTINATION_STACK_OFFSET = -36;
    static final int SOURCE_PORT_STACK_OFFSET = -40;

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
        update(address, port, protocol, 4);
    }

    /** @return false when it was not there. */
    public boolean removeIpv4Vip(final int address, final int port, final int protocol)
    {
        return delete(address, port, protocol, 4);
    }

    /** Also sends replies from this NAT real's address, port and protocol to the workers. */
    public void addNatReal(final int address, final int port, final int protocol)
    {
        update(address, port, protocol, 4 + NAT_REAL);
    }

    /** @return false when it was not there. */
    public boolean removeNatReal(final int address, final int port, final int protocol)
    {
        return delete(address, port, protocol, 4 + NAT_REAL);
    }

    /** An address of this host: a NAT real's packets to it are the kernel's (health checks), not a client's replies. */
    public void addLocalAddress(final int address)
    {
        update(address, 0, 0, 4 + LOCAL);
    }

    /** @return false when it was not there. */
    public boolean removeLocalAddress(final int address)
    {
        return delete(address, 0, 0, 4 + LOCAL);
    }

    private void update(final int address, final int port, final int protocol, final int kind)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment key = arena.allocate(KEY_LENGTH);
            writeIpv4Key(key, address, port, protocol);
            key.set(JAVA_BYTE, 19, (byte)kind);
            vips.update(key, arena.allocateFrom(JAVA_INT, 0));
        }
    }

    private boolean delete(final int address, final int port, final int protocol, final int kind)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment key = arena.allocate(KEY_LENGTH);
            writeIpv4Key(key, address, port, protocol);
            key.set(JAVA_BYTE, 19, (byte)kind);
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
        key.asSlice(0, KEY_LENGTH).fill((byte)0);
        key.set(JAVA_BYTE, 0, (byte)(address >>> 24));
        key.set(JAVA_BYTE, 1, (byte)(address >>> 16));
        key.set(JAVA_BYTE, 2, (byte)(address >>> 8));
        key.set(JAVA_BYTE, 3, (byte)address);
        key.set(JAVA_BYTE, 16, (byte)(port >>> 8));
        key.set(JAVA_BYTE, 17, (byte)port);
        key.set(JAVA_BYTE, 18, (byte)protocol);
        key.set(JAVA_BYTE, 19, (byte)4);
    }

    /** The program, for the maps given. */
    static BpfAssembler code(final BpfMap vips, final BpfMap xsks, final BpfMap verdicts)
    {
        final BpfAssembler a = new BpfAssembler();
        a.movReg(R6, R1)
            .loadWord(R2, R6, XdpMd.DATA)
            .loadWord(R3, R6, XdpMd.DATA_END)
            .storeDoubleImm(R10, KEY_STACK_OFFSET, 0)
            .storeDoubleImm(R10, KEY_STACK_OFFSET + 8, 0)
            .storeWordImm(R10, KEY_STACK_OFFSET + 16, 0)
            .storeWordImm(R10, SOURCE_PORT_STACK_OFFSET, 0);

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

        // IPv4: version, header length, fragments, protocol, destination address.
        a.label("l3")
            .jumpIfNotEqual(R5, 0x0008, "not_ipv4")
            .movReg(R4, R7).add(R4, 20).jumpIfGreaterReg(R4, R3, "malformed")
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
            .storeByteImm(R10, KEY_STACK_OFFSET + 19, 4)
            .jumpIfEqual(R8, 6, "ports")
            .jumpIfEqual(R8, 1, "lookup")
            .jumpIfNotEqual(R8, 17, "not_vip");

        // TCP or UDP destination port, after the header's own length.
        a.label("ports")
            .lsh(R5, 2)
            .addReg(R7, R5)
            .movReg(R4, R7).add(R4, 4).jumpIfGreaterReg(R4, R3, "malformed")
            .loadHalf(R4, R7, 2)
            .storeHalf(R10, KEY_STACK_OFFSET + 16, R4)
            .loadHalf(R4, R7, 0)
            .storeHalf(R10, SOURCE_PORT_STACK_OFFSET, R4);

        // A VIP? Then to the queue's socket, or to the kernel when the queue has none. ICMP comes
        // here with port 0: the key {address, 0, 1} stands for every VIP on that address.
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
            .loadWord(R4, R10, SOURCE_STACK_OFFSET).storeWord(R10, KEY_STACK_OFFSET, R4)
            .loadHalf(R4, R10, SOURCE_PORT_STACK_OFFSET).storeHalf(R10, KEY_STACK_OFFSET + 16, R4)
            .storeByteImm(R10, KEY_STACK_OFFSET + 19, 4 + NAT_REAL)
            .loadMap(R1, vips).movReg(R2, R10).add(R2, KEY_STACK_OFFSET).call(BpfHelper.MAP_LOOKUP_ELEM)
            .jumpIfEqual(R0, 0, "not_vip")
            .loadWord(R4, R10, DESTINATION_STACK_OFFSET).storeWord(R10, KEY_STACK_OFFSET, R4)
            .storeWordImm(R10, KEY_STACK_OFFSET + 16, 0)
            .storeByteImm(R10, KEY_STACK_OFFSET + 19, 4 + LOCAL)
            .loadMap(R1, vips).movReg(R2, R10).add(R2, KEY_STACK_OFFSET).call(BpfHelper.MAP_LOOKUP_ELEM)
            .jumpIfEqual(R0, 0, "redirect");
        passWith(a, verdicts, "not_vip", XdpVerdict.NOT_A_VIP);
        passWith(a, verdicts, "not_ipv4", XdpVerdict.NOT_IPV4);
        passWith(a, verdicts, "fragment", XdpVerdict.FRAGMENT);
        passWith(a, verdicts, "malformed", XdpVerdict.MALFORMED);
        return a;
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
