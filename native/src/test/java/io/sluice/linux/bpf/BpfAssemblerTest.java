package io.sluice.linux.bpf;

import org.junit.jupiter.api.Test;

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
import static io.sluice.linux.bpf.BpfAssembler.R9;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encodings checked against {@code struct bpf_insn} bytes worked out by hand from linux/bpf.h and
 * bpf_common.h: opcode = class | operation | source (K 0x00, X 0x08), then src << 4 | dst, the
 * offset (s16 LE) and the immediate (s32 LE). The bytes are written in memory order.
 */
final class BpfAssemblerTest
{
    @Test
    void encodesAlu64WithImmediateAndRegister()
    {
        final long[] code = new BpfAssembler()
            .mov(R0, 2)                       // ALU64 0x07 | MOV 0xb0 | K
            .movReg(R2, R1)                   // ALU64 | MOV | X 0x08, src 1 dst 2
            .add(R2, -24)                     // imm -24 = 0xffffffe8
            .addReg(R3, R4)
            .sub(R1, 1)
            .subReg(R1, R2)
            .and(R2, 0xf0)
            .andReg(R3, R4)
            .or(R3, 0x10)
            .orReg(R5, R6)
            .xor(R1, 0xff)
            .xorReg(R7, R8)
            .lsh(R4, 2)
            .lshReg(R7, R8)
            .rsh(R5, 3)
            .rshReg(R9, R1)
            .assemble();

        assertThat(hex(code)).containsExactly(
            "b700000002000000",
            "bf12000000000000",
            "07020000e8ffffff",
            "0f43000000000000",
            "1701000001000000",
            "1f21000000000000",
            "57020000f0000000",
            "5f43000000000000",
            "4703000010000000",
            "4f65000000000000",
            "a7010000ff000000",
            "af87000000000000",
            "6704000002000000",
            "6f87000000000000",
            "7705000003000000",
            "7f19000000000000");
    }

    @Test
    void encodesAlu32WithImmediateAndRegister()
    {
        final long[] code = new BpfAssembler()
            .mov32(R0, -1)                    // ALU 0x04 | MOV 0xb0 | K
            .mov32Reg(R1, R2)
            .add32(R1, 5)
            .add32Reg(R1, R2)
            .sub32(R2, 1)
            .sub32Reg(R2, R3)
            .and32(R3, 0xff)
            .and32Reg(R3, R4)
            .or32(R4, 1)
            .or32Reg(R4, R5)
            .lsh32(R5, 8)
            .lsh32Reg(R5, R6)
            .rsh32(R6, 4)
            .rsh32Reg(R6, R7)
            .assemble();

        assertThat(hex(code)).containsExactly(
            "b4000000ffffffff",
            "bc21000000000000",
            "0401000005000000",
            "0c21000000000000",
            "1402000001000000",
            "1c32000000000000",
            "54030000ff000000",
            "5c43000000000000",
            "4404000001000000",
            "4c54000000000000",
            "6405000008000000",
            "6c65000000000000",
            "7406000004000000",
            "7c76000000000000");
    }

    @Test
    void encodesByteSwapsAsAluEndWithTheWidthInTheImmediate()
    {
        final long[] code = new BpfAssembler()
            .toBigEndian(R3, 16)              // ALU 0x04 | END 0xd0 | TO_BE 0x08
            .toBigEndian(R4, 64)
            .toLittleEndian(R3, 32)           // ALU | END | TO_LE 0x00
            .assemble();

        assertThat(hex(code)).containsExactly(
            "dc03000010000000",
            "dc04000040000000",
            "d403000020000000");
    }

    @Test
    void encodesLoadsAndStoresWithTheirOffsets()
    {
        final long[] code = new BpfAssembler()
            .loadByte(R0, R1, 9)              // LDX 0x01 | MEM 0x60 | B 0x10
            .loadHalf(R3, R2, 12)             // LDX | MEM | H 0x08
            .loadWord(R3, R1, 4)              // LDX | MEM | W 0x00
            .loadDouble(R1, R0, 0)            // LDX | MEM | DW 0x18
            .storeByte(R10, -1, R1)           // STX 0x03 | MEM | B, src 1 dst 10, offset 0xffff
            .storeHalf(R10, -8, R3)
            .storeWord(R10, -4, R2)
            .storeDouble(R0, 0, R1)
            .storeByteImm(R10, -5, 4)         // ST 0x02 | MEM | B
            .storeHalfImm(R10, -2, 0x1234)
            .storeWordImm(R10, -8, 7)
            .storeDoubleImm(R10, -16, 0)
            .assemble();

        assertThat(hex(code)).containsExactly(
            "7110090000000000",
            "69230c0000000000",
            "6113040000000000",
            "7901000000000000",
            "731affff00000000",
            "6b3af8ff00000000",
            "632afcff00000000",
            "7b10000000000000",
            "720afbff04000000",
            "6a0afeff34120000",
            "620af8ff07000000",
            "7a0af0ff00000000");
    }

    @Test
    void encodesCallAndExit()
    {
        final long[] code = new BpfAssembler().call(BpfHelper.REDIRECT_MAP).exit().assemble();

        assertThat(hex(code)).containsExactly("8500000033000000", "9500000000000000");
    }

