package io.sluice.lab.udp;

import io.sluice.lab.AddressText;
import io.sluice.lab.LabHelpers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * A lab UDP backend: answers every datagram with {@code NAME CLIENT-ADDRESS}, so a client can
 * count which real served it and see the address the real saw. Bound to one address, its
 * answers come from that address: bound to a VIP (DSR, tunnel) they come from the VIP, as the
 * client expects; bound to the real's own (NAT) the forwarder turns them back into the VIP's.
 *
 * <pre>java -cp sluice.jar io.sluice.lab.udp.UdpEchoBackend --name real1 --bind 198.18.1.5 --port 5301</pre>
 */
@Command(name = "UdpEchoBackend", mixinStandardHelpOptions = true,
    description = "Lab UDP backend: answers every datagram with its name and the client's address.")
public final class UdpEchoBackend implements Callable<Integer>
{
    /** Printed once the socket is bound. */
    public static final String READY = "listening on";

    @Option(names = "--name", required = true, description = "Name to answer with, e.g. real1.")
    private String name;

    @Option(names = "--port", required = true, description = "UDP port.")
    private int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to bind (default ${DEFAULT-VALUE}).")
    private String bind;

    public static void main(final String[] args)
    {
        System.exit(LabHelpers.commandLine(new UdpEchoBackend()).execute(args));
    }

    @Override
    public Integer call() throws IOException
    {
        if (port < 1 || port > 65535)
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--port " + port + " is outside 1-65535");
        }
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bind, port)))
        {
            Runtime.getRuntime().addShutdownHook(new Thread(socket::close, "udp-backend-stop"));
            System.out.println("UdpEchoBackend " + name + " " + READY + " " + bind + ":" + port);
            System.out.flush();
            final byte[] buffer = new byte[2048];
            while (true)
            {
                final DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                try
                {
                    socket.receive(request);
                }
                catch (final SocketException closed)
                {
                    return 0; // stopped
                }
                final byte[] answer = (name + " " + AddressText.of(request.getAddress())).getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(answer, answer.length, request.getSocketAddress()));
            }
        }
    }
}
