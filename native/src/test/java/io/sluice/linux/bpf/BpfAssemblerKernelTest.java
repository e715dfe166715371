package io.sluice.linux.bpf;

import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Supplier;

import static io.sluice.linux.bpf.BpfAssembler.R0;
import static io.sluice.linux.bpf.BpfAssembler.R1;
import static io.sluice.linux.bpf.BpfAssembler.R10;
import static io.sluice.linux.bpf.BpfAssembler.R2;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel runs what the assembler emits and gets what the method names promise: each program
 * computes a value into r0 and the test run returns it (the low 32 bits). The byte-level tests
 * prove the encodings match the header; these prove the meaning (operand order, sign extension,
 * zero extension of 32-bit operations, jump direction) is the kernel's.
 */
final class BpfAssemblerKernelTest
{
    private static final byte[] PACKET = new byte[64];

    record Case(String description, Supplier<BpfAssembler> code, int expected)
    {
        @Override
        public String toString()
        {
            return description;
        }
    }

    @BeforeEach
    void needsRoot()
    {
        Privileges.require(Privileges.isRoot(), "needs root for bpf(2) (run the tests with sudo ./sluice test)");
    }

    static List<Case> cases()
    {
        return List.of(
            new Case("64-bit register operations", () -> new BpfAssembler()
                .mov(R0, 0xf0).mov(R1, 0x0f).orReg(R0, R1)                  // 0xff
                .mov(R1, 0x3c).andReg(R0, R1)                               // 0x3c
                .mov(R1, 0x01).xorReg(R0, R1)                               // 0x3d
                .mov(R1, 4).lshReg(R0, R1)                                  // 0x3d0
                .mov(R1, 1).rshReg(R0, R1)                                  // 0x1e8
                .mov(R1, 8).subReg(R0, R1)                                  // 0x1e0
                .mov(R1, 3).addReg(R0, R1)                                  // 0x1e3
                .exit(), 0x1e3),
            new Case("64-bit immediate operations", () -> new BpfAssembler()
                .mov(R0, 0xf0).or(R0, 0x0f).and(R0, 0x3c).xor(R0, 0x01)
                .lsh(R0, 4).rsh(R0, 1).sub(R0, 8).add(R0, 3)
                .exit(), 0x1e3),
            new Case("an immediate is sign-extended to 64 bits", () -> new BpfAssembler()
                .mov(R0, -1).rsh(R0, 32)
                .exit(), 0xffff_ffff),
            new Case("a 32-bit operation zeroes the upper half", () -> new BpfAssembler()
                .mov(R0, -1).add32(R0, 0).rsh(R0, 32)
                .exit(), 0),
            new Case("32-bit operations, immediate and register", () -> new BpfAssembler()
                .mov32(R0, 0x7fff_ffff).add32(R0, 1).rsh32(R0, 28).mov32(R1, 1).lsh32Reg(R0, R1)   // 0x10
                .mov32(R1, 3).sub32Reg(R0, R1).or32(R0, 0x100).and32(R0, 0x10f)                    // 0x10d
                .mov32Reg(R2, R0).add32Reg(R0, R2).sub32(R0, 1).lsh32(R0, 1).rsh32Reg(R0, R1)      // 0x086
                .mov32(R1, 0x0f).and32Reg(R0, R1).mov32(R1, 0x30).or32Reg(R0, R1)                  // 0x036
                .exit(), 0x36),
            new Case("to big-endian, 32 bits", () -> new BpfAssembler()
                .mov(R0, 0x1234_5678).toBigEndian(R0, 32).exit(), 0x7856_3412),
            new Case("to big-endian, 16 bits, clears the rest", () -> new BpfAssembler()
                .mov(R0, 0x1234_5678).toBigEndian(R0, 16).exit(), 0x7856),
            new Case("to big-endian, 64 bits", () -> new BpfAssembler()
                .mov(R0, 0x1234_5678).toBigEndian(R0, 64).rsh(R0, 32).exit(), 0x7856_3412),
            new Case("to little-endian, 16 bits, only truncates here", () -> new BpfAssembler()
                .mov(R0, 0x1234_5678).toLittleEndian(R0, 16).exit(), 0x5678),
            new Case("stack stores and loads of each width", () -> new BpfAssembler()
                .storeDoubleImm(R10, -8, -1)
                .storeDoubleImm(R10, -32, 0)
                .storeHalfImm(R10, -8, 0x1234)
                .storeByteImm(R10, -6, 0x56)
                .loadWord(R0, R10, -8)                                      // 0xff561234
                .mov(R1, 0x0a).storeByte(R10, -16, R1)
                .loadByte(R1, R10, -16).addReg(R0, R1)                      // 0xff56123e
                .storeWordImm(R10, -24, 0x100)
                .loadHalf(R1, R10, -24).addReg(R0, R1)                      // 0xff56133e
                .mov(R1, 2).storeHalf(R10, -32, R1).storeWord(R10, -28, R1)
                .loadDouble(R1, R10, -32).rsh(R1, 32).addReg(R0, R1)        // 0xff561340
                .storeDouble(R10, -40, R0).loadWord(R0, R10, -40)
                .exit(), 0xff56_1340),
            new Case("conditional jumps compare unsigned", () -> new BpfAssembler()
                .mov(R0, 0).mov(R1, -1).mov(R2, 5)
                .jumpIfGreater(R1, 5, "a").or(R0, 0x100).label("a")         // taken
                .jumpIfLess(R1, 5, "b").or(R0, 1).label("b")                // not taken: +1
                .jumpIfGreaterReg(R1, R2, "c").or(R0, 0x100).label("c")     // taken
                .jumpIfLessOrEqualReg(R1, R2, "d").or(R0, 2).label("d")     // not taken: +2
                .jumpIfGreaterOrEqual(R2, 5, "e").or(R0, 0x100).label("e")  // taken
                .jumpIfLessOrEqual(R2, 4, "f").or(R0, 4).label("f")         // not taken: +4
                .jumpIfEqualReg(R2, R1, "g").or(R0, 8).label("g")           // not taken: +8
                .jumpIfNotEqualReg(R2, R1, "h").or(R0, 0x100).label("h")    // taken
                .jumpIfAnySet(R2, 2, "i").or(R0, 0x10).label("i")           // 5 & 2 == 0: +0x10
                .jumpIfAnySetReg(R2, R2, "j").or(R0, 0x100).label("j")      // taken
                .jumpIfGreaterOrEqualReg(R2, R1, "k").or(R0, 0x20).label("k") // not taken: +0x20
                .jumpIfLessReg(R2, R1, "l").or(R0, 0x100).label("l")        // taken
                .exit(), 0x3f),
            new Case("a backward jump makes a bounded loop", () -> new BpfAssembler()
                .mov(R0, 0).mov(R1, 10)
                .label("loop")
                .addReg(R0, R1).sub(R1, 1)
                .jumpIfNotEqual(R1, 0, "loop")
                .exit(), 55));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theKernelComputesWhatTheMethodsSay(final Case golden)
    {
        try (LoadedProgram program = LoadedProgram.loadXdp("asm_check", golden.code().get()))
        {
            assertThat(program.testRun(PACKET)).isEqualTo(golden.expected());
        }
    }
}
