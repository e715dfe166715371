package io.sluice.control.doctor;

import io.sluice.linux.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel feature checks: AF_XDP, bpf(2), the JIT, bpffs and io_uring. */
class KernelChecksTest
{
    @TempDir
    Path root;

    @Test
    void afXdpPassesWarnsWithoutTheFeatureAndFailsWithoutPrivilege()
    {
        assertThat(new FakeHost(root).run(new AfXdpCheck()).verdict()).isEqualTo(Verdict.PASS);

        final Finding missing = new FakeHost(root).afXdpRefused(Errno.EAFNOSUPPORT).run(new AfXdpCheck());
        assertThat(missing.verdict()).isEqualTo(Verdict.WARN);
        assertThat(missing.fix()).contains("--io packet");

        final Finding denied = new FakeHost(root).afXdpRefused(Errno.EPERM).run(new AfXdpCheck());
        assertThat(denied.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(denied.fix()).contains("root");
    }

    @Test
    void bpfPassesWarnsWithoutTheSyscallAndFailsWithoutPrivilege()
    {
        assertThat(new FakeHost(root).run(new BpfSyscallCheck()).verdict()).isEqualTo(Verdict.PASS);
        assertThat(new FakeHost(root).bpfRefused(BpfSyscallCheck.ENOSYS).run(new BpfSyscallCheck()).verdict())
            .isEqualTo(Verdict.WARN);
        final Finding denied = new FakeHost(root).bpfRefused(Errno.EPERM).run(new BpfSyscallCheck());
        assertThat(denied.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(denied.fix()).contains("CAP_BPF");
    }

    @Test
    void bpfJitPassesWhenOnWarnsOnDebugAndFailsWhenOff()
    {
        assertThat(new FakeHost(root).file(BpfJitCheck.SYSCTL, "1\n").run(new BpfJitCheck()).verdict()).isEqualTo(Verdict.PASS);
        assertThat(new FakeHost(root).file(BpfJitCheck.SYSCTL, "2\n").run(new BpfJitCheck()).verdict()).isEqualTo(Verdict.WARN);
        final Finding off = new FakeHost(root).file(BpfJitCheck.SYSCTL, "0\n").run(new BpfJitCheck());
        assertThat(off.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(off.fix()).isEqualTo("sysctl -w net.core.bpf_jit_enable=1");
    }

    @Test
    void bpfJitWarnsWhenItCannotTell()
    {
        assertThat(new FakeHost(root).run(new BpfJitCheck()).verdict()).isEqualTo(Verdict.WARN);
    }

    @Test
    void bpffsPassesWhenMountedAndWarnsWhenNot()
    {
        final Finding mounted = new FakeHost(root)
            .file("/proc/mounts", "proc /proc proc rw 0 0\nbpf /sys/fs/bpf bpf rw,relatime 0 0\n").run(new BpffsCheck());
        assertThat(mounted.verdict()).isEqualTo(Verdict.PASS);
        assertThat(mounted.detail()).contains("/sys/fs/bpf");

        final Finding missing = new FakeHost(root).file("/proc/mounts", "proc /proc proc rw 0 0\n").run(new BpffsCheck());
        assertThat(missing.verdict()).isEqualTo(Verdict.WARN);
        assertThat(missing.fix()).isEqualTo("mount -t bpf bpf /sys/fs/bpf");
    }

    @Test
    void ioUringPassesWhenAllowedAndWarnsWhenDisabledOrUnavailable()
    {
        assertThat(new FakeHost(root).file(IoUringCheck.SYSCTL, "0").run(new IoUringCheck()).verdict()).isEqualTo(Verdict.PASS);

        final Finding disabled = new FakeHost(root).file(IoUringCheck.SYSCTL, "2").run(new IoUringCheck());
        assertThat(disabled.verdict()).isEqualTo(Verdict.WARN);
        assertThat(disabled.fix()).isEqualTo("sysctl -w kernel.io_uring_disabled=0");

        final Finding unavailable = new FakeHost(root).ioUringUnavailable("seccomp").run(new IoUringCheck());
        assertThat(unavailable.verdict()).isEqualTo(Verdict.WARN);
        assertThat(unavailable.detail()).contains("seccomp");
    }
}