    @Test
    void mapReferenceIsATwoSlotLoadWithThePseudoMapSource()
    {
        final long[] code = new BpfAssembler().loadMapFd(R1, 7).exit().assemble();

        assertThat(hex(code)).containsExactly("1811000007000000", "0000000000000000", "9500000000000000");
    }

    @Test
    void encodesEveryConditionalJumpWithImmediateAndRegister()
    {
        // Fifteen jumps to the exit at 15: the one at pc i skips 14 - i instructions.
        final long[] code = new BpfAssembler()
            .jumpIfEqual(R1, 7, "end")        // JMP 0x05 | JEQ 0x10 | K
            .jumpIfNotEqual(R1, 7, "end")
            .jumpIfGreater(R1, 7, "end")
            .jumpIfGreaterOrEqual(R1, 7, "end")
            .jumpIfLess(R1, 7, "end")
            .jumpIfLessOrEqual(R1, 7, "end")
            .jumpIfAnySet(R1, 7, "end")
            .jumpIfEqualReg(R1, R2, "end")    // JMP | JEQ | X 0x08, src 2 dst 1
            .jumpIfNotEqualReg(R1, R2, "end")
            .jumpIfGreaterReg(R1, R2, "end")
            .jumpIfGreaterOrEqualReg(R1, R2, "end")
            .jumpIfLessReg(R1, R2, "end")
            .jumpIfLessOrEqualReg(R1, R2, "end")
            .jumpIfAnySetReg(R1, R2, "end")
            .jump("end")
            .label("end")
            .exit()
            .assemble();

        assertThat(hex(code)).containsExactly(
            "15010e0007000000",
            "55010d0007000000",
            "25010c0007000000",
            "35010b0007000000",
            "a5010a0007000000",
            "b501090007000000",
            "4501080007000000",
            "1d21070000000000",
            "5d21060000000000",
            "2d21050000000000",
            "3d21040000000000",
            "ad21030000000000",
            "bd21020000000000",
            "4d21010000000000",
            "0500000000000000",
            "9500000000000000");
    }

    @Test
    void jumpsResolveForwardAndBackwardRelativeToTheNextInstruction()
    {
        final long[] code = new BpfAssembler()
            .label("top")
            .jumpIfEqual(R0, 0, "end")        // 15 00 0200 00000000: skips two
            .jumpIfGreaterReg(R2, R3, "top")  // 2d 32 feff 00000000: back to 0
            .mov(R0, 1)
            .label("end")
            .exit()
            .assemble();

        assertThat(hex(code)).startsWith("1500020000000000", "2d32feff00000000");
    }

    @Test
    void aMapLoadCountsAsTwoSlotsForJumpsOverIt()
    {
        final long[] code = new BpfAssembler()
            .jump("after")                    // over the two slots of the map load: offset 2
            .loadMapFd(R1, 3)
            .label("after")
            .exit()
            .assemble();

        assertThat(hex(code)[0]).isEqualTo("0500020000000000");
    }

    @Test
    void theSegmentHoldsTheSameBytesAsTheArray()
    {
        final BpfAssembler code = new BpfAssembler().mov(R0, 2).exit();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = code.assemble(arena);

            assertThat(segment.toArray(JAVA_BYTE)).containsExactly(
                0xb7, 0, 0, 0, 2, 0, 0, 0,
                0x95, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void undefinedDuplicateAndDanglingLabelsAreNamed()
    {
        assertThatThrownBy(() -> new BpfAssembler().jump("nowhere").exit().assemble())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("undefined label 'nowhere'");
        assertThatThrownBy(() -> new BpfAssembler().label("x").exit().label("x"))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("'x' is defined twice");
        assertThatThrownBy(() -> new BpfAssembler().jump("end").exit().label("end").assemble())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("'end', which marks no instruction");
    }

    @Test
    void aJumpBeyondSixteenBitsIsOutOfReachNamingTheLabel()
    {
        final BpfAssembler code = new BpfAssembler().jump("far");
        for (int i = 0; i < Short.MAX_VALUE + 1; i++)
        {
            code.mov(R0, 0);
        }
        code.label("far").exit();

        assertThatThrownBy(code::assemble)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("label 'far' is out of reach (32768)");
    }

    @Test
    void aJumpOfExactlyTheLargestOffsetIsInReach()
    {
        final BpfAssembler code = new BpfAssembler().jump("far");
        for (int i = 0; i < Short.MAX_VALUE; i++)
        {
            code.mov(R0, 0);
        }
        code.label("far").exit();

        assertThat(hex(code.assemble())[0]).isEqualTo("0500ff7f00000000");
    }

    @Test
    void badRegistersAndWidthsAreRefused()
    {
        assertThatThrownBy(() -> new BpfAssembler().mov(11, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r11");
        assertThatThrownBy(() -> new BpfAssembler().movReg(R0, -1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r-1");
        assertThatThrownBy(() -> new BpfAssembler().toBigEndian(R0, 8))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 bits");
        assertThatThrownBy(() -> new BpfAssembler().toLittleEndian(R0, 24))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 bits");
    }

    /** Each instruction's eight bytes in memory order (little-endian), as hex. */
    static String[] hex(final long[] code)
    {
        final String[] out = new String[code.length];
        for (int i = 0; i < code.length; i++)
        {
            out[i] = String.format("%016x", Long.reverseBytes(code[i]));
        }
        return out;
    }
}
