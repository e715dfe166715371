package io.sluice.forwarder.config;

import java.util.List;

/**
 * One VIP of a {@link ForwarderConfig} with its reals, in the order they were added (the order
 * the persisted file and {@code sluice real list} show).
 *
 * @param spec  the VIP.
 * @param reals its reals; an unmodifiable list.
 */
public record VipConfig(VipSpec spec, List<RealSpec> reals)
{
    public VipConfig
    {
        reals = List.copyOf(reals);
    }

    public VipKey key()
    {
        return spec.key();
    }

    /** The port packets for this real go to: its own, or the VIP's when it names none. */
    public int effectivePort(final RealSpec real)
    {
        return real.port() == 0 ? spec.key().port() : real.port();
    }

    /** @return the index of the real at this address and effective port, or -1. */
    public int indexOfReal(final IpAddress address, final int port)
    {
        final int wantedPort = port == 0 ? spec.key().port() : port;
        for (int i = 0; i < reals.size(); i++)
        {
            final RealSpec real = reals.get(i);
            if (real.address().equals(address) && effectivePort(real) == wantedPort)
            {
                return i;
            }
        }
        return -1;
    }
}
