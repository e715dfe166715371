package io.sluice.control.doctor;

/** One thing that keeps a forwarder or a real from working, looked for on a {@link Host}. */
@FunctionalInterface
public interface Check
{
    /** @return what the check found; it never throws for what it finds on the host. */
    Finding run(Host host);
}
