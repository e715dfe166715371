# shellcheck shell=bash
# What the L7 harnesses (bench/rps/run-rps, bench/tls/run-tls, bench/compress/run-compress,
# bench/cache/run-cache, bench/gateway/run-gateway) share, sourced by each after lib/common.sh: the layout (the load
# generator and the backends on GEN_CPU, the proxy under test alone on PROXY_CPU under the CPU
# budget), starting and stopping processes by pid, the backends, the CPU window around each
# measurement and the wait for a quiet machine. The caller sets work (its temporary directory),
# budget (cpu_budget_create's directory, or empty) and, to have the proxy's CPU time from its
# cgroup, accounting (cpu_account_create's directory) before using them, and installs
# l7_teardown as its EXIT trap.

readonly GEN_CPU=0 PROXY_CPU=1
readonly HZ=$(getconf CLK_TCK)
readonly BACKEND1=127.0.0.1:20081 BACKEND2=127.0.0.1:20082 BACKEND_H2=127.0.0.1:20083

port_of() { echo "${1##*:}"; }
# Dies unless every address's port is free on this host.
ports_free() {
  local addr
  for addr in "$@"; do
    ! ss -Hltn "sport = :$(port_of "$addr")" | grep -q . || die "port $(port_of "$addr") is in use on this host; stop what listens there first"
  done
}

# --- processes: only those started here are stopped, by pid -------------------------------
started=()
proxy_pid=0 proxy_pids="" quiet_waited_s=0
# A pid and its children (nginx's workers): their pids, for CPU time and memory.
tree_of() { echo "$1 $(pgrep -P "$1" 2>/dev/null | tr '\n' ' ')"; }
stop_tree() {
  local pid=$1 pids
  pids=$(tree_of "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  for p in $pids; do alive "$p" && kill -KILL "$p" 2>/dev/null || true; done
  wait "$pid" 2>/dev/null || true
}
l7_teardown() {
  local pid
  for pid in "${started[@]}"; do stop_tree "$pid"; done
  started=()
  # The baseline's worktree goes (KEEP_WORK or not) after its JVM has stopped.
  baseline_remove
  cpu_budget_remove "${budget:-}"
  cpu_budget_remove "${accounting:-}"
  [ -z "${work:-}" ] || [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}

# Starts a command in the background on PROXY_CPU under the CPU budget, its output to
# $work/NAME.log; sets proxy_pid. The command is exec'd: the pid is the proxy's own.
launch_proxy() {
  local name=$1; shift
  (cpu_account_join "${accounting:-}"; cpu_budget_exec "$budget" taskset -c $PROXY_CPU "$@") >>"$work/$name.log" 2>&1 &
  proxy_pid=$!; started+=("$proxy_pid")
}

# After the proxy answers: records its JVM's command line and socket transport the first time
# (sluice only), and the pids of its process tree.
proxy_started() {
  local proxy=$1
  if [ "$proxy" = sluice-l7 ] && [ -z "${sluice_jvm_command:-}" ]; then
    sluice_jvm_command=$(jvm_command_of "$proxy_pid"); sluice_transport=$(transport_of "$proxy")
  elif [ "$proxy" = sluice-l7-baseline ] && [ -z "${baseline_jvm_command:-}" ]; then
    baseline_jvm_command=$(jvm_command_of "$proxy_pid"); baseline_transport=$(transport_of "$proxy")
  fi
  sleep 0.5
  proxy_pids=$(tree_of "$proxy_pid")
}

stop_proxy() {
  local proxy=$1
  [ "$proxy_pid" -gt 0 ] || return 0
  stop_tree "$proxy_pid"
  local kept=() pid
  for pid in "${started[@]}"; do [ "$pid" = "$proxy_pid" ] || kept+=("$pid"); done
  started=("${kept[@]}")
  # A proxy's words beyond its start-up banner (warnings, exceptions) are kept for the report.
  grep -v -e '^sluice l7: listening on' -e '^sluice l7: stopping' -e '^\[NOTICE\]' -e '^\s*$' "$work/$proxy.log" \
    >>"$work/$proxy.all.log" 2>/dev/null || true
  if [ "$proxy" = nginx ] && [ -f "$work/nginx.error.log" ]; then
    cat "$work/nginx.error.log" >>"$work/nginx.all.log"; : >"$work/nginx.error.log"
  fi
  proxy_pid=0
}

# The proxy's last words for a failed run.
proxy_log_tail() { log_tail "$work/$1.log"; }

jvm_command_of() { tr '\0' ' ' <"/proc/$1/cmdline" | sed 's/ *$//'; }
# The banner names the socket transport --transport auto chose (io_uring, epoll or nio).
transport_of() { sed -n 's/^sluice l7: listening on .* (\([a-z_]*\)),.*/\1/p' "$work/$1.log" | head -1; }

# fill FILE NAME=VALUE...: FILE with @WORK@ and the backends' addresses filled in, and @NAME@ for each NAME given.
fill() {
  local file=$1 extra=() pair; shift
  for pair in "$@"; do extra+=(-e "s#@${pair%%=*}@#${pair#*=}#g"); done
  sed -e "s#@WORK@#$work#g; s#@BACKEND1@#$BACKEND1#g; s#@BACKEND2@#$BACKEND2#g; s#@BACKEND_H2@#$BACKEND_H2#g" \
    ${extra[@]+"${extra[@]}"} "$file"
}

# h2load's summary as "succeeded failed non_2xx", from "requests: N total, N started, N done,
# N succeeded, N failed, N errored, N timeout" (failed counts the other two) and "status codes:
# N 2xx, N 3xx, N 4xx, N 5xx"; an empty line when h2load printed no summary.
h2load_counts() {
  awk '/^requests:/ { gsub(",", ""); s = $8; f = $10; seen = 1 } /^status codes:/ { gsub(",", ""); n = $5 + $7 + $9 }
    END { if (seen) printf "%d %d %d\n", s, f, n; else print "" }' "$1"
}

# wrk's summary as "rps requests non_2xx socket_errors bytes_read": from "N requests in Xs, Y.YYMB
# read" (wrk's units are powers of 1024), "Requests/sec:", "Non-2xx or 3xx responses:" and
# "Socket errors: connect N, read N, write N, timeout N"; zeros for what it did not print.
wrk_summary() {
  awk 'function bytes(v) { n = v + 0; if (v ~ /KB$/) n *= 1024; else if (v ~ /MB$/) n *= 1048576; else if (v ~ /GB$/) n *= 1073741824; return n }
    / requests in / { requests = $1; read_bytes = bytes($(NF - 1)) } /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) errors += $i }
    END { printf "%.0f %d %d %d %.0f\n", rps, requests, non2xx, errors, read_bytes }' "$1"
}

