package io.sluice.linux.bpf;

import io.sluice.linux.LinuxException;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Maps through bpf(2): each element command against the kernel, and the sizes checked before it. */
final class BpfMapTest
{
    @BeforeEach
    void needsRoot()
    {
        Privileges.require(Privileges.isRoot(), "needs root for bpf(2) (run the tests with sudo ./sluice test)");
    }

    @Test
    void aHashMapAddsFindsWalksAndDeletes()
    {
        try (BpfMap map = BpfMap.createHash("test_hash", 8, 4, 16);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment key = arena.allocate(8);
            final MemorySegment value = arena.allocate(4);
            for (long k = 1; k <= 3; k++)
            {
                key.set(JAVA_LONG, 0, k * 1000);
                value.set(JAVA_INT, 0, (int)k);
                map.update(key, value);
            }

            key.set(JAVA_LONG, 0, 2000);
            assertThat(map.lookup(key, value)).isTrue();
            assertThat(value.get(JAVA_INT, 0)).isEqualTo(2);
            key.set(JAVA_LONG, 0, 4000);
            value.set(JAVA_INT, 0, -7);
            assertThat(map.lookup(key, value)).as("absent").isFalse();
            assertThat(value.get(JAVA_INT, 0)).as("untouched").isEqualTo(-7);

            final Set<Long> keys = new HashSet<>();
            final MemorySegment next = arena.allocate(8);
            MemorySegment previous = null;
            while (map.nextKey(previous, next))
            {
                keys.add(next.get(JAVA_LONG, 0));
                previous = key.copyFrom(next);
            }
            assertThat(keys).containsExactlyInAnyOrder(1000L, 2000L, 3000L);

            key.set(JAVA_LONG, 0, 2000);
            assertThat(map.delete(key)).isTrue();
            assertThat(map.delete(key)).as("already gone").isFalse();
            assertThat(map.lookup(key, value)).isFalse();
        }
    }

    @Test
    void aFullHashMapRefusesNamingTheMap()
    {
        try (BpfMap map = BpfMap.createHash("test_full", 4, 4, 1);
            Arena arena = Arena.ofConfined())
        {
            map.update(arena.allocateFrom(JAVA_INT, 1), arena.allocateFrom(JAVA_INT, 1));

            assertThatThrownBy(() -> map.update(arena.allocateFrom(JAVA_INT, 2), arena.allocateFrom(JAVA_INT, 2)))
                .isInstanceOf(LinuxException.class)
                .hasMessageContaining("bpf(BPF_MAP_UPDATE_ELEM, test_full)");
        }
    }

    @Test
    void anArrayHasEveryIndexAndNoneBeyond()
    {
        try (BpfMap map = BpfMap.createArray("test_array", 8, 4);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment value = arena.allocate(8);
            map.update(arena.allocateFrom(JAVA_INT, 3), arena.allocateFrom(JAVA_LONG, 0x1_0000_0002L));

            assertThat(map.lookup(arena.allocateFrom(JAVA_INT, 3), value)).isTrue();
            assertThat(value.get(JAVA_LONG, 0)).isEqualTo(0x1_0000_0002L);
            assertThat(map.lookup(arena.allocateFrom(JAVA_INT, 0), value)).as("zeroed, not absent").isTrue();
            assertThat(value.get(JAVA_LONG, 0)).isZero();
            assertThat(map.lookup(arena.allocateFrom(JAVA_INT, 4), value)).as("past max_entries").isFalse();
        }
    }

    @Test
    void aPerCpuArraySumsOneValuePerPossibleCpu()
    {
        final int cpus = BpfMap.possibleCpus();
        try (BpfMap map = BpfMap.createPerCpuArray("test_percpu", Long.BYTES, 2);
            Arena arena = Arena.ofConfined())
        {
            assertThat(map.lookupSize()).isEqualTo((long)Long.BYTES * cpus);
            final MemorySegment values = arena.allocate(map.lookupSize());
            long expected = 0;
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                values.setAtIndex(JAVA_LONG, cpu, 10L + cpu);
                expected += 10L + cpu;
            }
            map.update(arena.allocateFrom(JAVA_INT, 1), values);

            assertThat(map.sumPerCpuLong(1)).isEqualTo(expected);
            assertThat(map.sumPerCpuLong(0)).isZero();
            assertThatThrownBy(() -> map.sumPerCpuLong(2)).isInstanceOf(LinuxException.class);
        }
    }

    @Test
    void thePossibleCpuCountIsAtLeastTheOnlineOne()
    {
        assertThat(BpfMap.possibleCpus()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void anXskMapTakesOnlyAfXdpSockets()
    {
        try (BpfMap map = BpfMap.createXskMap("test_xsks", 4))
        {
            assertThat(map.fd()).isPositive();
            assertThat(map.keySize()).isEqualTo(4);
            assertThat(map.valueSize()).isEqualTo(4);
            assertThatThrownBy(() -> map.updateInt(0, map.fd()))
                .as("a map fd is not an AF_XDP socket")
                .isInstanceOf(LinuxException.class)
                .hasMessageContaining("bpf(BPF_MAP_UPDATE_ELEM, test_xsks)");
            assertThatThrownBy(() -> map.updateInt(4, map.fd())).isInstanceOf(LinuxException.class);
        }
    }

    @Test
    void keysAndValuesShorterThanTheMapsOrOnTheHeapAreRefusedBeforeTheKernelReadsPastThem()
    {
        try (BpfMap map = BpfMap.createHash("test_sizes", 8, 8, 4);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment shortKey = arena.allocate(4);
            final MemorySegment value = arena.allocate(8);

            assertThatThrownBy(() -> map.update(shortKey, value))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a key of 4 bytes, the map's is 8");
            assertThatThrownBy(() -> map.lookup(arena.allocate(8), arena.allocate(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a value of 7 bytes");
            assertThatThrownBy(() -> map.delete(MemorySegment.ofArray(new byte[8])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native memory");
        }
    }

    @Test
    void namesTheMapWhenTheKernelRefusesToCreateIt()
    {
        assertThatThrownBy(() -> BpfMap.createHash("test_zero_key", 0, 4, 4))
            .isInstanceOf(LinuxException.class)
            .hasMessageContaining("bpf(BPF_MAP_CREATE, test_zero_key)");
    }
}
