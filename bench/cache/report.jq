# run-cache's figures, from its runs ($measured, one object per line of runs.jsonl) and the context
# the script gave (--arg KEY VALUE, $ARGS.named): per peer the medians of the warm and cold
# requests per second of cached responses, the hit rate (1 - the backend's requests over the
# requests served), the proxy cgroup's CPU microseconds per request, and per coalescing variant
# the backend requests N concurrent misses of one key made; the headroom; sluice l7 against nginx
# (the target, >= 1.0x, and the cold start's >= 0.8x warm, DESIGN.md's budget) and HAProxy, and
# sluice l7's coalescing against its goal, one backend request in every round. Writes the result JSON.
include "figures";

$measured as $runs
| ($ARGS.named | del(.measured)) as $c
| ($c.ordered | split(" ")) as $peers
| ($c.runs | tonumber) as $rounds
| def hit_rate: 1 - ratio(.backend_requests; .requests);
  def peer($p):
    ok_runs($runs; "warm"; $p) as $warm | ok_runs($runs; "cold"; $p) as $cold
    | ($runs | map(select(.kind == "verify" and .proxy == $p))) as $verifies
    | ($warm | map(.rps) | summary) as $rps
    | ($cold | map(.rps) | median) as $cold_rps
    | {proxy: $p, verified: (($verifies | length) > 0 and ($verifies | all(.status == "ok"))),
       verify_failures: ($verifies | map(select(.status != "ok")) | map("round \(.run): \(.reason)")),
       second_cache_status: ($verifies | map(.second_cache_status) | map(select(. != "")) | first // ""),
       fill_backend_requests: (ok_runs($runs; "fill"; $p) | map(.backend_requests) | median),
       rps: ($rps | map_values(fixed(0))),
       cold_rps: ($cold_rps | fixed(0)), cold_over_warm: (ratio($cold_rps; $rps.median) | fixed(2)),
       hit_rate: ($warm | map(hit_rate) | median | fixed(4)), cold_hit_rate: ($cold | map(hit_rate) | median | fixed(4)),
       cpu_us_per_request: ($warm | map(ratio(.proxy_cgroup_cpu_us // 0; .requests)) | median | fixed(1)),
       throttled_s: ($warm | map(.throttled_s) | median | fixed(2)),
       runs_failed: ($runs | map(select((.kind == "warm" or .kind == "cold") and .proxy == $p and .status != "ok")) | length)};
  def coalescing:
    $runs | map(select(.kind == "coalesce")) | group_by([.proxy, .variant])
    | map(map(select(.status == "ok")) as $ok | first as $one
      | {proxy: $one.proxy, variant: $one.variant, concurrent: $one.concurrent,
         backend_requests: ($ok | map(.backend_requests) | summary), per_round: ($ok | map(.backend_requests)),
         succeeded: ($ok | map(.succeeded) | median), elapsed_s: ($ok | map(.elapsed_s) | median | fixed(2)),
         failures: (map(select(.status != "ok")) | map("round \(.run): \(.reason)"))})
    | sort_by(.proxy as $p | $peers | index($p));
  ($peers | map(peer(.))) as $figures
  | peers_headroom($figures) as $headroom
  | coalescing as $coalescing
  | ($coalescing | map(select(.proxy == "sluice-l7")) | first) as $sluice_coalescing
  | [versus($figures; $runs; $rounds; $headroom; "sluice-l7"; "nginx"; "sluice-l7 / nginx (proxy_cache) requests per second of cached responses"; 1.0),
     versus($figures; $runs; $rounds; $headroom; "sluice-l7"; "haproxy"; "sluice-l7 / haproxy (cache) requests per second of cached responses"; 0),
     cold_start($figures; $headroom; "sluice-l7"),
     (if $sluice_coalescing == null or $sluice_coalescing.backend_requests.count == 0 then
        {what: "sluice-l7 coalescing: backend requests for \($c.coalesce_n) concurrent misses of one key", verdict: "not measured"}
      else {what: "sluice-l7 coalescing: backend requests for \($c.coalesce_n) concurrent misses of one key, each round (goal 1; a count, whatever the headroom)",
            per_round: $sluice_coalescing.per_round, succeeded: $sluice_coalescing.succeeded, target: 1,
            verdict: (if ($sluice_coalescing.per_round | all(. == 1)) and ($sluice_coalescing.failures | length) == 0
                      and $sluice_coalescing.succeeded == ($c.coalesce_n | tonumber) then "met" else "not met" end)} end)] as $targets
  | {bench: "cache", stamp: $c.stamp, machine: machine($c), command: $c.command,
     settings: ($c | {seconds, runs, ordered, gen_cpu, proxy_cpu, proxy_cpu_pct, cpu_budget_period_us, objects, object_bytes,
       cache_mib, max_object, slow_delay_s, coalesce_n, h1_connections, cold_s, warmup_segments, backend_command, slow_command,
       sluice_jvm_command, sluice_transport}),
     headroom: $headroom, peers: $figures, coalescing: $coalescing, targets: $targets, target_met: ($targets | target_met),
     runs_detail: $runs}
