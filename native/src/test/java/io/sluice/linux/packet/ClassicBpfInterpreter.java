package io.sluice.linux.packet;

import static io.sluice.linux.packet.ClassicBpfAssembler.*;

/**
 * A small classic-BPF interpreter with the kernel's semantics for the instructions sluice emits:
 * loads from the packet (big-endian; out of bounds ends the program with verdict 0), indexed
 * word loads and X loaded with a constant, the PKTTYPE ancillary load, AND, conditional and unconditional jumps, return constant. Anything
 * else fails the test loudly rather than guessing.
 */
final class ClassicBpfInterpreter
{
    private ClassicBpfInterpreter()
    {
    }

    static int run(final ClassicBpfProgram program, final byte[] packet, final int packetType)
    {
        int accumulator = 0;
        int index = 0;
        int pc = 0;
        while (pc < program.length())
        {
            final int code = program.code(pc);
            final int k = program.constant(pc);
            switch (code)
            {
                case BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS ->
                {
                    if (k == SKF_AD_OFF + SKF_AD_PKTTYPE)
                    {
                        accumulator = packetType;
                    }
                    else
                    {
                        final int size = (code & 0x18) == BPF_W ? 4 : (code & 0x18) == BPF_H ? 2 : 1;
                        if (k < 0 || k + size > packet.length)
                        {
                            return 0;
                        }
                        accumulator = 0;
                        for (int i = 0; i < size; i++)
                        {
                            accumulator = (accumulator << 8) | (packet[k + i] & 0xFF);
                        }
                    }
                }
                case BPF_LD | BPF_W | BPF_IND ->
                {
                    final int at = index + k;
                    if (at < 0 || at + 4 > packet.length)
                    {
                        return 0;
                    }
                    accumulator = ((packet[at] & 0xFF) << 24) | ((packet[at + 1] & 0xFF) << 16) |
                        ((packet[at + 2] & 0xFF) << 8) | (packet[at + 3] & 0xFF);
                }
                case BPF_LDX | BPF_W | BPF_IMM -> index = k;
                case BPF_ALU | BPF_AND | BPF_K -> accumulator &= k;
                case BPF_JMP | BPF_JA ->
                {
                    pc += k;
                }
                case BPF_JMP | BPF_JEQ | BPF_K ->
                    pc += accumulator == k ? program.jumpIfTrue(pc) : program.jumpIfFalse(pc);
                case BPF_JMP | BPF_JGT | BPF_K ->
                    pc += Integer.compareUnsigned(accumulator, k) > 0 ? program.jumpIfTrue(pc) : program.jumpIfFalse(pc);
                case BPF_JMP | BPF_JGE | BPF_K ->
                    pc += Integer.compareUnsigned(accumulator, k) >= 0 ? program.jumpIfTrue(pc) : program.jumpIfFalse(pc);
                case BPF_JMP | BPF_JSET | BPF_K ->
                    pc += (accumulator & k) != 0 ? program.jumpIfTrue(pc) : program.jumpIfFalse(pc);
                case BPF_RET | BPF_K ->
                {
                    return k;
                }
                default -> throw new AssertionError("interpreter does not know opcode 0x" + Integer.toHexString(code) + " at " + pc);
            }
            pc++;
        }
        throw new AssertionError("program ran off its end without a return");
    }
}
