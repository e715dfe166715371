package io.sluice.linux.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketSocketOptionsTest
{
    @Test
    void defaultsAreValidAndDropEverything()
    {
        final PacketSocketOptions options = PacketSocketOptions.defaults();

        assertThat(options.blockSizeBytes()).isEqualTo(256 * 1024);
        assertThat(options.headroomBytes()).isEqualTo(64);
        assertThat(options.fanoutGroupId()).isZero();
        assertThat(options.filter()).isEqualTo(ClassicBpfProgram.rejectAll());
    }

    @Test
    void badValuesAreNamed()
    {
        final PacketSocketOptions options = PacketSocketOptions.defaults();

        assertThatThrownBy(() -> options.withRing(300_000, 4)).hasMessageContaining("block size must be a power of two");
        assertThatThrownBy(() -> options.withRing(4096, 0)).hasMessageContaining("block count");
        assertThatThrownBy(() -> options.withRing(1 << 20, 2048)).hasMessageContaining("block count");
        assertThatThrownBy(() -> options.withBlockTimeoutMs(0)).hasMessageContaining("block timeout");
        assertThatThrownBy(() -> options.withHeadroomBytes(-1)).hasMessageContaining("headroom");
        assertThatThrownBy(() -> options.withHeadroomBytes(2000)).hasMessageContaining("headroom");
        assertThatThrownBy(() -> options.withFanoutGroupId(70_000)).hasMessageContaining("fanout group id");
        assertThatThrownBy(() -> new PacketSocketOptions(4096, 4, 100, 1, 0, 0, ClassicBpfProgram.rejectAll()))
            .hasMessageContaining("frame size must be a multiple of 16");
    }

    @Test
    void badInterfaceNamesAreRefusedBeforeAnySyscall()
    {
        assertThatThrownBy(() -> PacketSocket.open("this-name-is-too-long"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("is not a network interface name");
        assertThatThrownBy(() -> PacketBatchSender.open("eth 0", 8))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
