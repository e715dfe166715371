package io.sluice.l7.health;

/**
 * What passive outlier ejection knows of one server.
 *
 * @param ejected           out now.
 * @param untilEpochMs      when it returns, if ejected; else when its last ejection ended (0: never ejected).
 * @param ejections         ejections in its current run; each doubles the next one's time.
 * @param failuresInRow     5xx answers and connect failures since its last good answer.
 */
public record EjectionStatus(boolean ejected, long untilEpochMs, int ejections, int failuresInRow)
{
}
