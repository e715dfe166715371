package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipConfig;

import java.util.List;

/**
 * What {@code sluice doctor} was asked to look at.
 *
 * @param iface      the forwarder's interface (on a real: the one facing the forwarder), or null.
 * @param realVip    the VIP this host serves as a real, or null on the forwarder's host.
 * @param queues     the forwarder's {@code --queues}.
 * @param workerCpus the forwarder's {@code --cpus}, one CPU per queue; empty when not pinned.
 * @param vips       the forwarder's configuration (from {@code --state-dir}); empty when there is none.
 */
public record DoctorOptions(String iface, IpAddress realVip, int queues, List<Integer> workerCpus, List<VipConfig> vips)
{
}
