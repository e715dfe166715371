package io.sluice.linux.packet;

import java.util.Objects;

/**
 * How a {@link PacketSocket} is set up. Validated here, so a bad value fails with a message
 * naming it instead of an {@code EINVAL} from the kernel.
 *
 * @param blockSizeBytes    size of one ring block: a power of two, at least one page. The kernel
 *                          hands the ring to user space a block at a time, so a block is the batch.
 * @param blockCount        number of blocks in the ring (the ring is blockSize × blockCount bytes).
 * @param frameSizeBytes    the kernel's frame-size hint (TPACKET_V3 packs frames of any size;
 *                          this only sets tp_frame_nr), a multiple of 16 that divides the block size.
 * @param blockTimeoutMs    how long a partly filled block waits before the kernel retires it to user
 *                          space: small, so a trickle of packets is not held back.
 * @param headroomBytes     PACKET_RESERVE: bytes left free in front of each frame's MAC header, room
 *                          to put back a VLAN tag or to prepend an encapsulation header in place.
 * @param fanoutGroupId     0 for none; else the PACKET_FANOUT group (1..65535) this socket joins
 *                          with PACKET_FANOUT_HASH, so one flow always lands on the same socket.
 * @param filter            the classic BPF filter attached before the socket receives anything.
 */
public record PacketSocketOptions(
    int blockSizeBytes,
    int blockCount,
    int frameSizeBytes,
    int blockTimeoutMs,
    int headroomBytes,
    int fanoutGroupId,
    ClassicBpfProgram filter)
{
    public static final int DEFAULT_BLOCK_SIZE_BYTES = 256 * 1024;
    public static final int DEFAULT_BLOCK_COUNT = 32;
    public static final int DEFAULT_FRAME_SIZE_BYTES = 2048;
    public static final int DEFAULT_BLOCK_TIMEOUT_MS = 1;
    public static final int DEFAULT_HEADROOM_BYTES = 64;

    private static final int PAGE_SIZE = 4096;
    private static final long MAX_RING_BYTES = 1L << 30;
    private static final int MAX_HEADROOM_BYTES = 1024;

    public PacketSocketOptions
    {
        Objects.requireNonNull(filter, "filter");
        if (blockSizeBytes < PAGE_SIZE || Integer.bitCount(blockSizeBytes) != 1)
        {
            throw new IllegalArgumentException(
                "packet ring block size must be a power of two of at least " + PAGE_SIZE + " bytes, was " + blockSizeBytes);
        }
        if (blockCount < 1 || (long)blockSizeBytes * blockCount > MAX_RING_BYTES)
        {
            throw new IllegalArgumentException("packet ring block count must be at least 1 and the ring at most " +
                MAX_RING_BYTES + " bytes, was " + blockCount + " blocks of " + blockSizeBytes);
        }
        if (blockTimeoutMs < 1)
        {
            throw new IllegalArgumentException("packet ring block timeout must be at least 1 ms, was " + blockTimeoutMs);
        }
        if (headroomBytes < 0 || headroomBytes > MAX_HEADROOM_BYTES)
        {
            throw new IllegalArgumentException(
                "packet ring headroom must be 0.." + MAX_HEADROOM_BYTES + " bytes, was " + headroomBytes);
        }
        if (frameSizeBytes < Tpacket.TPACKET3_HDRLEN + headroomBytes || frameSizeBytes % Tpacket.TPACKET_ALIGNMENT != 0 ||
            frameSizeBytes > blockSizeBytes)
        {
            throw new IllegalArgumentException("packet ring frame size must be a multiple of 16 between " +
                (Tpacket.TPACKET3_HDRLEN + headroomBytes) + " (header + headroom) and the block size, was " + frameSizeBytes);
        }
        if (fanoutGroupId < 0 || fanoutGroupId > 0xFFFF)
        {
            throw new IllegalArgumentException("packet fanout group id must be 0 (none) or 1..65535, was " + fanoutGroupId);
        }
    }

    /** Defaults: 32 blocks of 256 KiB (8 MiB), 1 ms block timeout, 64 bytes headroom, no fanout, drop everything. */
    public static PacketSocketOptions defaults()
    {
        return new PacketSocketOptions(DEFAULT_BLOCK_SIZE_BYTES, DEFAULT_BLOCK_COUNT, DEFAULT_FRAME_SIZE_BYTES,
            DEFAULT_BLOCK_TIMEOUT_MS, DEFAULT_HEADROOM_BYTES, 0, ClassicBpfProgram.rejectAll());
    }

    public PacketSocketOptions withRing(final int blockSizeBytes, final int blockCount)
    {
        return new PacketSocketOptions(blockSizeBytes, blockCount, frameSizeBytes, blockTimeoutMs, headroomBytes,
            fanoutGroupId, filter);
    }

    public PacketSocketOptions withBlockTimeoutMs(final int blockTimeoutMs)
    {
        return new PacketSocketOptions(blockSizeBytes, blockCount, frameSizeBytes, blockTimeoutMs, headroomBytes,
            fanoutGroupId, filter);
    }

    public PacketSocketOptions withHeadroomBytes(final int headroomBytes)
    {
        return new PacketSocketOptions(blockSizeBytes, blockCount, frameSizeBytes, blockTimeoutMs, headroomBytes,
            fanoutGroupId, filter);
    }

    public PacketSocketOptions withFanoutGroupId(final int fanoutGroupId)
    {
        return new PacketSocketOptions(blockSizeBytes, blockCount, frameSizeBytes, blockTimeoutMs, headroomBytes,
            fanoutGroupId, filter);
    }

    public PacketSocketOptions withFilter(final ClassicBpfProgram filter)
    {
        return new PacketSocketOptions(blockSizeBytes, blockCount, frameSizeBytes, blockTimeoutMs, headroomBytes,
            fanoutGroupId, filter);
    }
}
