package io.sluice.linux.packet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ClassicBpfProgram} from named jump targets, so nobody counts instructions by
 * hand. Classic BPF jumps only forward: a conditional jump reaches at most 255 instructions
 * ahead (its offsets are bytes), {@link #jump(String)} any distance; {@link #assemble()} checks
 * both and names the jump that does not fit.
 *
 * <p>Opcodes and constants are the kernel's ({@code linux/bpf_common.h}, {@code linux/filter.h}).
 */
public final class ClassicBpfAssembler
{
    public static final int BPF_LD = 0x00;
    public static final int BPF_LDX = 0x01;
    public static final int BPF_ALU = 0x04;
    public static final int BPF_JMP = 0x05;
    public static final int BPF_RET = 0x06;
    public static final int BPF_MISC = 0x07;

    public static final int BPF_W = 0x00;
    public static final int BPF_H = 0x08;
    public static final int BPF_B = 0x10;

    public static final int BPF_IMM = 0x00;
    public static final int BPF_ABS = 0x20;
    public static final int BPF_IND = 0x40;
    public static final int BPF_MEM = 0x60;
    public static final int BPF_LEN = 0x80;
    public static final int BPF_MSH = 0xa0;

    public static final int BPF_AND = 0x50;
    public static final int BPF_JA = 0x00;
    public static final int BPF_JEQ = 0x10;
    public static final int BPF_JGT = 0x20;
    public static final int BPF_JGE = 0x30;
    public static final int BPF_JSET = 0x40;
    public static final int BPF_K = 0x00;
    public static final int BPF_X = 0x08;
    public static final int BPF_A = 0x10;

    /** Loads at {@code SKF_AD_OFF + field} read socket-buffer metadata instead of packet bytes. */
    public static final int SKF_AD_OFF = -0x1000;
    public static final int SKF_AD_PROTOCOL = 0;
    public static final int SKF_AD_PKTTYPE = 4;
    public static final int SKF_AD_IFINDEX = 8;
    public static final int SKF_AD_VLAN_TAG = 44;
    public static final int SKF_AD_VLAN_TAG_PRESENT = 48;

    private static final int MAX_CONDITIONAL_OFFSET = 255;

    private final List<Pending> instructions = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** {@code ld [offset]}: A = the 32-bit big-endian word at offset. */
    public ClassicBpfAssembler loadWord(final int offset)
    {
        return add(BPF_LD | BPF_W | BPF_ABS, offset);
    }

    /** {@code ldh [offset]}: A = the 16-bit big-endian half word at offset. */
    public ClassicBpfAssembler loadHalf(final int offset)
    {
        return add(BPF_LD | BPF_H | BPF_ABS, offset);
    }

    /** {@code ldb [offset]}. */
    public ClassicBpfAssembler loadByte(final int offset)
    {
        return add(BPF_LD | BPF_B | BPF_ABS, offset);
    }

    /** {@code ld [x + offset]}: A = the 32-bit big-endian word at X + offset. */
    public ClassicBpfAssembler loadWordIndexed(final int offset)
    {
        return add(BPF_LD | BPF_W | BPF_IND, offset);
    }

    /** {@code ldx #value}: X = value. */
    public ClassicBpfAssembler loadIndexConstant(final int value)
    {
        return add(BPF_LDX | BPF_W | BPF_IMM, value);
    }

    /** A = an ancillary field such as {@link #SKF_AD_PKTTYPE}. */
    public ClassicBpfAssembler loadAncillary(final int field)
    {
        return add(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + field);
    }

    /** A &= mask. */
    public ClassicBpfAssembler and(final int mask)
    {
        return add(BPF_ALU | BPF_AND | BPF_K, mask);
    }

    /** Jumps to {@code ifTrue} when A == value, else to {@code ifFalse}; a null label means the next instruction. */
    public ClassicBpfAssembler jumpIfEqual(final int value, final String ifTrue, final String ifFalse)
    {
        return conditional(BPF_JMP | BPF_JEQ | BPF_K, value, ifTrue, ifFalse);
    }

    /** Jumps when A &gt; value (unsigned). */
    public ClassicBpfAssembler jumpIfGreater(final int value, final String ifTrue, final String ifFalse)
    {
        return conditional(BPF_JMP | BPF_JGT | BPF_K, value, ifTrue, ifFalse);
    }

    /** Jumps when A &gt;= value (unsigned). */
    public ClassicBpfAssembler jumpIfGreaterOrEqual(final int value, final String ifTrue, final String ifFalse)
    {
        return conditional(BPF_JMP | BPF_JGE | BPF_K, value, ifTrue, ifFalse);
    }

    /** Jumps when A &amp; bits != 0. */
    public ClassicBpfAssembler jumpIfAnySet(final int bits, final String ifTrue, final String ifFalse)
    {
        return conditional(BPF_JMP | BPF_JSET | BPF_K, bits, ifTrue, ifFalse);
    }

    /** Unconditional jump, any distance forward. */
    public ClassicBpfAssembler jump(final String target)
    {
        requireLabelName(target);
        instructions.add(new Pending(BPF_JMP | BPF_JA, 0, null, null, target));
        return this;
    }

    /** Ends the program with a verdict: the number of bytes to keep, 0 to drop. */
    public ClassicBpfAssembler returnConstant(final int verdict)
    {
        return add(BPF_RET | BPF_K, verdict);
    }

    /** Names the next instruction as a jump target. */
    public ClassicBpfAssembler label(final String name)
    {
        requireLabelName(name);
        if (labels.putIfAbsent(name, instructions.size()) != null)
        {
            throw new IllegalArgumentException("BPF label '" + name + "' is defined twice");
        }
        return this;
    }

    /** Any instruction, for what the named methods do not cover. */
    public ClassicBpfAssembler instruction(final int code, final int jumpIfTrue, final int jumpIfFalse, final int k)
    {
        instructions.add(new Pending(code, k, null, null, null, jumpIfTrue, jumpIfFalse));
        return this;
    }

    /**
     * @throws IllegalStateException naming the problem: an unknown label, a backward jump, a
     *                               conditional jump farther than 255, an empty or too long program.
     */
    public ClassicBpfProgram assemble()
    {
        final int count = instructions.size();
        if (count == 0 || count > ClassicBpfProgram.MAX_INSTRUCTIONS)
        {
            throw new IllegalStateException(
                "a classic BPF program has 1 to " + ClassicBpfProgram.MAX_INSTRUCTIONS + " instructions, this one " + count);
        }
        final short[] codes = new short[count];
        final byte[] jumpsIfTrue = new byte[count];
        final byte[] jumpsIfFalse = new byte[count];
        final int[] constants = new int[count];
        for (int i = 0; i < count; i++)
        {
            final Pending instruction = instructions.get(i);
            codes[i] = (short)instruction.code;
            constants[i] = instruction.k;
            if (instruction.always != null)
            {
                constants[i] = offsetTo(i, instruction.always, Integer.MAX_VALUE);
            }
            else
            {
                jumpsIfTrue[i] = (byte)(instruction.ifTrue != null ?
                    offsetTo(i, instruction.ifTrue, MAX_CONDITIONAL_OFFSET) : instruction.rawTrue);
                jumpsIfFalse[i] = (byte)(instruction.ifFalse != null ?
                    offsetTo(i, instruction.ifFalse, MAX_CONDITIONAL_OFFSET) : instruction.rawFalse);
            }
        }
        return new ClassicBpfProgram(codes, jumpsIfTrue, jumpsIfFalse, constants);
    }

    private int offsetTo(final int from, final String label, final int maxOffset)
    {
        final Integer target = labels.get(label);
        if (target == null)
        {
            throw new IllegalStateException("BPF instruction " + from + " jumps to undefined label '" + label + "'");
        }
        final int offset = target - from - 1;
        if (offset < 0 || offset > maxOffset)
        {
            throw new IllegalStateException("BPF instruction " + from + " cannot reach label '" + label +
                "' (offset " + offset + ", allowed 0.." + maxOffset + ")");
        }
        return offset;
    }

    private ClassicBpfAssembler conditional(final int code, final int k, final String ifTrue, final String ifFalse)
    {
        instructions.add(new Pending(code, k, ifTrue, ifFalse, null));
        return this;
    }

    private ClassicBpfAssembler add(final int code, final int k)
    {
        instructions.add(new Pending(code, k, null, null, null));
        return this;
    }

    private static void requireLabelName(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("BPF label must not be empty");
        }
    }

    private record Pending(int code, int k, String ifTrue, String ifFalse, String always, int rawTrue, int rawFalse)
    {
        Pending(final int code, final int k, final String ifTrue, final String ifFalse, final String always)
        {
            this(code, k, ifTrue, ifFalse, always, 0, 0);
        }
    }
}