# Tries every 0.1 s for WAIT_HTTP_S seconds (default 40; longer for a proxy that warms up first).
wait_http() {
  local url=$1; shift
  for _ in $(seq $(( ${WAIT_HTTP_S:-40} * 10 ))); do curl -sf -o /dev/null --max-time 1 "$@" "$url" && return 0; sleep 0.1; done
  return 1
}

# The two backend servers every proxy balances over (and BACKEND_H2): an nginx from TEMPLATE
# (default bench/rps/backend-nginx.conf.in, a fixed 64-byte body) on GEN_CPU; sets backend_pid
# and backend_command.
start_backends() {
  local template=${1:-bench/rps/backend-nginx.conf.in}
  fill "$template" >"$work/backend-nginx.conf"
  mkdir -p "$work"/backend-{client_body,proxy,fastcgi,uwsgi,scgi}
  taskset -c $GEN_CPU nginx -c "$work/backend-nginx.conf" -e "$work/backend-nginx.error.log" >"$work/backend.log" 2>&1 &
  backend_pid=$!; started+=("$backend_pid")
  wait_http "http://$BACKEND1/" && wait_http "http://$BACKEND2/" && wait_http "http://$BACKEND_H2/" --http2-prior-knowledge || die "the backend nginx did not answer: $(tail -3 "$work/backend.log" "$work/backend-nginx.error.log" 2>/dev/null)"
  backend_command="taskset -c $GEN_CPU nginx -c backend-nginx.conf ($template)"
}

