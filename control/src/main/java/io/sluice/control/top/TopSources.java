package io.sluice.control.top;

import io.sluice.control.cnc.BgpState;
import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.forwarder.cnc.ControlFileDescriptor;
import io.sluice.forwarder.cnc.ControlFileException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where top's numbers come from: a forwarder's control file, mapped read-only (its counters are
 * read in place, nothing is sent to the forwarder), and an L7 proxy's admin endpoint; either may
 * be absent. A sample is both read at one moment; two make a {@link TopSnapshot}.
 */
public final class TopSources implements AutoCloseable
{
    /**
     * Both parts at one moment.
     *
     * @param l7Error why the L7 endpoint could not be read; the live screen says so and keeps going.
     */
    public record Sample(CounterSample counters, L7Sample l7, String l7Error, long takenAtNs, long takenAtMs)
    {
    }

    private final ControlFile controlFile;
    private final L7Admin l7;

    private TopSources(final ControlFile controlFile, final L7Admin l7)
    {
        this.controlFile = controlFile;
        this.l7 = l7;
    }

    /**
     * @param stateDir  the forwarder's; with {@code l7Address} given and no control file there, top shows the L7 proxy alone.
     * @param l7Address {@code HOST:PORT} of an L7 proxy's admin endpoint, or null.
     * @throws ControlFileException when there is no forwarder to read and no L7 proxy either.
     */
    public static TopSources open(final Path stateDir, final String l7Address)
    {
        final ControlFile controlFile;
        if (l7Address != null && !Files.exists(stateDir.resolve(ControlFileDescriptor.FILE_NAME)))
        {
            controlFile = null;
        }
        else
        {
            controlFile = ControlFile.open(stateDir, true);
        }
        return new TopSources(controlFile, l7Address == null ? null : new L7Admin(l7Address));
    }

    /** {@code "/run/sluice (pid 4242)"}, or null when top reads no forwarder. */
    public String forwarderName()
    {
        return controlFile == null ? null : controlFile.stateDir() + " (pid " + controlFile.pid() + ")";
    }

    /**
     * @param failOnL7 whether an unreadable L7 endpoint fails (a one-shot report) or is recorded in the sample (the live screen).
     * @throws ControlFileException when the forwarder has stopped.
     * @throws L7AdminException     when {@code failOnL7} and the endpoint could not be read.
     */
    public Sample sample(final boolean failOnL7)
    {
        final long nowNs = System.nanoTime();
        CounterSample counters = null;
        if (controlFile != null)
        {
            if (!controlFile.isForwarderAlive())
            {
                throw new ControlFileException(
                    "forwarder at " + controlFile.stateDir() + " stopped (pid " + controlFile.pid() + " gone)");
            }
            counters = CounterSample.read(controlFile.countersReader(), nowNs);
        }
        L7Sample l7Sample = null;
        String l7Error = null;
        if (l7 != null)
        {
            try
            {
                l7Sample = l7.sample(nowNs);
            }
            catch (final L7AdminException ex)
            {
                if (failOnL7)
                {
                    throw ex;
                }
                l7Error = ex.getMessage();
            }
        }
        return new Sample(counters, l7Sample, l7Error, nowNs, System.currentTimeMillis());
    }

    /** The rates between two samples of these sources. */
    public TopSnapshot snapshot(final Sample earlier, final Sample later)
    {
        final ForwarderRates forwarder = later.counters() == null ? null :
            ForwarderRates.between(earlier.counters(), later.counters());
        final L7Rates l7Rates = earlier.l7() == null || later.l7() == null ? null :
            L7Rates.between(l7.address(), earlier.l7(), later.l7());
        final String l7Error = later.l7Error() != null ? later.l7Error() :
            l7Rates == null && l7 != null ? "the L7 admin endpoint at " + l7.address() + " answered only once so far" : null;
        return new TopSnapshot(forwarderName(), forwarder, l7Rates, l7Error, later.takenAtMs(), bgp(later.counters()));
    }

    /** Read from the same counters as {@code sluice vip list} and {@code sluice stats} read. */
    private static BgpState bgp(final CounterSample counters)
    {
        if (counters == null)
        {
            return BgpState.NONE;
        }
        final BgpState.Reader reader = new BgpState.Reader();
        for (final CounterSample.Counter counter : counters.counters())
        {
            reader.add(counter.typeId(), counter.label(), counter.value());
        }
        return reader.state();
    }

    @Override
    public void close()
    {
        if (l7 != null)
        {
            l7.close();
        }
        if (controlFile != null)
        {
            controlFile.close();
        }
    }
}
