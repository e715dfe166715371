/**
 * The bpf(2) system call through FFM: maps, loading a program the Java {@link
 * io.sluice.linux.bpf.BpfAssembler} emitted (the verifier's log in the error when it refuses),
 * running it on a test packet, and attaching XDP programs with a bpf_link. No libbpf, no clang,
 * no ELF: constants and layouts are those of {@code linux/bpf.h} and {@code linux/if_link.h}.
 */
package io.sluice.linux.bpf;
