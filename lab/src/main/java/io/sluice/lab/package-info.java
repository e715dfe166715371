/**
 * The namespace lab's Java side, test tooling kept out of the product modules (as Aeron keeps
 * {@code aeron-test-support}): {@link io.sluice.lab.Lab} builds and tears down the namespaces
 * through {@code lab/sluice-lab} (the one topology definition), {@link io.sluice.lab.LabForwarder}
 * and {@link io.sluice.lab.SluiceRunner} run the real {@code sluice} command line as separate
 * processes from the jar {@link io.sluice.lab.SluiceHome} finds, {@link io.sluice.lab.Processes}
 * runs commands with a deadline, and {@link io.sluice.lab.TwoTierConfig} is the two-tier
 * topology's L7 configuration ({@code io.sluice.lab.tls} makes its HTTPS listener's certificate and
 * drives the TLS clients). Evidence of the traffic's path comes from the kernel's interface
 * counters ({@link io.sluice.lab.LinkTraffic}) and, where installed, tcpdump
 * ({@link io.sluice.lab.ReplyCapture}). It depends on no sluice module; control uses it for
 * {@code sluice demo} and its lab tests.
 */
package io.sluice.lab;
