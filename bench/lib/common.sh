# shellcheck shell=bash
# What bench/run-jmh, bench/pps/run-pps and bench/rps/run-rps share, sourced by each after it
# sets bench_name (the prefix of its messages). Figures are not computed here: the scripts
# collect raw measurements into a file and hand it to the report program in the bench jar
# (io.sluice.bench.report.Report, see report_figures), which writes bench/results/.
#
# Sourcing cds to the repository's root, so paths below are relative to it.

bench_home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$bench_home"
readonly BENCH_JAR=bench/target/sluice-bench.jar

die() { echo "$bench_name: $*" >&2; exit 2; }

need_root() { [ "$(id -u)" -eq 0 ] || die "needs root ($1): run it with sudo"; }
need_two_cpus() { [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs: $1 on separate cores"; }

# Installs the named Debian packages when missing; one sentence when that cannot be done.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "$bench_name: installing ${missing[*]}" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
      || die "could not install ${missing[*]} (apt-get install failed)"
  fi
}

# --- the machine ----------------------------------------------------------------------------
# A JDK 25 or newer: JAVA_HOME if it is one, else the first under /usr/lib/jvm. Sets jdk (empty
# when there is none) and jdk_version ("Eclipse Adoptium 25.0.1+8"), and puts it first on PATH.
find_jdk() {
  local candidate major
  jdk=""
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -f "$candidate/release" ] || continue
    major=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$candidate/release")
    if [ "${major:-0}" -ge 25 ]; then jdk="$candidate"; break; fi
  done
  if [ -z "$jdk" ]; then jdk_version=none; return 0; fi
  jdk_version=$(sed -n 's/^IMPLEMENTOR="\{0,1\}\([^"]*\)"\{0,1\}$/\1 /p; s/^JAVA_RUNTIME_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$jdk/release" | tr -d '\n')
  export JAVA_HOME="$jdk" PATH="$jdk/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

machine_description() {
  echo "$(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB"
}

# "a KVM virtual machine, in a docker container", or empty on bare metal.
virtualization() {
  local hv container
  hv=$(lscpu | sed -n 's/^Hypervisor vendor:\s*//p'); container=$(systemd-detect-virt -c 2>/dev/null || true)
  [ "$container" != none ] || container=""
  echo "${hv:+a $hv virtual machine}${container:+${hv:+, }in a $container container}"
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
utc_stamp() { date -u +%Y%m%dT%H%M%SZ; }

# This checkout's commit, and whether what is measured has changes beyond it.
sluice_revision() {
  echo "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
}

# --- processes and CPU time -----------------------------------------------------------------
# A process that exited stays a zombie until waited for, and kill -0 still finds it.
alive() { ps -o stat= -p "$1" 2>/dev/null | grep -qv '^Z'; }
# user+system clock ticks of the given pids, summed.
ticks_of() { local t=0 p; for p in $1; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
# user+nice+system+irq+softirq clock ticks of one CPU.
cpu_busy_ticks() { awk -v cpu="cpu$1" '$1 == cpu { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# --- a CPU budget for the device under test -------------------------------------------------
# On a small machine the load generator and the backends, sharing one core, cannot offer twice
# what a proxy with the other core to itself serves (here: 72k requests/s direct, a proxy 50-60k),
# so the proxy would not be the bottleneck and no ratio between proxies would mean anything. A
# CFS bandwidth limit gives the device under test a fixed share of its core instead: every peer
# gets the same CPU time per period, the generator keeps its headroom, and what is measured is
# work per CPU second. The period is short (20 ms) so that a throttled proxy waits at most
# period x (1 - share), not the 100 ms default's tens of milliseconds.
readonly CPU_BUDGET_PERIOD_US=20000
# Creates the cgroup (v2 where the unified hierarchy has the cpu controller, else v1's cpu
# hierarchy) with PCT % of one CPU; prints its directory. 100 % means no limit, and no cgroup.
cpu_budget_create() {
  local name=$1 pct=$2 dir quota
  [ "$pct" -lt 100 ] || { echo ""; return 0; }
  quota=$((CPU_BUDGET_PERIOD_US * pct / 100))
  if [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null \
      || die "cannot enable cgroup v2's cpu controller for the CPU budget (/sys/fs/cgroup/cgroup.subtree_control)"
    dir=/sys/fs/cgroup/$name; mkdir -p "$dir" || die "cannot create the cgroup $dir for the CPU budget"
    echo "$quota $CPU_BUDGET_PERIOD_US" >"$dir/cpu.max" || die "cannot set $dir/cpu.max"
  elif [ -d /sys/fs/cgroup/cpu ] && [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
    dir=/sys/fs/cgroup/cpu/$name; mkdir -p "$dir" || die "cannot create the cgroup $dir for the CPU budget"
    echo "$CPU_BUDGET_PERIOD_US" >"$dir/cpu.cfs_period_us" && echo "$quota" >"$dir/cpu.cfs_quota_us" \
      || die "cannot set the CFS quota in $dir"
  else
    die "no cgroup cpu controller (neither /sys/fs/cgroup/cgroup.controllers with cpu nor /sys/fs/cgroup/cpu): run with --proxy-cpu 100"
  fi
  echo "$dir"
}
# Runs a command inside the budget's cgroup (from its first instruction, so that every thread
# and child it starts is inside too); without a budget, runs it as it is.
cpu_budget_exec() {
  local dir=$1; shift
  if [ -z "$dir" ]; then exec "$@"; fi
  echo $BASHPID >"$dir/cgroup.procs" || die "cannot enter the cgroup $dir"
  exec "$@"
}
# Removes the cgroup once the processes in it have gone (rmdir fails while any is left).
cpu_budget_remove() {
  local dir=$1
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  for _ in $(seq 50); do rmdir "$dir" 2>/dev/null && return 0; sleep 0.1; done
  echo "$bench_name: could not remove the cgroup $dir (processes still in it: $(tr '\n' ' ' <"$dir/cgroup.procs"))" >&2
}
# CPU seconds the cgroup's tasks were throttled for (nr_throttled, throttled_time): how often the
# budget, not the work offered, stopped the device under test.
cpu_budget_throttled() {
  local dir=$1
  [ -n "$dir" ] || { echo "0 0"; return 0; }
  awk '$1 == "nr_throttled" { n = $2 } $1 == "throttled_time" { t = $2 / 1e9 } $1 == "throttled_usec" { t = $2 / 1e6 }
    END { printf "%d %.3f\n", n, t }' "$dir/cpu.stat"
}

# --- the CPU time a device under test used ---------------------------------------------------
# Per-process ticks (ticks_of) miss processes that come and go and count in 1/HZ steps; the
# kernel's own account of a cgroup counts every thread and child from its first instruction, in
# nanoseconds (v1's cpuacct.usage) or microseconds (v2's cpu.stat usage_usec). On v2 a process is
# in one cgroup only, so the budget's cgroup is also the account (every v2 cgroup has cpu.stat);
# on v1 the account is a cgroup of the cpuacct hierarchy (the same directory as the budget's when
# cpu and cpuacct are mounted together). Prints the directory; BUDGET_DIR may be empty.
cpu_account_create() {
  local name=$1 budget_dir=$2 dir
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    [ -z "$budget_dir" ] || { echo "$budget_dir"; return 0; }
    dir=/sys/fs/cgroup/$name
  elif [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then
    dir=/sys/fs/cgroup/cpuacct/$name
  else
    die "no cgroup CPU accounting (neither cgroup v2 nor v1's cpuacct hierarchy)"
  fi
  mkdir -p "$dir" || die "cannot create the cgroup $dir for the CPU account"
  echo "$dir"
}
# Puts the calling (sub)shell into the account's cgroup; its children inherit it. Empty: nothing.
cpu_account_join() {
  [ -z "$1" ] || echo $BASHPID >"$1/cgroup.procs" || die "cannot enter the cgroup $1"
}
# Microseconds of CPU the cgroup's processes used since it was made; 0 without one.
cpu_account_usage_us() {
  local dir=$1
  if [ -z "$dir" ]; then echo 0
  elif [ -f "$dir/cpuacct.usage" ]; then echo $(( $(cat "$dir/cpuacct.usage") / 1000 ))
  else awk '$1 == "usage_usec" { print $2 }' "$dir/cpu.stat"; fi
}

# A process's last words for a failed run, made safe for JSON and a Markdown table cell.
log_tail() {
  local text; text=$(grep -v '^\s*$' "$1" 2>/dev/null | tail -2 | tr '\n"\\|' '   /' | cut -c1-200)
  echo "${text:-its log is empty}"
}

# --- --baseline REV: the same bench at another revision, in one run -----------------------
# The revision is resolved once, when the options are read: a name such as main~3 moves while
# the run lasts, and the results record the commit that was measured. It is written into the
# JSON and Markdown as given, so it may hold no quotes or spaces.
baseline_resolve() {
  [[ "${1:-}" =~ ^[^\"\\\`|[:space:]]+$ ]] || die "--baseline needs a git revision (main~3, a commit id)"
  baseline_rev=$1
  baseline_commit=$(git rev-parse --verify --quiet "$baseline_rev^{commit}") || die "--baseline: '$baseline_rev' is not a commit of this repository"
  baseline_short=$(git rev-parse --short "$baseline_commit")
}

# Checks the baseline out into DIR with `git worktree add --detach`; baseline_tree is set
# first, so that baseline_remove removes even a worktree added halfway. Its output goes to LOG.
baseline_checkout() {
  local dir=$1 log=$2
  baseline_tree=$dir
  echo "$bench_name: checking out sluice at $baseline_rev ($baseline_short) in a worktree, for the baseline" >&2
  git worktree add --detach "$baseline_tree" "$baseline_commit" >"$log" 2>&1 \
    || die "could not add a worktree at $baseline_rev: $(grep -v '^\s*$' "$log" | tail -1)"
}

# The baseline's worktree is registered in the repository, not only a directory: it goes after
# whatever ran from it has stopped, and prune drops the registration should the removal fail
# halfway. Call it from the EXIT trap.
baseline_remove() {
  [ -n "${baseline_tree:-}" ] || return 0
  git worktree remove --force "$baseline_tree" >/dev/null 2>&1 || rm -rf "$baseline_tree"
  git worktree prune >/dev/null 2>&1 || true
  baseline_tree=""
}

# --- the report program -----------------------------------------------------------------------
# The bench jar, built (with the modules it depends on) when missing or older than a source or pom.
build_bench_jar() {
  if [ -f "$BENCH_JAR" ] && [ -z "$(find . -path ./.git -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$BENCH_JAR" -print -quit)" ]; then
    return 0
  fi
  [ -n "${jdk:-}" ] || die "needs a JDK 25 (set JAVA_HOME)"
  echo "$bench_name: building the bench jar" >&2
  mvn -B -q -DskipTests -pl bench -am package || die "the bench jar did not build (see above)"
}

# Report pps|rps|tls|compress|cache|gateway|jmh|percentiles ...: see io.sluice.bench.report.Report.
report_figures() { java -cp "$BENCH_JAR" io.sluice.bench.report.Report "$@"; }

# Every result's charts (io.sluice.bench.chart.Charts): a new result gets its own, linked from its
# report and, as the latest, from bench/README.md.
render_charts() { java -cp "$BENCH_JAR" io.sluice.bench.chart.Charts bench; }
