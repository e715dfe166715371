package io.sluice.control.daemon;

/** Runs a forwarder until it is told to stop: control file, conductor, one worker per queue. */
public final class ForwarderDaemon
{
    private ForwarderDaemon()
    {
    }

    /** @return the process exit code. */
    public static int run(final ForwarderOptions options)
    {
        throw new UnsupportedOperationException("forwarder daemon: being written");
    }
}
