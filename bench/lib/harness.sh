# shellcheck shell=bash
# What bench/compress/run-compress, bench/cache/run-cache and bench/gateway/run-gateway share, sourced by each after
# lib/common.sh and lib/l7.sh: their options, the start of a run (work directory, CPU budget and
# account, the jars), and the result files. Their figures are made from runs.jsonl by the bench
# jar's Report (Report compress|cache|gateway), as every other bench's are.

readonly HARNESS_OPTIONS="--seconds N, --runs N, --only PEER,..., --proxy-cpu PCT"

# harness_options ALL_PEERS ARGS...: sets seconds (default 10), runs (3), only (ALL_PEERS),
# proxy_cpu_pct (40) and ordered (the peers asked for, in ALL_PEERS's order).
harness_options() {
  local all=$1 p; shift
  seconds=10 runs=3 only=$all proxy_cpu_pct=40
  while [ $# -gt 0 ]; do
    case "$1" in
      --runs) [[ "${2:-}" =~ ^[0-9]+$ ]] && ((10#$2 >= 1 && 10#$2 <= 20)) || die "--runs must be 1-20"; runs=$((10#$2)); shift 2 ;;
      --seconds) [[ "${2:-}" =~ ^[0-9]+$ ]] && ((10#$2 >= 2 && 10#$2 <= 600)) || die "--seconds must be 2-600"; seconds=$((10#$2)); shift 2 ;;
      --only) [ -n "${2:-}" ] || die "--only needs a list of peers ($all)"; only=$2; shift 2 ;;
      --proxy-cpu) [[ "${2:-}" =~ ^[0-9]+$ ]] && ((10#$2 >= 10 && 10#$2 <= 100)) || die "--proxy-cpu must be a share of one core in percent, 10-100"
        proxy_cpu_pct=$((10#$2)); shift 2 ;;
      *) die "unknown option '$1' ($HARNESS_OPTIONS)" ;;
    esac
  done
  for p in ${only//,/ }; do [[ ",$all," == *",$p,"* ]] || die "unknown peer '$p' (peers: $all)"; done
  ordered=""
  for p in ${all//,/ }; do [[ ",$only," == *",$p,"* ]] && ordered="$ordered $p"; done
  return 0
}

# harness_start NAME: the work directory, runs.jsonl, the stamp, sluice's and the bench's jars
# (built first when sources changed: a build takes both cores), and the proxy's CPU budget and
# account. Call it after installing l7_teardown as the EXIT trap.
harness_start() {
  local name=$1
  find_jdk
  build_bench_jar
  work=$(mktemp -d "/tmp/sluice-$name.XXXXXX")
  chmod 755 "$work"
  : >"$work/runs.jsonl"
  load_at_start=$(load_average)
  stamp=$(utc_stamp)
  if [[ " $ordered " == *" sluice-l7"* ]]; then ./sluice l7 --help >/dev/null; fi
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  budget=""; budget=$(cpu_budget_create "sluice-$name-$$" "$proxy_cpu_pct")
  accounting=""; accounting=$(cpu_account_create "sluice-$name-$$" "$budget")
}

# The run's machine, software and layout, as KEY=VALUE for harness_report.
harness_context() {
  printf '%s\n' "stamp=$stamp" "machine=$(machine_description)" "virt=$(virtualization)" "kernel=$(uname -r)" \
    "jdk=$jdk_version" "sluice_commit=$(sluice_revision)" "load_average=$load_at_start" "seconds=$seconds" "runs=$runs" \
    "ordered=${ordered# }" "gen_cpu=$GEN_CPU" "proxy_cpu=$PROXY_CPU" "proxy_cpu_pct=$proxy_cpu_pct" \
    "cpu_budget_period_us=$CPU_BUDGET_PERIOD_US" "backend_command=$backend_command" \
    "sluice_jvm_command=${sluice_jvm_command:-}" "sluice_transport=${sluice_transport:-}"
}

# Debian's version of each package named, as "nginx 1.22.1-9, ...".
package_versions() {
  local pkg out=""
  for pkg in "$@"; do out="$out${out:+, }$pkg $(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null || echo none)"; done
  echo "$out"
}

# harness_report NAME KEY=VALUE...: bench/NAME/results/NAME-STAMP.{json,md} from runs.jsonl and the
# context (harness_context's and the caller's pairs) by Report NAME, with what the proxies said
# beyond their start-up lines; prints the Markdown.
harness_report() {
  local name=$1 out pair args=(); shift
  out="bench/$name/results/$name-$stamp"
  mkdir -p "bench/$name/results"
  while IFS= read -r pair; do args+=("$pair"); done < <(harness_context; printf '%s\n' "$@")
  report_figures "$name" "$work/runs.jsonl" "$out" "${args[@]}" \
    || die "could not make the figures (Report $name); the runs are in $work/runs.jsonl (KEEP_WORK=1 keeps it)"
  proxies_said "$out.md"
  render_charts
  echo "$bench_name: wrote $out.json and $out.md (charts in bench/$name/results/charts)" >&2
  cat "$out.md"
}

# What each proxy logged beyond its start-up lines (stop_proxy collects it), appended to FILE.
proxies_said() {
  local p said=""
  for p in $ordered; do
    [ -s "$work/$p.all.log" ] || continue
    [ -n "$said" ] || { echo; echo "## What the proxies said (beyond their start-up lines), last 20 distinct lines each"; said=1; }
    echo; echo "$p ($(wc -l <"$work/$p.all.log") lines in all):"; echo; echo '```'
    sort "$work/$p.all.log" | uniq -c | sort -rn | head -20 | cut -c1-300
    echo '```'
  done >>"$1"
}

# A JSON string's contents from any text: quotes, backslashes, control characters and the
# Markdown table's bar taken out, at most 200 characters.
json_safe() { printf '%s' "$1" | tr '\n\r\t"\\|' '      ' | cut -c1-200; }

# harness_start_proxy PEER PROCESS LISTEN DIR PAIRS...: starts PROCESS (haproxy, nginx or
# sluice-l7) pinned to PROXY_CPU under the budget, from bench/DIR's template for it filled with
# LISTEN and PAIRS (NAME=VALUE, see fill), its log $work/PEER.log; waits until it answers on
# LISTEN (with the caller's ready_header, when set: a route that wants a credential answers 401
# without it). Sets proxy_pid, proxy_pids and proxy_command; on failure returns 1 with proxy_failure.
harness_start_proxy() {
  local peer=$1 process=$2 listen=$3 dir=$4; shift 4
  proxy_pid=0 proxy_pids=""
  : >"$work/$peer.log"
  case "$process" in
    haproxy)
      fill "bench/$dir/haproxy.cfg.in" LISTEN="$listen" "$@" >"$work/haproxy.cfg"
      launch_proxy "$peer" haproxy -db -f "$work/haproxy.cfg"
      proxy_command="taskset -c $PROXY_CPU haproxy -db -f haproxy.cfg (bench/$dir/haproxy.cfg.in)" ;;
    nginx)
      fill "bench/$dir/nginx.conf.in" LISTEN="$listen" "$@" >"$work/nginx.conf"
      mkdir -p "$work"/nginx-{client_body,proxy,fastcgi,uwsgi,scgi}
      launch_proxy "$peer" nginx -c "$work/nginx.conf" -e "$work/nginx.error.log"
      proxy_command="taskset -c $PROXY_CPU nginx -c nginx.conf (bench/$dir/nginx.conf.in)" ;;
    sluice-l7)
      fill "bench/$dir/sluice-l7.yaml.in" LISTEN="$listen" "$@" >"$work/sluice-l7.yaml"
      # The launcher execs the JVM, so $! is the JVM's pid; under taskset it sees one CPU.
      launch_proxy "$peer" ./sluice l7 --config "$work/sluice-l7.yaml" --threads 1 --access-log off
      proxy_command="taskset -c $PROXY_CPU ./sluice l7 --config sluice-l7.yaml --threads 1 --access-log off (bench/$dir/sluice-l7.yaml.in)" ;;
    *) die "no such process to start: $process" ;;
  esac
  if ! wait_http "http://$listen/" ${ready_header:+-H "$ready_header"}; then
    proxy_failure="did not answer on $listen: $(proxy_log_tail "$peer")"
    return 1
  fi
  proxy_started "$peer"
}

# start_checked PEER RUN: the caller's start_proxy PEER, then its verify PEER RUN (the check that
# the peer does what is measured, before anything is; it sets verify_failure). Sets round_status
# (ok or failed) and round_reason, which every measurement of the round then records.
start_checked() {
  round_status=ok round_reason="" proxy_failure=""
  if ! start_proxy "$1"; then
    round_status=failed round_reason=$proxy_failure
  else
    verify "$1" "$2"
    [ -z "$verify_failure" ] || round_status=failed round_reason="not measured: $verify_failure"
  fi
}
