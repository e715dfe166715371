package io.sluice.control.doctor;

import java.util.Optional;

/** Whether bpf(2) works here: the forwarder's XDP program and maps, and {@code sluice decap}, need it. */
public final class BpfSyscallCheck implements Check
{
    static final String NAME = "bpf";
    /** Not in Errno's constants: the kernel was built without the syscall. */
    static final int ENOSYS = 38;

    @Override
    public Finding run(final Host host)
    {
        final Optional<KernelProbes.Refusal> refusal = host.kernel().bpfSyscall();
        if (refusal.isEmpty())
        {
            return Finding.pass(NAME, "bpf(2) works (a map was created and freed)");
        }
        final KernelProbes.Refusal refused = refusal.get();
        if (refused.errno() == ENOSYS)
        {
            return Finding.warn(NAME, refused.message() + ": the kernel lacks CONFIG_BPF_SYSCALL, so the forwarder falls " +
                "back to AF_PACKET (slower)",
                "run a kernel built with CONFIG_BPF_SYSCALL=y, or say so: sluice forwarder --io packet");
        }
        return Finding.fail(NAME, refused.message() + " (a container's seccomp profile forbids bpf(2) by default)",
            "run sluice as root with CAP_BPF and CAP_NET_ADMIN (docker run --privileged)");
    }
}
