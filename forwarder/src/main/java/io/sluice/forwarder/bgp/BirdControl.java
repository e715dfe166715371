package io.sluice.forwarder.bgp;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A connection to BIRD's control socket (what {@code birdc} speaks): one command line out, one
 * {@link BirdReply} back. Blocking, for the {@link BirdSupervisor}'s own thread only; closing it
 * from elsewhere ends a read that waits.
 */
final class BirdControl implements AutoCloseable
{
    private static final int GREETING = 1;

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private final StringBuilder line = new StringBuilder(128);

    private BirdControl(final SocketChannel channel)
    {
        this.channel = channel;
        in.flip();
    }

    /**
     * Connects and reads BIRD's greeting ({@code 0001 BIRD 2.0.12 ready.}).
     *
     * @throws IOException when nothing listens there yet, or it is not BIRD.
     */
    static BirdControl connect(final Path socket) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
            final BirdControl control = new BirdControl(channel);
            final BirdReply greeting = control.read();
            if (greeting.lines().isEmpty() || greeting.lines().getFirst().code() != GREETING)
            {
                throw new IOException("not BIRD's greeting on " + socket + ": " + greeting.text());
            }
            return control;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /** Sends one command ({@code "enable vip_198_18_1_1"}) and waits for its whole reply. */
    BirdReply command(final String command) throws IOException
    {
        final ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining())
        {
            channel.write(out);
        }
        return read();
    }

    private BirdReply read() throws IOException
    {
        final BirdReply.Parser parser = new BirdReply.Parser();
        while (true)
        {
            while (in.hasRemaining())
            {
                final char c = (char)(in.get() & 0xFF);
                if (c != '\n')
                {
                    line.append(c);
                    continue;
                }
                final boolean last;
                try
                {
                    last = parser.add(line.toString());
                }
                catch (final IllegalStateException ex)
                {
                    throw new IOException(ex.getMessage(), ex);
                }
                line.setLength(0);
                if (last)
                {
                    return parser.reply();
                }
            }
            in.clear();
            if (channel.read(in) < 0)
            {
                throw new IOException("BIRD closed its control socket");
            }
            in.flip();
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