# --- measurement helpers ----------------------------------------------------------------------
rss_kib_of() { local t=0 p; for p in $1; do t=$((t + $(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo $t; }
all_busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 }' /proc/stat; }
# One reading, so that the clock and the counters agree: uptime in ticks; CPU 0's and CPU 1's
# user+nice+system+irq+softirq; all CPUs' user+nice+system.
cpu_reading() {
  awk -v hz="$HZ" -v a="cpu$GEN_CPU" -v b="cpu$PROXY_CPU" 'FNR == NR { t = $1 * hz; next }
    $1 == a { c0 = $2 + $3 + $4 + $7 + $8 } $1 == b { c1 = $2 + $3 + $4 + $7 + $8 } $1 == "cpu" { all = $2 + $3 + $4 }
    END { printf "%.0f %d %d %d\n", t, c0, c1, all }' /proc/uptime /proc/stat
}

# The machine is shared: wait (up to 5 s) until other processes use less than a quarter of a CPU
# over a second before each measurement, and report what they used during it anyway.
wait_for_quiet() {
  local b0 b1 waited=0
  while [ $waited -lt 5 ]; do
    b0=$(all_busy_ticks); sleep 1; b1=$(all_busy_ticks)
    [ $((b1 - b0)) -gt $((HZ / 4)) ] || break
    waited=$((waited + 1))
  done
  quiet_waited_s=$waited
}

# Converts wrk's "1.23ms" / "812.00us" / "1.02s" to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

# The backends' processes, for their CPU time: the trees of the pids in backend_pid (run-tls
# adds the TLS server direct is measured against).
backend_tree() { local root; for root in $backend_pid; do tree_of "$root"; done; }

# Window bookkeeping around one measurement: the clock ticks of the proxy, the backends, both
# CPUs and all CPUs, and the generator's CPU seconds, for the report (RpsWindow) to make
# percentages of. window_end sets window_json.
window_start() {
  w_proxy0=$(ticks_of "${proxy_pids:-}"); w_backend0=$(ticks_of "$(backend_tree)")
  read -r w_thr_n0 w_thr_s0 < <(cpu_budget_throttled "$budget")
  w_account0=$(cpu_account_usage_us "${accounting:-}")
  read -r w_t0 w_cpu0_0 w_cpu1_0 w_all0 < <(cpu_reading)
}
window_end() {
  local gen_cpu_s=$1 s t1 c0 c1 a1
  read -r t1 c0 c1 a1 < <(cpu_reading)
  local proxy=$(( $(ticks_of "${proxy_pids:-}") - w_proxy0 )) backend=$(( $(ticks_of "$(backend_tree)") - w_backend0 ))
  local thr_n thr_s; read -r thr_n thr_s < <(cpu_budget_throttled "$budget")
  window_json=$(printf '"window_ticks":%d,"hz":%d,"proxy_ticks":%d,"backend_ticks":%d,"cpu0_ticks":%d,"cpu1_ticks":%d,"all_ticks":%d,"generator_cpu_s":%s,"throttled_periods":%d,"throttled_s":%s' \
    $((t1 - w_t0)) "$HZ" "$proxy" "$backend" $((c0 - w_cpu0_0)) $((c1 - w_cpu1_0)) $((a1 - w_all0)) "$gen_cpu_s" \
    $((thr_n - w_thr_n0)) "$(awk -v a="$thr_s" -v b="$w_thr_s0" 'BEGIN { printf "%.3f", a - b }')")
  [ -z "${accounting:-}" ] || window_json="$window_json,\"proxy_cgroup_cpu_us\":$(( $(cpu_account_usage_us "$accounting") - w_account0 ))"
}
# The window's fields of a run that measured nothing.
readonly NO_WINDOW_JSON='"proxy_cpu_pct":0,"cpu0_busy_pct":0,"cpu1_busy_pct":0,"others_cpu_pct":0'

# bash's time keyword reports the children's user+system CPU: the load generator's own.
timed() { local TIMEFORMAT='%U %S'; { time "$@" >"$work/gen.out" 2>&1; } 2>"$work/gen.time"; }
gen_cpu_seconds() { awk '{ print $1 + $2 }' "$work/gen.time" 2>/dev/null || echo 0; }

# --- latency at a fixed rate (open loop) ---------------------------------------------------
# h2load --rps R gives each connection a timer that sends one request every 1/R s (R <= 100;
# above that it sends several back to back every 10 ms). Started together, all connections'
# timers would tick in phase: every tick a burst of one request per connection. So the
# connections are opened one per millisecond (-r 1 --rate-period 1ms), and R is kept just
# under 100, so that its period is not a whole number of milliseconds and the connections'
# ticks spread over it: arrivals close to evenly spaced at the offered rate.
# What is not corrected: on HTTP/1.1 a connection has one request in flight; a request whose
# tick comes while the previous one is still unanswered waits, and h2load times it from when
# it is sent, not from its tick (coordinated omission). That matters only for latencies near
# the period (about 10 ms); the report flags a p99 at or above a fifth of it.
# How many connections, at what rate each, make up an offered rate: "connections per_conn".
open_loop_shape() {
  local offered=$1 connections
  connections=$(( (offered + MAX_RPS_PER_CONNECTION - 1) / MAX_RPS_PER_CONNECTION ))
  [ $connections -ge 8 ] || connections=8
  echo "$connections $(awk -v r="$offered" -v c="$connections" 'BEGIN { printf "%.3f", r / c }')"
}

# The rates of the latency runs, in percent of a maximum the caller measured.
readonly RATES="50 80"
# h2load's --rps timer fires at most every 10 ms: above 100 requests/s per connection it sends
# several back to back (closed loop within the tick). 97 keeps one request per tick and a
# per-connection period that is not a whole number of milliseconds (see latency_h2load).
readonly MAX_RPS_PER_CONNECTION=97

# An open-loop pass at OFFERED requests/s for WARMUP_OPEN_S (the caller's), not recorded, to URL.
warmup_open_loop() {
  local url=$1 offered=$2 connections per_conn
  read -r connections per_conn < <(open_loop_shape "$offered")
  taskset -c $GEN_CPU h2load --h1 -t1 -c$connections -r1 --rate-period=1ms --rps="$per_conn" -n$((offered * WARMUP_OPEN_S)) \
    "$url" >"$work/warmup.out" 2>&1 || true
}

# latency_h2load PROXY RUN PCT OFFERED URL FIELDS: one open-loop run at OFFERED requests/s (PCT %
# of the caller's max_rps) to URL, a line of runs.jsonl; FIELDS ('"key":"rsa",' or empty) go
# after its kind.
latency_h2load() {
  local proxy=$1 run=$2 pct=$3 offered=$4 url=$5 fields=$6
  local connections per_conn n status=ok reason=""
  read -r connections per_conn < <(open_loop_shape "$offered")
  n=$((offered * seconds))
  local cmd="taskset -c $GEN_CPU h2load --h1 -t1 -c$connections -r1 --rate-period=1ms --rps=$per_conn -n$n --log-file=requests.tsv $url"
  rm -f "$work/requests.tsv"
  window_start
  timed taskset -c $GEN_CPU h2load --h1 -t1 -c$connections -r1 --rate-period=1ms --rps="$per_conn" -n$n --log-file="$work/requests.tsv" "$url" || true
  window_end "$(gen_cpu_seconds)"
  local rss; rss=$(( $(rss_kib_of "${proxy_pids:-}") / 1024 ))
  local achieved failed non2xx
  achieved=$(awk '/^finished in/ { gsub(",", "", $4); printf "%.0f", $4 }' "$work/gen.out"); achieved=${achieved:-0}
  read -r _ failed non2xx < <(h2load_counts "$work/gen.out")
  failed=${failed:-$n} non2xx=${non2xx:-0}
  local p50 p90 p99 p999 max answered; read -r p50 p90 p99 p999 max answered < <(report_figures percentiles "$work/requests.tsv")
  if [ "$proxy_pid" -gt 0 ] && ! alive "$proxy_pid"; then status=failed reason="exited during the run: $(proxy_log_tail "$proxy")"
  elif [ "${answered:-0}" = 0 ]; then status=failed reason="no request answered: $(grep -v '^progress' "$work/gen.out" | tail -2 | tr '\n"\\|' '   /')"; fi
  printf '{"kind":"latency",%s"proxy":"%s","run":%d,"rate_pct":%d,"status":"%s","reason":"%s","offered_rps":%d,"achieved_rps":%s,"connections":%d,"rps_per_connection":%s,"requests":%d,"answered":%s,"failed":%s,"non_2xx":%s,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"p999_ms":%s,"max_ms":%s,%s,"proxy_rss_mib":%s,"quiet_wait_s":%s,"command":"%s","proxy_command":"%s"}\n' \
    "$fields" "$proxy" "$run" "$pct" "$status" "$reason" "$offered" "$achieved" "$connections" "$per_conn" "$n" "${answered:-0}" "$failed" "$non2xx" \
    "$p50" "$p90" "$p99" "$p999" "$max" "$window_json" "$rss" "$quiet_waited_s" "$cmd" "$proxy_command" >>"$work/runs.jsonl"
  tail -1 "$work/runs.jsonl" >&2
}
