/**
 * {@code sluice doctor}: checks a host for the causes of "it does not forward" that users of
 * Katran, IPVS and HAProxy run into most, each a small {@link io.sluice.control.doctor.Check}
 * with one job that answers PASS, WARN or FAIL with the command that fixes it. Checks see the host
 * only through {@link io.sluice.control.doctor.Host}: files under a root path (so tests feed them
 * fake /proc and /sys trees), commands ({@code ethtool}, {@code ip}), kernel probes (sockets,
 * bpf(2), a brief XDP_PASS attachment) and rtnetlink, each behind an interface a test can replace.
 * {@link io.sluice.control.doctor.Doctor} picks the checks for a forwarder's host or for a real.
 */
package io.sluice.control.doctor;
