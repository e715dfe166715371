# The rules the jq-made reports (bench/compress, bench/cache, bench/gateway; included by their report.jq and
# markdown.jq with -L bench/lib) share with io.sluice.bench.report: a median over the successful
# runs (the mean of the middle two for an even count, 0 for none), a ratio of medians, the
# headroom rule, and numbers printed with a fixed count of decimals (a ratio is compared with its
# target as printed).

# The median of an array of numbers; 0 when empty.
def median: sort | if length == 0 then 0 elif length % 2 == 1 then .[(length - 1) / 2] else (.[length / 2 - 1] + .[length / 2]) / 2 end;

# The number rounded to d decimals.
def fixed(d): (pow(10; d)) as $s | (. * $s | round) / $s;

# a / b, 0 when b is 0.
def ratio(a; b): if b > 0 then a / b else 0 end;

# {median, min, max, count} of the numbers.
def summary: {median: median, min: (min // 0), max: (max // 0), count: length};

# The successful runs of a kind and peer.
def ok_runs($runs; $kind; $peer): $runs | map(select(.kind == $kind and .proxy == $peer and .status == "ok"));

# The load generator's headroom: the ceiling ("direct", the generator with no proxy)
# must reach twice the best peer's median rate, else the generator's CPU may be what limits every
# peer and no ratio between them means anything ("generator-bound"); without the ceiling the
# headroom is unknown. Either way no verdict is given.
def headroom($direct; $best_peer; $best):
  {direct_rps: ($direct | fixed(0)), best_proxy: $best_peer, best_rps: ($best | fixed(0)),
   ratio: (ratio($direct; $best) | fixed(2)),
   state: (if $best == 0 then "no proxy measured" elif $direct == 0 then "unknown"
           elif $direct >= 2 * $best then "ok" else "generator-bound" end)};

# "met", "not met", or "no verdict" when the headroom allows none.
def verdict($headroom; holds): if $headroom.state != "ok" then "no verdict" elif holds then "met" else "not met" end;

# Over the target lines with a target: false when one was not met, true when every one was met,
# else null (one had no verdict, or was not measured).
def target_met: map(.verdict | select(. != "no target")) as $v
  | if any($v[]; . == "not met") then false elif ($v | length) > 0 and all($v[]; . == "met") then true else null end;

# The result file's "machine" object from the context the script gave ($ARGS.named).
def machine($c): {cpus: $c.machine, virtualization: $c.virt, kernel: $c.kernel, jdk: $c.jdk, packages: $c.packages,
  sluice_commit: $c.sluice_commit, load_average_at_start: $c.load_average};

# The Markdown reports' first lines, from a result file.
def machine_lines: .machine as $m
  | "- machine: \($m.cpus), \(if $m.virtualization == "" then "bare metal" else $m.virtualization end); kernel \($m.kernel); load average at start \($m.load_average_at_start)",
    "- JDK: \($m.jdk); \($m.packages); sluice at \($m.sluice_commit)";

# A number as text with d decimals ("12.30").
def text(d): fixed(d) | tostring | if d == 0 then . else (split(".") as $p | $p[0] + "." + (($p[1] // "") + "000000")[0:d]) end;

# A Markdown table's row from an array of cells.
def row: "| " + (map(tostring) | join(" | ")) + " |";

# The ratio of two peers' warm rates within each round ($rounds of them), where both have one.
def round_ratios($runs; $rounds; $a; $b): [range(1; $rounds + 1) as $r
  | (ok_runs($runs; "warm"; $a) | map(select(.run == $r)) | first) as $x
  | (ok_runs($runs; "warm"; $b) | map(select(.run == $r)) | first) as $y
  | select($x != null and $y != null) | ratio($x.rps; $y.rps) | fixed(2)];

# The peer's figures from a report's list of them (each with .proxy), or null.
def figure($figures; $p): $figures | map(select(.proxy == $p)) | first;

# A target line: peer A's median warm rate over B's ($figures: each {proxy, rps: {median}}), with
# the ratio in each round, and the verdict against $target (0: a figure without one) under the
# headroom. "not measured" when either has no rate.
def versus($figures; $runs; $rounds; $headroom; $a; $b; $what; $target):
  figure($figures; $a) as $x | figure($figures; $b) as $y
  | if $x == null or $y == null or $x.rps.median == 0 or $y.rps.median == 0 then {what: $what, verdict: "not measured"}
    else (ratio($x.rps.median; $y.rps.median) | fixed(2)) as $ratio
      | {what: $what, a: $x.rps.median, b: $y.rps.median, ratio: $ratio, per_round: round_ratios($runs; $rounds; $a; $b),
         target: $target, verdict: (if $target == 0 then "no target" else verdict($headroom; $ratio >= $target) end)}
    end;

# DESIGN.md's budget for the L7 tier's cold start, a target line: the peer's cold rate (its first
# seconds after it answers) over its warm one, at least 0.8.
def cold_start($figures; $headroom; $p):
  figure($figures; $p) as $s
  | if $s == null or $s.rps.median == 0 then {what: "\($p) cold / warm", verdict: "not measured"}
    else {what: "\($p) cold / warm requests per second (DESIGN.md: >= 0.8)", a: $s.cold_rps, b: $s.rps.median,
          ratio: $s.cold_over_warm, target: 0.8, verdict: verdict($headroom; $s.cold_over_warm >= 0.8)} end;

# The headroom of a report's peers (each {proxy, rps: {median}}): direct against the best proxy.
def peers_headroom($figures):
  ($figures | map(select(.proxy != "direct")) | max_by(.rps.median)) as $best
  | headroom(figure($figures; "direct").rps.median // 0; $best.proxy // ""; $best.rps.median // 0);
