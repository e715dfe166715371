package io.sluice.linux.packet;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Test helper: drains a packet socket's ring into copies of its frames. */
final class RingFrames
{
    /** Fail-safe for a broken setup; the tests assert on what arrived, never on how long it took. */
    private static final long GIVE_UP_NS = 10_000_000_000L;

    record Frame(byte[] bytes, int headroom, boolean vlanValid, int vlanTci, int vlanTpid, int wireLength)
    {
    }

    private RingFrames()
    {
    }

    /** Reads frames until {@code expected} arrived (or the fail-safe passes), releasing each block. */
    static List<Frame> collect(final PacketSocket socket, final int expected)
    {
        final List<Frame> frames = new ArrayList<>();
        final long deadline = System.nanoTime() + GIVE_UP_NS;
        while (frames.size() < expected && System.nanoTime() < deadline)
        {
            if (socket.awaitBlock(50) == 0)
            {
                continue;
            }
            drainBlock(socket, frames);
        }
        return frames;
    }

    static void drainBlock(final PacketSocket socket, final List<Frame> into)
    {
        final MemorySegment ring = socket.ring();
        int frame = socket.firstFrameOffset();
        for (int i = 0, n = socket.blockPacketCount(); i < n; i++)
        {
            final int mac = socket.macOffset(frame);
            final byte[] bytes = new byte[socket.snapLength(frame)];
            MemorySegment.copy(ring, JAVA_BYTE, mac, bytes, 0, bytes.length);
            into.add(new Frame(bytes, mac - frame - (int)Tpacket.TPACKET3_HDRLEN, socket.vlanValid(frame),
                socket.vlanTci(frame), socket.vlanTpid(frame), socket.wireLength(frame)));
            frame = socket.nextFrameOffset(frame);
        }
        socket.releaseBlock();
    }

    static int ipv4Destination(final byte[] frame)
    {
        return readInt(frame, 30);
    }

    static int ethertype(final byte[] frame)
    {
        return ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
    }

    static long destinationMac(final byte[] frame)
    {
        return readMac(frame, 0);
    }

    static long sourceMac(final byte[] frame)
    {
        return readMac(frame, 6);
    }

    static String udpPayload(final byte[] frame)
    {
        final int udp = 14 + (frame[14] & 0x0F) * 4;
        final int length = (((frame[udp + 4] & 0xFF) << 8) | (frame[udp + 5] & 0xFF)) - 8;
        return new String(frame, udp + 8, length, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static int readInt(final byte[] bytes, final int at)
    {
        return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
    }

    private static long readMac(final byte[] bytes, final int at)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (bytes[at + i] & 0xFF);
        }
        return mac;
    }
}
