package io.sluice.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Emits eBPF instructions with named jump targets, so nobody counts instructions by hand.
 *
 * <p>An instruction is 8 bytes: opcode, destination and source register (4 bits each), a signed
 * 16-bit offset and a signed 32-bit immediate ({@code struct bpf_insn}); 64-bit immediates take
 * two. Instructions are kept as longs in that layout for a little-endian host, which is what
 * bpf(BPF_PROG_LOAD) reads on x86_64 and aarch64. Jumps are relative to the next instruction;
 * {@link #assemble()} resolves labels and names any that is undefined or out of reach.
 * Opcodes are those of {@code linux/bpf.h} and {@code linux/bpf_common.h}.
 */
public final class BpfAssembler
{
    public static final int R0 = 0;
    public static final int R1 = 1;
    public static final int R2 = 2;
    public static final int R3 = 3;
    public static final int R4 = 4;
    public static final int R5 = 5;
    public static final int R6 = 6;
    public static final int R7 = 7;
    public static final int R8 = 8;
    public static final int R9 = 9;
    /** The read-only frame pointer; the program's 512-byte stack lies below it. */
    public static final int R10 = 10;

    static final int BPF_LD = 0x00;
    static final int BPF_LDX = 0x01;
    static final int BPF_ST = 0x02;
    static final int BPF_STX = 0x03;
    static final int BPF_ALU = 0x04;
    static final int BPF_JMP = 0x05;
    static final int BPF_ALU64 = 0x07;

    static final int BPF_W = 0x00;
    static final int BPF_H = 0x08;
    static final int BPF_B = 0x10;
    static final int BPF_DW = 0x18;
    static final int BPF_IMM = 0x00;
    static final int BPF_MEM = 0x60;

    static final int BPF_ADD = 0x00;
    static final int BPF_SUB = 0x10;
    static final int BPF_OR = 0x40;
    static final int BPF_AND = 0x50;
    static final int BPF_LSH = 0x60;
    static final int BPF_RSH = 0x70;
    static final int BPF_XOR = 0xa0;
    static final int BPF_MOV = 0xb0;
    static final int BPF_END = 0xd0;
    static final int BPF_K = 0x00;
    static final int BPF_X = 0x08;
    static final int BPF_TO_LE = 0x00;
    static final int BPF_TO_BE = 0x08;

    static final int BPF_JA = 0x00;
    static final int BPF_JEQ = 0x10;
    static final int BPF_JGT = 0x20;
    static final int BPF_JGE = 0x30;
    static final int BPF_JSET = 0x40;
    static final int BPF_JNE = 0x50;
    static final int BPF_CALL = 0x80;
    static final int BPF_EXIT = 0x90;
    static final int BPF_JLT = 0xa0;
    static final int BPF_JLE = 0xb0;

    /** Source register value of an LD_IMM64 whose immediate is a map's fd. */
    static final int BPF_PSEUDO_MAP_FD = 1;

    private final List<Long> instructions = new ArrayList<>();
    private final Map<Integer, String> jumps = new HashMap<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** Marks the next instruction as the target {@code name}. */
    public BpfAssembler label(final String name)
    {
        if (labels.putIfAbsent(name, instructions.size()) != null)
        {
            throw new IllegalStateException("label '" + name + "' is defined twice");
        }
        return this;
    }

    // ALU, 64-bit: dst op= imm (sign-extended to 64 bits) or dst op= src
    public BpfAssembler mov(final int dst, final int imm)
    {
        return aluImm(BPF_ALU64, BPF_MOV, dst, imm);
    }

    public BpfAssembler movReg(final int dst, final int src)
    {
        return aluReg(BPF_ALU64, BPF_MOV, dst, src);
    }

    public BpfAssembler add(final int dst, final int imm)
    {
        return aluImm(BPF_ALU64, BPF_ADD, dst, imm);
    }

    public BpfAssembler addReg(final int dst, final int src)
    {
        return aluReg(BPF_ALU64, BPF_ADD, dst, src);
    }

    public BpfAssembler sub(final int dst, final int imm)
    {
        return aluImm(BPF_ALU64, BPF_SUB, dst, imm);
    }

    public BpfAssembler subReg(final int dst, final int src)
    {
        return aluReg(BPF_ALU64, BPF_SUB, dst, src);
    }

    public BpfAssembler and(final int dst, final int imm)
    {
        return aluImm(BPF_ALU64, BPF_AND, dst, imm);
    }

    public BpfAssembler andReg(final int dst, final int src)
    {
        return aluReg(BPF_ALU64, BPF_AND, dst, src);
    }

    public BpfAssembler or(final int dst, final int imm)
    {
        return aluImm(BPF_ALU64, BPF_OR, dst, imm);
    }

    public BpfAssembler orReg(final int dst, final int src)
    {
        return aluReg(BPF_ALU64, BPF_OR, dst, src);
    }

    public BpfAssembler xor(final int dst, final int imm)
    {
        return aluImm(BPF_ALU64, BPF_XOR, dst, imm);
    }

    public BpfAssembler xorReg(final int dst, final int src)
    {
        return aluReg(BPF_ALU64, BPF_XOR, dst, src);
    }

    public BpfAssembler lsh(final int dst, final int imm)
    {
        return aluImm(BPF_ALU64, BPF_LSH, dst, imm);
    }

    public BpfAssembler lshReg(final int dst, final int src)
    {
        return aluReg(BPF_ALU64, BPF_LSH, dst, src);
    }

    /** Logical (unsigned) shift right. */
    public BpfAssembler rsh(final int dst, final int imm)
    {
        return aluImm(BPF_ALU64, BPF_RSH, dst, imm);
    }

    public BpfAssembler rshReg(final int dst, final int src)
    {
        return aluReg(BPF_ALU64, BPF_RSH, dst, src);
    }

    // ALU, 32-bit: the same operations on the low halves; the result is zero-extended to 64 bits
    public BpfAssembler mov32(final int dst, final int imm)
    {
        return aluImm(BPF_ALU, BPF_MOV, dst, imm);
    }

    public BpfAssembler mov32Reg(final int dst, final int src)
    {
        return aluReg(BPF_ALU, BPF_MOV, dst, src);
    }

    public BpfAssembler add32(final int dst, final int imm)
    {
        return aluImm(BPF_ALU, BPF_ADD, dst, imm);
    }

    public BpfAssembler add32Reg(final int dst, final int src)
    {
        return aluReg(BPF_ALU, BPF_ADD, dst, src);
    }

    public BpfAssembler sub32(final int dst, final int imm)
    {
        return aluImm(BPF_ALU, BPF_SUB, dst, imm);
    }

    public BpfAssembler sub32Reg(final int dst, final int src)
    {
        return aluReg(BPF_ALU, BPF_SUB, dst, src);
    }

    public BpfAssembler and32(final int dst, final int imm)
    {
        return aluImm(BPF_ALU, BPF_AND, dst, imm);
    }

    public BpfAssembler and32Reg(final int dst, final int src)
    {
        return aluReg(BPF_ALU, BPF_AND, dst, src);
    }

    public BpfAssembler or32(final int dst, final int imm)
    {
        return aluImm(BPF_ALU, BPF_OR, dst, imm);
    }

    public BpfAssembler or32Reg(final int dst, final int src)
    {
        return aluReg(BPF_ALU, BPF_OR, dst, src);
    }

    public BpfAssembler lsh32(final int dst, final int imm)
    {
        return aluImm(BPF_ALU, BPF_LSH, dst, imm);
    }

    public BpfAssembler lsh32Reg(final int dst, final int src)
    {
        return aluReg(BPF_ALU, BPF_LSH, dst, src);
    }

    public BpfAssembler rsh32(final int dst, final int imm)
    {
        return aluImm(BPF_ALU, BPF_RSH, dst, imm);
    }

    public BpfAssembler rsh32Reg(final int dst, final int src)
    {
        return aluReg(BPF_ALU, BPF_RSH, dst, src);
    }

    /**
     * Converts the low {@code bits} (16, 32 or 64) of {@code dst} from host order to big-endian
     * (network order), zeroing the bits above: a swap on a little-endian host.
     */
    public BpfAssembler toBigEndian(final int dst, final int bits)
    {
        return byteSwap(BPF_TO_BE, dst, bits);
    }

    /**
     * Converts the low {@code bits} (16, 32 or 64) of {@code dst} from host order to little-endian,
     * zeroing the bits above: on a little-endian host only the truncation.
     */
    public BpfAssembler toLittleEndian(final int dst, final int bits)
    {
        return byteSwap(BPF_TO_LE, dst, bits);
    }

    // Memory: dst = *(size *)(src + offset), *(size *)(dst + offset) = src or imm
    public BpfAssembler loadByte(final int dst, final int src, final int offset)
    {
        return emit(BPF_LDX | BPF_MEM | BPF_B, dst, src, offset, 0);
    }

    public BpfAssembler loadHalf(final int dst, final int src, final int offset)
    {
        return emit(BPF_LDX | BPF_MEM | BPF_H, dst, src, offset, 0);
    }

    public BpfAssembler loadWord(final int dst, final int src, final int offset)
    {
        return emit(BPF_LDX | BPF_MEM | BPF_W, dst, src, offset, 0);
    }

    public BpfAssembler loadDouble(final int dst, final int src, final int offset)
    {
        return emit(BPF_LDX | BPF_MEM | BPF_DW, dst, src, offset, 0);
    }

    public BpfAssembler storeByte(final int dst, final int offset, final int src)
    {
        return emit(BPF_STX | BPF_MEM | BPF_B, dst, src, offset, 0);
    }

    public BpfAssembler storeHalf(final int dst, final int offset, final int src)
    {
        return emit(BPF_STX | BPF_MEM | BPF_H, dst, src, offset, 0);
    }

    public BpfAssembler storeWord(final int dst, final int offset, final int src)
    {
        return emit(BPF_STX | BPF_MEM | BPF_W, dst, src, offset, 0);
    }

    public BpfAssembler storeDouble(final int dst, final int offset, final int src)
    {
        return emit(BPF_STX | BPF_MEM | BPF_DW, dst, src, offset, 0);
    }

    public BpfAssembler storeByteImm(final int dst, final int offset, final int imm)
    {
        return emit(BPF_ST | BPF_MEM | BPF_B, dst, 0, offset, imm);
    }

    public BpfAssembler storeHalfImm(final int dst, final int offset, final int imm)
    {
        return emit(BPF_ST | BPF_MEM | BPF_H, dst, 0, offset, imm);
    }

    public BpfAssembler storeWordImm(final int dst, final int offset, final int imm)
    {
        return emit(BPF_ST | BPF_MEM | BPF_W, dst, 0, offset, imm);
    }

    public BpfAssembler storeDoubleImm(final int dst, final int offset, final int imm)
    {
        return emit(BPF_ST | BPF_MEM | BPF_DW, dst, 0, offset, imm);
    }

    /** {@code dst = map}: the two-slot LD_IMM64 the kernel rewrites to the map's address at load. */
    public BpfAssembler loadMap(final int dst, final BpfMap map)
    {
        return loadMapFd(dst, map.fd());
    }

    public BpfAssembler loadMapFd(final int dst, final int mapFd)
    {
        emit(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, mapFd);
        return emit(0, 0, 0, 0, 0);
    }

    // Jumps, 64-bit unsigned compares against an immediate (sign-extended) or a register
    public BpfAssembler jump(final String label)
    {
        return jumpTo(BPF_JMP | BPF_JA, 0, 0, 0, label);
    }

    public BpfAssembler jumpIfEqual(final int dst, final int imm, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, imm, label);
    }

    public BpfAssembler jumpIfNotEqual(final int dst, final int imm, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JNE | BPF_K, dst, 0, imm, label);
    }

    public BpfAssembler jumpIfGreater(final int dst, final int imm, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JGT | BPF_K, dst, 0, imm, label);
    }

    public BpfAssembler jumpIfGreaterOrEqual(final int dst, final int imm, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JGE | BPF_K, dst, 0, imm, label);
    }

    public BpfAssembler jumpIfLess(final int dst, final int imm, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JLT | BPF_K, dst, 0, imm, label);
    }

    public BpfAssembler jumpIfLessOrEqual(final int dst, final int imm, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JLE | BPF_K, dst, 0, imm, label);
    }

    /** Jumps when {@code dst & imm} is not zero. */
    public BpfAssembler jumpIfAnySet(final int dst, final int imm, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JSET | BPF_K, dst, 0, imm, label);
    }

    public BpfAssembler jumpIfEqualReg(final int dst, final int src, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JEQ | BPF_X, dst, src, 0, label);
    }

    public BpfAssembler jumpIfNotEqualReg(final int dst, final int src, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JNE | BPF_X, dst, src, 0, label);
    }

    /** Unsigned {@code dst > src}: the packet bounds check ({@code if (pointer > data_end)}). */
    public BpfAssembler jumpIfGreaterReg(final int dst, final int src, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JGT | BPF_X, dst, src, 0, label);
    }

    public BpfAssembler jumpIfGreaterOrEqualReg(final int dst, final int src, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JGE | BPF_X, dst, src, 0, label);
    }

    public BpfAssembler jumpIfLessReg(final int dst, final int src, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JLT | BPF_X, dst, src, 0, label);
    }

    public BpfAssembler jumpIfLessOrEqualReg(final int dst, final int src, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JLE | BPF_X, dst, src, 0, label);
    }

    /** Jumps when {@code dst & src} is not zero. */
    public BpfAssembler jumpIfAnySetReg(final int dst, final int src, final String label)
    {
        return jumpTo(BPF_JMP | BPF_JSET | BPF_X, dst, src, 0, label);
    }

    /** Calls helper {@code helper} ({@code BPF_FUNC_*}): arguments in r1-r5, result in r0, r1-r5 clobbered. */
    public BpfAssembler call(final int helper)
    {
        return emit(BPF_JMP | BPF_CALL, 0, 0, 0, helper);
    }

    public BpfAssembler exit()
    {
        return emit(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }

    /** @return the instructions with every jump resolved. */
    public long[] assemble()
    {
        final long[] code = new long[instructions.size()];
        for (int pc = 0; pc < code.length; pc++)
        {
            long insn = instructions.get(pc);
            final String label = jumps.get(pc);
            if (label != null)
            {
                final Integer target = labels.get(label);
                if (target == null)
                {
                    throw new IllegalStateException(
                        "jump at instruction " + pc + " to undefined label '" + label + "'");
                }
                if (target >= code.length)
                {
                    throw new IllegalStateException(
                        "jump at instruction " + pc + " to label '" + label + "', which marks no instruction");
                }
                final int offset = target - (pc + 1);
                if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE)
                {
                    throw new IllegalStateException(
                        "jump at instruction " + pc + " to label '" + label + "' is out of reach (" + offset + ")");
                }
                insn = (insn & ~(0xFFFFL << 16)) | ((offset & 0xFFFFL) << 16);
            }
            code[pc] = insn;
        }
        return code;
    }

    /** @return the resolved instructions in {@code arena}, as bpf(BPF_PROG_LOAD) reads them. */
    public MemorySegment assemble(final Arena arena)
    {
        final long[] code = assemble();
        final MemorySegment segment = arena.allocate(JAVA_LONG, code.length);
        MemorySegment.copy(code, 0, segment, JAVA_LONG, 0, code.length);
        return segment;
    }

    /** @return the number of 8-byte instruction slots so far (a 64-bit immediate takes two). */
    public int size()
    {
        return instructions.size();
    }

    /** One instruction as {@code struct bpf_insn} on a little-endian host. */
    static long encode(final int opcode, final int dst, final int src, final int offset, final int imm)
    {
        return (opcode & 0xFFL) | ((long)((src & 0xF) << 4 | (dst & 0xF)) << 8) | ((offset & 0xFFFFL) << 16) |
            ((imm & 0xFFFF_FFFFL) << 32);
    }

    private BpfAssembler aluImm(final int instructionClass, final int operation, final int dst, final int imm)
    {
        return emit(instructionClass | operation | BPF_K, dst, 0, 0, imm);
    }

    private BpfAssembler aluReg(final int instructionClass, final int operation, final int dst, final int src)
    {
        return emit(instructionClass | operation | BPF_X, dst, src, 0, 0);
    }

    private BpfAssembler byteSwap(final int order, final int dst, final int bits)
    {
        if (bits != 16 && bits != 32 && bits != 64)
        {
            throw new IllegalArgumentException("byte swap of " + bits + " bits (16, 32 or 64)");
        }
        return emit(BPF_ALU | BPF_END | order, dst, 0, 0, bits);
    }

    private BpfAssembler jumpTo(final int opcode, final int dst, final int src, final int imm, final String label)
    {
        jumps.put(instructions.size(), label);
        return emit(opcode, dst, src, 0, imm);
    }

    private BpfAssembler emit(final int opcode, final int dst, final int src, final int offset, final int imm)
    {
        checkRegister(dst);
        checkRegister(src);
        instructions.add(encode(opcode, dst, src, offset, imm));
        return this;
    }

    private static void checkRegister(final int register)
    {
        if (register < 0 || register > R10)
        {
            throw new IllegalArgumentException("r" + register + " is not an eBPF register (r0-r10)");
        }
    }
}
