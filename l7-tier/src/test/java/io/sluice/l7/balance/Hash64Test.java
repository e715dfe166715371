package io.sluice.l7.balance;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

final class Hash64Test
{
    @Test
    void hashIsPinned()
    {
        // Proxies share rings and cookies: changing these moves every hashed key and sticky session.
        // The values are those of Appleby's reference C MurmurHash64A (seed 0) on the same bytes.
        assertThat(Hash64.hash("")).isZero();
        assertThat(Hash64.hash("a")).isEqualTo(510_903_276_987_443_985L);
        assertThat(Hash64.hash("web-1#0")).as("a tail only").isEqualTo(-5_277_507_616_317_175_022L);
        assertThat(Hash64.hash("abcdefgh")).as("a block only").isEqualTo(-5_775_019_520_204_625_256L);
        assertThat(Hash64.hash("abcdefghi")).isEqualTo(-3_910_857_017_675_978_046L);
        assertThat(Hash64.hash("session-0123456789abcdef")).isEqualTo(6_791_765_377_052_700_962L);
        assertThat(Hash64.hash("café")).as("UTF-8").isEqualTo(6_879_836_364_603_940_138L);
        assertThat(Hash64.hash(new byte[] {(byte)198, 18, 0, 1})).isEqualTo(-7_848_117_091_134_347_589L);
    }

    @Test
    void textHashesAsItsUtf8Bytes()
    {
        for (final String text : new String[] {"", "a", "abcdefg", "abcdefgh", "abcdefghi", "session-0123456789abcdef", "café", "日本語のキー"})
        {
            assertThat(Hash64.hash(text)).as(text).isEqualTo(Hash64.hash(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void everyByteChangesTheHashAndSimilarKeysSpread()
    {
        final Set<Long> hashes = new HashSet<>();
        final Set<Long> topBits = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
        {
            final long hash = Hash64.hash("user-" + i);
            hashes.add(hash);
            topBits.add(hash >>> 56);
        }
        assertThat(hashes).hasSize(10_000);
        assertThat(topBits).as("the high byte takes all 256 values").hasSize(256);
        assertThat(Hash64.hash("abcdefgh1")).isNotEqualTo(Hash64.hash("abcdefgh2"));
    }

    @Test
    void hexIsSixteenDigits()
    {
        assertThat(Hash64.hex(0x1fL)).isEqualTo("000000000000001f");
        assertThat(Hash64.hex(-1L)).isEqualTo("ffffffffffffffff");
    }
}
