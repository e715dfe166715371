package io.sluice.control.doctor;

import java.util.Optional;

/** What the kernel answers only when asked by trying: each probe undoes what it did. */
public interface KernelProbes
{
    /** @return empty when socket(AF_XDP) succeeded, else the refusal. */
    Optional<Refusal> afXdpSocket();

    /** @return empty when bpf(BPF_MAP_CREATE) of a one-slot array succeeded, else the refusal. */
    Optional<Refusal> bpfSyscall();

    /** @return empty when an io_uring could be set up, else why not. */
    Optional<String> ioUring();

    /** Attaches an XDP_PASS program to the interface for a moment; the answer is kept, so it runs once. */
    XdpAttachment xdpAttach(String iface);

    /** The kernel said no: its errno and the call's message. */
    record Refusal(int errno, String message)
    {
    }

    /**
     * What attaching XDP to an interface showed.
     *
     * @param xdpMode  native or generic, the first that attached; null when neither did.
     * @param bindMode how an AF_XDP socket bound on queue 0: zero-copy or copy; null when it did not.
     * @param failure  why the attachment or the socket failed, or null.
     * @param busy     whether another XDP program held the interface, so nothing was tried.
     */
    record XdpAttachment(String xdpMode, String bindMode, String failure, boolean busy)
    {
    }
}
