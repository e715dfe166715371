package io.sluice.control.demo;

import io.sluice.control.json.Json;

import java.util.List;

/**
 * What {@code sluice demo --ha} measured, and whether it met issue 20's targets: no new
 * connection failed across the SIGTERM, at least 99.9 % succeeded across the SIGKILL and the
 * router dropped the path within a second, and every long-lived connection survived.
 */
record HaSummary(FailoverLoad.Counts all, FailoverLoad.Counts sigterm, FailoverLoad.Counts kill, int longLivedSurvived,
                 int longLived, long longLivedRequests, long sigtermWithdrawMs, long killConvergenceMs, long fwd2RejoinMs,
                 long fwdRejoinMs)
{
    boolean meetsTargets(final double killTargetPercent, final long killConvergenceLimitMs)
    {
        return sigtermMet() && killMet(killTargetPercent) && killConvergenceMs < killConvergenceLimitMs &&
            longLivedSurvived == longLived;
    }

    List<String> lines(final double killTargetPercent, final long killConvergenceLimitMs)
    {
        return List.of(
            String.format("  new connections: %d attempted, %d failed", all.ok() + all.failed(), all.failed()),
            String.format("  %-24s %6d new connections, %d failed (%.3f %%)   target 100 %%: %s", HaDemo.SIGTERM_LINE,
                sigterm.ok() + sigterm.failed(), sigterm.failed(), sigterm.successPercent(), verdict(sigtermMet())),
            String.format("  %-24s %6d new connections, %d failed (%.3f %%)   target %.1f %%: %s", HaDemo.KILL_LINE,
                kill.ok() + kill.failed(), kill.failed(), kill.successPercent(), killTargetPercent,
                verdict(killMet(killTargetPercent))),
            String.format("  %-24s %d of %d survived (%d requests)   target all: %s", HaDemo.LONG_LIVED_LINE, longLivedSurvived,
                longLived, longLivedRequests, verdict(longLivedSurvived == longLived)),
            String.format("  convergence: SIGTERM -> 1 next hop in %d ms; kill -9 -> 1 next hop in %d ms (target < %d ms: %s); " +
                "restarted, fwd2 rejoined in %d ms and fwd in %d ms", sigtermWithdrawMs, killConvergenceMs,
                killConvergenceLimitMs, verdict(killConvergenceMs < killConvergenceLimitMs), fwd2RejoinMs, fwdRejoinMs));
    }

    String toJson()
    {
        return Json.write(json ->
        {
            json.writeStartObject();
            json.writeNumberField("attempted", all.ok() + all.failed());
            json.writeNumberField("failed", all.failed());
            json.writeNumberField("sigtermAttempted", sigterm.ok() + sigterm.failed());
            json.writeNumberField("sigtermFailed", sigterm.failed());
            json.writeNumberField("killAttempted", kill.ok() + kill.failed());
            json.writeNumberField("killFailed", kill.failed());
            json.writeNumberField("longLived", longLived);
            json.writeNumberField("longLivedSurvived", longLivedSurvived);
            json.writeNumberField("sigtermWithdrawMs", sigtermWithdrawMs);
            json.writeNumberField("killConvergenceMs", killConvergenceMs);
            json.writeNumberField("fwd2RejoinMs", fwd2RejoinMs);
            json.writeNumberField("fwdRejoinMs", fwdRejoinMs);
            json.writeEndObject();
        });
    }

    private boolean sigtermMet()
    {
        return sigterm.failed() == 0 && sigterm.ok() > 0;
    }

    private boolean killMet(final double targetPercent)
    {
        return kill.successPercent() >= targetPercent;
    }

    private static String verdict(final boolean met)
    {
        return met ? "met" : "MISSED";
    }
}
