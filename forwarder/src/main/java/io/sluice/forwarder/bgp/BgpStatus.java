package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;

import java.util.Map;
import java.util.Set;

/**
 * What the {@link BirdSupervisor} last saw, published as a whole so a reader never sees half of
 * an update.
 *
 * @param announced     the VIP addresses BIRD confirmed it announces (none while it is not running).
 * @param sessions      each neighbour's session state.
 * @param bfd           each neighbour's BFD session state (empty when the BGP file has no {@code bfd}).
 * @param established   per neighbour, how many times its session came up.
 * @param birdRestarts  how many times BIRD exited and was started again.
 * @param announcements how many times a VIP address was announced.
 * @param withdrawals   how many times one was withdrawn.
 */
public record BgpStatus(
    Set<IpAddress> announced,
    Map<IpAddress, SessionState> sessions,
    Map<IpAddress, BfdState> bfd,
    Map<IpAddress, Long> established,
    long birdRestarts,
    long announcements,
    long withdrawals)
{
    public BgpStatus
    {
        announced = Set.copyOf(announced);
        sessions = Map.copyOf(sessions);
        bfd = Map.copyOf(bfd);
        established = Map.copyOf(established);
    }
}
