package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host made up for a check's test: files written under a temporary root, canned command
 * output, kernel probes' answers and rtnetlink's, each set by the test.
 */
final class FakeHost
{
    private final Path root;
    private final Map<List<String>, String> commands = new HashMap<>();
    private final List<HostNetwork.Address> addresses = new ArrayList<>();
    private final Map<IpAddress, HostNetwork.RouteAnswer> routes = new HashMap<>();
    private final Map<String, HostNetwork.NeighbourEntry> neighbours = new HashMap<>();
    private KernelProbes.Refusal afXdpRefusal;
    private KernelProbes.Refusal bpfRefusal;
    private String ioUringUnavailable;
    private KernelProbes.XdpAttachment xdpAttachment = new KernelProbes.XdpAttachment("native", "copy", null, false);

    /** @param parent where this host's own root directory is made, so hosts in one test share no files. */
    FakeHost(final Path parent)
    {
        try
        {
            this.root = Files.createTempDirectory(parent, "host");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Writes {@code content} at {@code path} (absolute, as on a host) under the root. */
    FakeHost file(final String path, final String content)
    {
        try
        {
            final Path file = root.resolve(path.substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    FakeHost command(final String output, final String... command)
    {
        commands.put(List.of(command), output);
        return this;
    }

    FakeHost afXdpRefused(final int errno)
    {
        afXdpRefusal = new KernelProbes.Refusal(errno, "socket(AF_XDP): errno " + errno);
        return this;
    }

    FakeHost bpfRefused(final int errno)
    {
        bpfRefusal = new KernelProbes.Refusal(errno, "bpf(BPF_MAP_CREATE): errno " + errno);
        return this;
    }

    FakeHost ioUringUnavailable(final String why)
    {
        ioUringUnavailable = why;
        return this;
    }

    FakeHost xdp(final KernelProbes.XdpAttachment attachment)
    {
        xdpAttachment = attachment;
        return this;
    }

    FakeHost address(final String iface, final String address, final int prefixLength)
    {
        addresses.add(new HostNetwork.Address(iface, IpAddress.parse(address), prefixLength));
        return this;
    }

    FakeHost route(final String destination, final String iface, final String gateway, final boolean local)
    {
        routes.put(IpAddress.parse(destination),
            new HostNetwork.RouteAnswer(iface, gateway == null ? null : IpAddress.parse(gateway), local));
        return this;
    }

    FakeHost neighbour(final String iface, final String address, final String state, final boolean usable)
    {
        neighbours.put(iface + " " + IpAddress.parse(address), new HostNetwork.NeighbourEntry(state, usable));
        return this;
    }

    Host host()
    {
        return new Host(new HostFiles(root), (command) -> Optional.ofNullable(commands.get(List.of(command))), new Probes(),
            new Network());
    }

    /** Runs {@code check} on this host. */
    Finding run(final Check check)
    {
        return check.run(host());
    }

    private final class Probes implements KernelProbes
    {
        @Override
        public Optional<Refusal> afXdpSocket()
        {
            return Optional.ofNullable(afXdpRefusal);
        }

        @Override
        public Optional<Refusal> bpfSyscall()
        {
            return Optional.ofNullable(bpfRefusal);
        }

        @Override
        public Optional<String> ioUring()
        {
            return Optional.ofNullable(ioUringUnavailable);
        }

        @Override
        public XdpAttachment xdpAttach(final String iface)
        {
            return xdpAttachment;
        }
    }

    private final class Network implements HostNetwork
    {
        @Override
        public List<Address> addresses()
        {
            return addresses;
        }

        @Override
        public Optional<RouteAnswer> routeTo(final IpAddress destination)
        {
            return Optional.ofNullable(routes.get(destination));
        }

        @Override
        public Optional<NeighbourEntry> neighbour(final String iface, final IpAddress address)
        {
            return Optional.ofNullable(neighbours.get(iface + " " + address));
        }
    }
}
