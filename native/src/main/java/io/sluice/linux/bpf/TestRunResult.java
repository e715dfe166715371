package io.sluice.linux.bpf;

/**
 * What one BPF_PROG_TEST_RUN gave: the program's return value (an XDP action for an XDP program)
 * and the packet as the program left it, so a test can check a rewrite as well as a verdict.
 *
 * @param action the program's return value, e.g. {@link LoadedProgram#XDP_PASS}.
 * @param packet the output packet, a copy.
 */
public record TestRunResult(int action, byte[] packet)
{
}
