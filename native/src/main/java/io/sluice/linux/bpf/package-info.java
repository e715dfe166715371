/**
 * The bpf(2) system call through FFM: maps ({@link io.sluice.linux.bpf.BpfMap}), loading a program
 * the Java {@link io.sluice.linux.bpf.BpfAssembler} emitted (the verifier's log in the error when it
 * refuses: {@link io.sluice.linux.bpf.LoadedProgram}), running it on a test packet, and attaching
 * XDP programs with a bpf_link ({@link io.sluice.linux.bpf.XdpLink}). The programs are
 * {@link io.sluice.linux.bpf.VipRedirectProgram} (the forwarder's), {@link io.sluice.linux.bpf.DecapProgram}
 * (a real's: IP-in-IP and GUE, with the second chance) and
 * {@link io.sluice.linux.bpf.XskRedirectAllProgram} (for socket tests). No libbpf, no clang, no ELF:
 * constants and layouts are those of {@code linux/bpf.h} and {@code linux/if_link.h}.
 */
package io.sluice.linux.bpf;
