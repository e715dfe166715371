# run-compress's figures, from its runs ($measured, one object per line of runs.jsonl) and the context
# the script gave (--arg KEY VALUE, $ARGS.named): per peer the medians of the warm and cold
# responses per second, CPU milliseconds per MiB compressed (the proxy cgroup's CPU time over the
# uncompressed bytes of the responses it served), the bytes on the wire per response and the
# ratio to the body's; the headroom; sluice l7 against nginx at the same gzip level (the target,
# >= 1.0x, and the cold start's >= 0.8x warm, DESIGN.md's budget) and against HAProxy. Writes the
# result JSON.
include "figures";

$measured as $runs
| ($ARGS.named | del(.measured)) as $c
| ($c.ordered | split(" ")) as $peers
| def cpu_ms_per_mib: ratio(.proxy_cgroup_cpu_us / 1000; .requests * .body_bytes / 1048576);
  def level($p): if $p == "direct" then "none (the backend's bytes)" elif $p == "haproxy" then "libslz (one level; tune.comp.maxlevel \($c.gzip_level))"
    elif $p == "sluice-l7-br" then "brotli \($c.brotli_level)" elif $p == "sluice-l7-zstd" then "zstd \($c.zstd_level)"
    else "gzip \($c.gzip_level)" end;
  def peer($p):
    ok_runs($runs; "warm"; $p) as $warm | ok_runs($runs; "cold"; $p) as $cold
    | ($runs | map(select(.kind == "verify" and .proxy == $p))) as $verifies
    | ($verifies | map(select(.status == "ok")) | last) as $verified
    | ($warm | map(.rps) | summary) as $rps
    | ($cold | map(.rps) | median) as $cold_rps
    | {proxy: $p, coding: (if $p == "direct" then "identity" else ($verified.content_encoding // "") end), level: level($p),
       verified: (($verifies | length) > 0 and ($verifies | all(.status == "ok"))),
       verify_failures: ($verifies | map(select(.status != "ok")) | map("round \(.run): \(.reason)")),
       rps: ($rps | map_values(fixed(0))),
       cold_rps: ($cold_rps | fixed(0)), cold_over_warm: (ratio($cold_rps; $rps.median) | fixed(2)),
       cpu_ms_per_mib: ($warm | map(cpu_ms_per_mib) | median | fixed(2)),
       body_bytes: ($c.body_bytes | tonumber), wire_body_bytes: ($verified.wire_body_bytes // 0),
       compression_ratio: (ratio($c.body_bytes | tonumber; $verified.wire_body_bytes // 0) | fixed(2)),
       wrk_bytes_per_response: ($warm | map(ratio(.read_bytes; .requests)) | median | fixed(0)),
       throttled_s: ($warm | map(.throttled_s) | median | fixed(2)),
       runs_failed: ($runs | map(select((.kind == "warm" or .kind == "cold") and .proxy == $p and .status != "ok")) | length)};
  ($peers | map(peer(.))) as $figures
  | peers_headroom($figures) as $headroom
  | ($c.runs | tonumber) as $rounds
  | def with_cost($b): figure($figures; "sluice-l7") as $x | figure($figures; $b) as $y
      | if .verdict == "not measured" then . else
          . + {cpu_ms_per_mib_ratio: (ratio($x.cpu_ms_per_mib; $y.cpu_ms_per_mib) | fixed(2)),
               wire_bytes_ratio: (ratio($x.wire_body_bytes; $y.wire_body_bytes) | fixed(2))} end;
    [(versus($figures; $runs; $rounds; $headroom; "sluice-l7"; "nginx"; "sluice-l7 / nginx responses per second, gzip \($c.gzip_level) both"; 1.0)
      | with_cost("nginx")),
     (versus($figures; $runs; $rounds; $headroom; "sluice-l7"; "haproxy"; "sluice-l7 (gzip \($c.gzip_level)) / haproxy (libslz) responses per second"; 0)
      | with_cost("haproxy")),
     cold_start($figures; $headroom; "sluice-l7")] as $targets
  | {bench: "compress", stamp: $c.stamp, machine: machine($c), command: $c.command,
     settings: ($c | {seconds, runs, ordered, gen_cpu, proxy_cpu, proxy_cpu_pct, cpu_budget_period_us, gzip_level, brotli_level,
       zstd_level, body_bytes, body, wrk_connections, cold_s, warmup_segments, haproxy_compressor, backend_command,
       sluice_jvm_command, sluice_transport}),
     headroom: $headroom, peers: $figures, targets: $targets, target_met: ($targets | target_met),
     runs_detail: $runs}
