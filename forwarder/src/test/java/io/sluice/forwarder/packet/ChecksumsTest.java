package io.sluice.forwarder.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

final class ChecksumsTest
{
    /** A commonly quoted example IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) with checksum 0xb861. */
    private static final byte[] HEADER = {
        0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
        (byte)0xb8, 0x61, (byte)0xc0, (byte)0xa8, 0x00, 0x01, (byte)0xc0, (byte)0xa8, 0x00, (byte)0xc7
    };

    @Test
    void fullChecksumOfAKnownHeader()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(HEADER.clone());
        assertThat(Checksums.ipv4HeaderChecksum(buffer, 0, 20)).isEqualTo(0xB861);
        assertThat(Checksums.ipv4HeaderChecksumValid(buffer, 0, 20)).isTrue();
        buffer.putByte(8, (byte)0x3F);
        assertThat(Checksums.ipv4HeaderChecksumValid(buffer, 0, 20)).as("TTL changed, checksum not").isFalse();
    }

    @Test
    void sumPadsAnOddLastByteWithZero()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[]{0x01, 0x02, 0x03});
        assertThat(Checksums.sum(buffer, 0, 3, 0)).isEqualTo(0x0102 + 0x0300);
        assertThat(Checksums.fold(0x1_FFFEL)).isEqualTo(0xFFFF);
        assertThat(Checksums.fold(0xFFFF_FFFFL)).isEqualTo(0xFFFF);
    }

    /** {@link Checksums#sum} reads eight bytes at a time: it folds to what the RFC 1071 loop over 16-bit words gives. */
    @Test
    void sumFoldsAsTheSixteenBitLoopDoesForEveryLengthAndOffset()
    {
        final SplittableRandom random = new SplittableRandom(14);
        final byte[] bytes = new byte[1600];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int trial = 0; trial < 2_000; trial++)
        {
            random.nextBytes(bytes);
            if (trial % 10 == 0)
            {
                java.util.Arrays.fill(bytes, (byte)0xFF); // carries on every addition
            }
            final int offset = random.nextInt(64);
            final int length = random.nextInt(bytes.length - offset);
            long reference = trial;
            for (int i = 0; i + 1 < length; i += 2)
            {
                reference += buffer.getShort(offset + i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            }
            if ((length & 1) != 0)
            {
                reference += (bytes[offset + length - 1] & 0xFF) << 8;
            }
            assertThat(Checksums.fold(Checksums.sum(buffer, offset, length, trial))).as("length %d at %d", length, offset)
                .isEqualTo(Checksums.fold(reference));
        }
    }

    @Test
    void incrementalUpdateEqualsFullRecomputationForRandomHeadersAndChanges()
    {
        final SplittableRandom random = new SplittableRandom(1624);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        for (int trial = 0; trial < 200_000; trial++)
        {
            for (int i = 0; i < 20; i += 4)
            {
                buffer.putInt(i, random.nextInt());
            }
            buffer.putShort(10, (short)0);
            buffer.putShort(10, (short)Checksums.ipv4HeaderChecksum(buffer, 0, 20), ByteOrder.BIG_ENDIAN);
            final int before = buffer.getShort(10, ByteOrder.BIG_ENDIAN) & 0xFFFF;

            final int wordOffset = 2 * random.nextInt(10);
            if (wordOffset == 10)
            {
                continue;
            }
            final int oldWord = buffer.getShort(wordOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int newWord = trial % 7 == 0 ? 0 : random.nextInt(0x10000);
            buffer.putShort(wordOffset, (short)newWord, ByteOrder.BIG_ENDIAN);

            assertThat(Checksums.update16(before, oldWord, newWord))
                .as("trial %d word %d %04x -> %04x", trial, wordOffset, oldWord, newWord)
                .isEqualTo(Checksums.ipv4HeaderChecksum(buffer, 0, 20));
        }
    }

    @Test
    void incrementalUpdateOfA32BitFieldEqualsFullRecomputation()
    {
        final SplittableRandom random = new SplittableRandom(1141);
        final UnsafeBuffer buffer = new UnsafeBuffer(HEADER.clone());
        for (int trial = 0; trial < 100_000; trial++)
        {
            final int before = buffer.getShort(10, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int old = buffer.getInt(16, ByteOrder.BIG_ENDIAN);
            final int address = random.nextInt();
            buffer.putInt(16, address, ByteOrder.BIG_ENDIAN);
            final int expected = Checksums.ipv4HeaderChecksum(buffer, 0, 20);
            assertThat(Checksums.update32(before, old, address)).isEqualTo(expected);
            buffer.putShort(10, (short)expected, ByteOrder.BIG_ENDIAN);
        }
    }

    @Test
    void incrementalUpdateReachingZeroGivesZeroNotAllOnes()
    {
        // RFC 1624's point: an incremental form without the outer complement can produce 0xFFFF (-0) where
        // a full computation gives 0x0000. Words chosen so that the new data sums to 0xFFFF: checksum 0x0000.
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        buffer.putShort(0, (short)0xFFFE, ByteOrder.BIG_ENDIAN);
        buffer.putShort(2, (short)0x0000, ByteOrder.BIG_ENDIAN);
        final int before = Checksums.ipv4HeaderChecksum(buffer, 0, 20);
        assertThat(before).isEqualTo(0x0001);
        buffer.putShort(2, (short)0x0001, ByteOrder.BIG_ENDIAN);
        assertThat(Checksums.ipv4HeaderChecksum(buffer, 0, 20)).isZero();
        assertThat(Checksums.update16(before, 0x0000, 0x0001)).isZero();
    }
}
