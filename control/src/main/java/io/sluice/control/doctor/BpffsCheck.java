package io.sluice.control.doctor;

/**
 * Whether the BPF filesystem is mounted. sluice pins nothing (its programs go with their
 * bpf_link), but the tools one inspects them with (bpftool, libxdp's xdp-loader) need it.
 */
public final class BpffsCheck implements Check
{
    static final String NAME = "bpffs";

    @Override
    public Finding run(final Host host)
    {
        for (final String mount : host.files().read("/proc/mounts").orElse("").split("\n"))
        {
            final String[] fields = mount.split(" ");
            if (fields.length > 2 && "bpf".equals(fields[2]))
            {
                return Finding.pass(NAME, "mounted at " + fields[1]);
            }
        }
        return Finding.warn(NAME, "no bpf filesystem mounted: sluice needs none, bpftool and xdp-loader do",
            "mount -t bpf bpf /sys/fs/bpf");
    }
}
