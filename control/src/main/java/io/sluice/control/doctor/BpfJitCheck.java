package io.sluice.control.doctor;

import java.util.OptionalInt;

/** Whether eBPF programs are compiled: interpreted, the XDP program costs several times as much per packet. */
public final class BpfJitCheck implements Check
{
    static final String NAME = "bpf-jit";
    static final String SYSCTL = "/proc/sys/net/core/bpf_jit_enable";
    private static final String FIX = "sysctl -w net.core.bpf_jit_enable=1";

    @Override
    public Finding run(final Host host)
    {
        final OptionalInt enabled = host.files().readInt(SYSCTL);
        if (enabled.isEmpty())
        {
            return Finding.warn(NAME, "no " + SYSCTL + ": a network namespace shows none (only the host's has it), " +
                "else the kernel has no eBPF JIT", "on the host: sysctl net.core.bpf_jit_enable (1 wanted; CONFIG_BPF_JIT=y)");
        }
        return switch (enabled.getAsInt())
        {
            case 1 -> Finding.pass(NAME, "net.core.bpf_jit_enable = 1");
            case 0 -> Finding.fail(NAME, "net.core.bpf_jit_enable = 0: the XDP program runs in the interpreter", FIX);
            default -> Finding.warn(NAME, "net.core.bpf_jit_enable = " + enabled.getAsInt() +
                ": compiled, but every program load dumps its code to the kernel log", FIX);
        };
    }
}
