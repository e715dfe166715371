# run-gateway's figures, from its runs ($measured, one object per line of runs.jsonl) and the
# context the script gave (--arg KEY VALUE, $ARGS.named): per variant the medians of the warm and
# cold requests per second and the proxy cgroup's CPU microseconds per request; each filter's cost
# per request against plain, (cpu_us / requests of the variant - the same of plain) from the cgroup
# (the median of the rounds' differences, and each round's) and (1 / rps - 1 / rps_plain) x the
# budget's share x 1e6 from the rates; for the global limit the Redis round trips per request (eval
# and evalsha calls over requests; goal 1), Redis's decisions per request, the fallbacks and Redis's
# CPU; the headroom; each variant's rate over plain's, and the cold start (DESIGN.md: >= 0.8 warm).
# Writes the result JSON.
include "figures";

$measured as $runs
| ($ARGS.named | del(.measured)) as $c
| ($c.ordered | split(" ")) as $peers
| ($c.runs | tonumber) as $rounds
| (($c.proxy_cpu_pct | tonumber) / 100) as $share
| def cpu_us: ratio(.proxy_cgroup_cpu_us // 0; .requests);
  # The warm run of a peer in round r, or null.
  def warm_in($p; $r): ok_runs($runs; "warm"; $p) | map(select(.run == $r)) | first;
  def cost_per_round($p): [range(1; $rounds + 1) as $r | warm_in($p; $r) as $x | warm_in("plain"; $r) as $y
    | select($x != null and $y != null) | ($x | cpu_us) - ($y | cpu_us) | fixed(2)];
  def redis($warm): if ($warm | length) == 0 or ($warm[0].redis_scripts == null) then null
    else {round_trips_per_request: ($warm | map(ratio(.redis_scripts; .requests)) | median | fixed(3)),
          round_trips_per_round: ($warm | map(ratio(.redis_scripts; .requests) | fixed(3))),
          decisions_per_request: ($warm | map(ratio(.redis_decisions; .requests)) | median | fixed(3)),
          fallbacks: ($warm | map(.fallbacks) | add),
          cpu_us_per_request: ($warm | map(ratio(.redis_cpu_s * 1e6; .requests)) | median | fixed(2)),
          cpu_pct: ($warm | map(ratio(.redis_cpu_s * 100 * .hz; .window_ticks)) | median | fixed(1))} end;
  def peer($p):
    ok_runs($runs; "warm"; $p) as $warm | ok_runs($runs; "cold"; $p) as $cold
    | ($runs | map(select(.kind == "verify" and .proxy == $p))) as $verifies
    | ($warm | map(.rps) | summary) as $rps
    | ($cold | map(.rps) | median) as $cold_rps
    | {proxy: $p, verified: (($verifies | length) > 0 and ($verifies | all(.status == "ok"))),
       verify_codes: ($verifies | map(.codes) | first // ""),
       verify_failures: ($verifies | map(select(.status != "ok")) | map("round \(.run): \(.reason)")),
       rps: ($rps | map_values(fixed(0))),
       cold_rps: ($cold_rps | fixed(0)), cold_over_warm: (ratio($cold_rps; $rps.median) | fixed(2)),
       cpu_us_per_request: ($warm | map(cpu_us) | median | fixed(2)),
       wrk_p99_ms: ($warm | map(.wrk_p99_ms) | median | fixed(2)),
       throttled_s: ($warm | map(.throttled_s) | median | fixed(2)),
       redis: redis($warm),
       runs_failed: ($runs | map(select((.kind == "warm" or .kind == "cold") and .proxy == $p and .status != "ok")) | length)};
  ($peers | map(peer(.))) as $figures
  | figure($figures; "plain") as $plain
  | ($figures | map(select(.proxy != "direct" and .proxy != "plain" and $plain != null and .rps.median > 0 and $plain.rps.median > 0)
      | {filter: .proxy, cost_us: (cost_per_round(.proxy) | median | fixed(2)), cost_us_per_round: cost_per_round(.proxy),
         cost_us_from_rates: ((1 / .rps.median - 1 / $plain.rps.median) * $share * 1e6 | fixed(2))})) as $costs
  | peers_headroom($figures) as $headroom
  | figure($figures; "rate-limit-global").redis as $redis
  | ([$peers[] | select(. != "direct" and . != "plain")
      | versus($figures; $runs; $rounds; $headroom; .; "plain"; "\(.) / plain requests per second"; 0)]
     + [$peers[] | select(. != "direct") | cold_start($figures; $headroom; .)]
     + (if $redis == null then [] else
        [{what: "rate-limit-global: Redis round trips per request, each round (goal 1; a count, whatever the headroom)",
          per_round: $redis.round_trips_per_round, target: 1,
          verdict: (if ($redis.round_trips_per_round | all(. >= 0.995 and . <= 1.005)) and $redis.fallbacks == 0 then "met" else "not met" end)}]
        end)) as $targets
  | {bench: "gateway", stamp: $c.stamp, machine: machine($c), command: $c.command,
     settings: ($c | {seconds, runs, ordered, gen_cpu, proxy_cpu, proxy_cpu_pct, cpu_budget_period_us, wrk_connections, cold_s,
       warmup_segments, backend_command, redis_command, issuer, audience, unlimited, sluice_jvm_command, sluice_transport}),
     headroom: $headroom, peers: $figures, costs: $costs, targets: $targets, target_met: ($targets | target_met),
     runs_detail: $runs}
