package io.sluice.linux.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassicBpfAssemblerTest
{
    @Test
    void resolvesLabelsToForwardOffsets()
    {
        final ClassicBpfProgram program = new ClassicBpfAssembler()
            .loadHalf(12)                                 // 0
            .jumpIfEqual(0x0800, "yes", "no")             // 1
            .label("no")
            .returnConstant(0)                            // 2
            .label("yes")
            .returnConstant(ClassicBpfProgram.ACCEPT_WHOLE_PACKET) // 3
            .assemble();

        assertThat(program.length()).isEqualTo(4);
        assertThat(program.code(1)).isEqualTo(0x15);
        assertThat(program.jumpIfTrue(1)).isEqualTo(1);
        assertThat(program.jumpIfFalse(1)).isZero();
        assertThat(program.code(0)).isEqualTo(0x28);
        assertThat(program.constant(0)).isEqualTo(12);
    }

    @Test
    void unconditionalJumpCarriesItsOffsetInK()
    {
        final ClassicBpfAssembler asm = new ClassicBpfAssembler().jump("end");
        for (int i = 0; i < 300; i++)
        {
            asm.returnConstant(0);
        }
        final ClassicBpfProgram program = asm.label("end").returnConstant(1).assemble();

        assertThat(program.code(0)).isEqualTo(0x05);
        assertThat(program.constant(0)).isEqualTo(300);
        assertThat(ClassicBpfInterpreter.run(program, new byte[0], 0)).isEqualTo(1);
    }

    @Test
    void conditionalJumpBeyond255IsRefusedByName()
    {
        final ClassicBpfAssembler asm = new ClassicBpfAssembler().loadByte(0).jumpIfEqual(1, "far", null);
        for (int i = 0; i < 256; i++)
        {
            asm.returnConstant(0);
        }
        asm.label("far").returnConstant(1);

        assertThatThrownBy(asm::assemble)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("cannot reach label 'far'")
            .hasMessageContaining("offset 256");
    }

    @Test
    void undefinedAndDuplicateLabelsAreErrors()
    {
        assertThatThrownBy(() -> new ClassicBpfAssembler().jump("nowhere").returnConstant(0).assemble())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("undefined label 'nowhere'");
        assertThatThrownBy(() -> new ClassicBpfAssembler().label("x").returnConstant(0).label("x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("defined twice");
    }

    @Test
    void emptyProgramIsRefused()
    {
        assertThatThrownBy(() -> new ClassicBpfAssembler().assemble())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("1 to 4096 instructions");
    }
}
