package io.sluice.linux;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnonymousMemoryTest
{
    private static final long EIGHT_MIB = 8L << 20;

    @Test
    void aLargeMappingIsZeroedWritableAndHugePageAligned()
    {
        try (AnonymousMemory memory = AnonymousMemory.map(EIGHT_MIB))
        {
            assertThat(memory.length()).isEqualTo(EIGHT_MIB);
            assertThat(memory.address() % AnonymousMemory.HUGE_PAGE).isZero();
            final MemorySegment segment = segment(memory);
            assertThat(segment.get(ValueLayout.JAVA_LONG, 0)).isZero();
            assertThat(segment.get(ValueLayout.JAVA_LONG, EIGHT_MIB - 8)).isZero();
            segment.set(ValueLayout.JAVA_LONG, EIGHT_MIB - 8, 42L);
            assertThat(segment.get(ValueLayout.JAVA_LONG, EIGHT_MIB - 8)).isEqualTo(42L);
        }
    }

    @Test
    void aSmallMappingIsPageAlignedAndNotAdvised()
    {
        try (AnonymousMemory memory = AnonymousMemory.map(128))
        {
            assertThat(memory.address() % 4096).isZero();
            assertThat(memory.hugePagesAdvised()).isFalse();
            final MemorySegment segment = segment(memory);
            segment.set(ValueLayout.JAVA_LONG, 120, -1L);
            assertThat(segment.get(ValueLayout.JAVA_LONG, 120)).isEqualTo(-1L);
        }
    }

    /**
     * The point of the mapping: memory never written is not resident, and what is written is in
     * huge pages where the kernel has them.
     */
    @Test
    void onlyWrittenMemoryIsResidentAndInHugePagesWhereTheKernelGivesThem() throws IOException
    {
        try (AnonymousMemory memory = AnonymousMemory.map(EIGHT_MIB))
        {
            assertThat(smapsField(memory.address(), "Rss:")).as("resident before any write").isZero();
            final MemorySegment segment = segment(memory);
            for (long offset = 0; offset < EIGHT_MIB; offset += 4096)
            {
                segment.set(ValueLayout.JAVA_BYTE, offset, (byte)1);
            }
            assertThat(smapsField(memory.address(), "Rss:")).as("resident once written").isGreaterThanOrEqualTo(EIGHT_MIB);
            final String enabled = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            if (!enabled.contains("[never]"))
            {
                assertThat(memory.hugePagesAdvised()).isTrue();
                assertThat(smapsField(memory.address(), "AnonHugePages:")).as("in huge pages (THP: %s)", enabled.strip())
                    .isPositive();
            }
        }
    }

    @Test
    void closeTwiceIsHarmlessAndNonsenseLengthsAreRefused()
    {
        final AnonymousMemory memory = AnonymousMemory.map(4096);
        memory.close();
        memory.close();
        assertThatThrownBy(() -> AnonymousMemory.map(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("an anonymous mapping needs a positive length, not 0");
        assertThatThrownBy(() -> AnonymousMemory.map(1L << 62)).isInstanceOf(LinuxException.class)
            .hasMessageStartingWith("mmap(4611686018427387904 bytes, MAP_PRIVATE | MAP_ANONYMOUS): Cannot allocate memory");
    }

    @SuppressWarnings("restricted")
    private static MemorySegment segment(final AnonymousMemory memory)
    {
        return MemorySegment.ofAddress(memory.address()).reinterpret(memory.length());
    }

    /** A field, in bytes, of /proc/self/smaps for the mapping that holds {@code address}. */
    private static long smapsField(final long address, final String field) throws IOException
    {
        final List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        boolean inside = false;
        for (final String line : lines)
        {
            final int dash = line.indexOf('-');
            final int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0))
            {
                final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                final long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = address >= start && address < end;
            }
            else if (inside && line.startsWith(field))
            {
                return Long.parseLong(line.substring(field.length()).replace("kB", "").strip()) * 1024;
            }
        }
        throw new AssertionError("no " + field + " for the mapping at 0x" + Long.toHexString(address) + " in /proc/self/smaps");
    }
}
