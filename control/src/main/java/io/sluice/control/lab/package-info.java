/**
 * The Java side of the lab that the demo and the lab tests run: {@link io.sluice.control.lab.Lab}
 * builds and tears down the namespaces through {@code lab/sluice-lab} (the one topology
 * definition), {@link io.sluice.control.lab.LabForwarder} and
 * {@link io.sluice.control.lab.SluiceRunner} run the real {@code sluice} command line as separate
 * processes, and small programs run inside the namespaces: HTTP and UDP backends that answer with
 * their own name, a load client that counts who served each request
 * ({@link io.sluice.control.lab.HttpLoad}), and the two-tier topology's L7 configuration. Evidence
 * of the traffic's path comes from the kernel's interface counters and, where installed, tcpdump.
 * The lab speaks HTTP over plain sockets on purpose, to decide which TCP connection carries each
 * request; it is used by the {@code demo} package and by control's lab tests.
 */
package io.sluice.control.lab;
