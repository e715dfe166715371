package io.sluice.linux.bpf;

import org.junit.jupiter.api.Test;

import static io.sluice.linux.bpf.BpfAssembler.R0;
import static io.sluice.linux.bpf.BpfAssembler.R1;
import static io.sluice.linux.bpf.BpfAssembler.R2;
import static io.sluice.linux.bpf.BpfAssembler.R3;
import static io.sluice.linux.bpf.BpfAssembler.R10;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encodings checked against {@code struct bpf_insn} bytes worked out by hand from linux/bpf.h. */
final class BpfAssemblerTest
{
    @Test
    void encodesEachInstructionClass()
    {
        final long[] code = new BpfAssembler()
            .mov(R0, 2)                       // b7 00 0000 02000000
            .movReg(R2, R1)                   // bf 12 0000 00000000
            .add(R2, -24)                     // 07 02 0000 e8ffffff
            .loadWord(R3, R1, 4)              // 61 13 0400 00000000
            .loadHalf(R3, R2, 12)             // 69 23 0c00 00000000
            .storeByteImm(R10, -5, 4)         // 72 0a fbff 04000000
            .storeHalf(R10, -8, R3)           // 6b 3a f8ff 00000000
            .toBigEndian(R3, 16)              // dc 03 0000 10000000
            .call(51)                         // 85 00 0000 33000000
            .exit()                           // 95 00 0000 00000000
            .assemble();

        assertThat(hex(code)).containsExactly(
            "b700000002000000",
            "bf12000000000000",
            "07020000e8ffffff",
            "6113040000000000",
            "69230c0000000000",
            "720afbff04000000",
            "6b3af8ff00000000",
            "dc03000010000000",
            "8500000033000000",
            "9500000000000000");
    }

    @Test
    void mapReferenceIsATwoSlotLoadWithThePseudoMapSource()
    {
        final long[] code = new BpfAssembler().loadMapFd(R1, 7).exit().assemble();

        assertThat(hex(code)).containsExactly("1811000007000000", "0000000000000000", "9500000000000000");
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
    void undefinedAndDuplicateLabelsAreNamed()
    {
        assertThatThrownBy(() -> new BpfAssembler().jump("nowhere").assemble())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("'nowhere'");
        assertThatThrownBy(() -> new BpfAssembler().label("x").exit().label("x"))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("'x' is defined twice");
        assertThatThrownBy(() -> new BpfAssembler().mov(11, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r11");
        assertThatThrownBy(() -> new BpfAssembler().toBigEndian(R0, 8))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /** Each instruction's eight bytes in memory order (little-endian), as hex. */
    private static String[] hex(final long[] code)
    {
        final String[] out = new String[code.length];
        for (int i = 0; i < code.length; i++)
        {
            out[i] = String.format("%016x", Long.reverseBytes(code[i]));
        }
        return out;
    }
}
