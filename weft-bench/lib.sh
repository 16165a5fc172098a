# shellcheck shell=bash disable=SC2034,SC2154
# (sourced: `here` comes from the includer; CMD, BUSY, WHY, PROBE_RESPONSE, SERVER_PID go back to it)
# Shared by http.sh, echo.sh and files.sh (sourced, not run): the JDK, the build,
# Debian packages, starting and stopping servers, and cleaning up on exit or ctrl-c.
# The including script sets `here` (this folder) and `set -euo pipefail` first.

root=$(cd "$here/.." && pwd)
cd "$root" || exit 1

# BENCH_JAR: another build's jar (say, of an earlier commit) to measure instead of this one.
JAR="${BENCH_JAR:-$here/target/benchmarks.jar}"
OUT="$here/target/bench-results"
FLAGS=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)
# Every Java server gets the same heap and GC. SerialGC is what ergonomics picks anyway for a
# process confined to one CPU; it is named so that the choice is visible and the same for all.
# shellcheck disable=SC2206
JVM_OPTS=(${JVM_OPTS:--Xms1g -Xmx1g -XX:+UseSerialGC})
# WORKERS: the server's threads. 1 (the default): one executor, one event loop, one carrier thread
# or one nginx worker, the server on SERVER_CPU and the load on LOAD_CPU. More: weft runs a pool of
# WORKERS executors (unbound), Netty WORKERS event loops, the virtual threads a scheduler of
# parallelism WORKERS, nginx WORKERS workers; server and load then share every CPU unless
# SERVER_CPU/LOAD_CPU (taskset lists) say otherwise, so compare the server's CPU per request.
WORKERS=${WORKERS:-1}
if [ "$WORKERS" -gt 1 ]; then
  SERVER_CPU=${SERVER_CPU:-0-$(($(nproc) - 1))}
  LOAD_CPU=${LOAD_CPU:-0-$(($(nproc) - 1))}
else
  SERVER_CPU=${SERVER_CPU:-0}
  LOAD_CPU=${LOAD_CPU:-1}
fi

java_home=$(./mvnw -v 2>/dev/null | sed -n 's/.*runtime: *//p' | head -n 1)
if [ -z "$java_home" ] || [ ! -x "$java_home/bin/java" ]; then
  echo "$(basename "$0"): could not find the JDK that ./mvnw uses (no 'runtime:' line in ./mvnw -v)" >&2
  exit 1
fi
JAVA="$java_home/bin/java"

build() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "== build: ./mvnw -B -q -pl weft-bench -am package -DskipTests"
    ./mvnw -B -q -pl weft-bench -am package -DskipTests
  fi
  mkdir -p "$OUT"
}

# need_pkg COMMAND PACKAGE: installs the Debian package when the command is missing.
need_pkg() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [ -x "/usr/sbin/$1" ] && return 0
  echo "== $1 is missing: installing the Debian package $2 (apt-get install -y $2)"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if [ ! -f "$OUT/.apt-updated" ]; then
    "${sudo[@]}" apt-get update -qq && mkdir -p "$OUT" && touch "$OUT/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$2" >/dev/null
}

machine() {
  echo "machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -n 1))"
}

# Scratch files of this run (nginx's prefix, CPU-time snapshots), removed on exit.
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench.XXXXXX")

# --- servers -------------------------------------------------------------------------------
# The pids of what is running, killed by cleanup on any exit (end, error, ctrl-c).
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    stop_pid "$p"
  done
  PIDS=()
  rm -rf "$SCRATCH"
}
# fd 9 is the script's own stdout, for the message of a signal that arrives while a step's
# output goes to a file; the commands started here do not inherit it.
exec 9>&1
trap cleanup EXIT
trap 'echo >&9; echo "interrupted: stopping what runs" >&9; exit 130' INT TERM

stop_pid() {
  local p=$1 i
  kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for i in $(seq 50); do
    kill -0 "$p" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$p" 2>/dev/null; then kill -KILL "$p" 2>/dev/null || true; fi
  wait "$p" 2>/dev/null || true
}

# run_load COMMAND...: runs the load generator (or any step that takes a while) as a job this
# shell waits for, so that a signal stops the script at once and cleanup ends the command too.
run_load() {
  "$@" 9>&- &
  local p=$! rc=0
  PIDS+=("$p")
  wait "$p" || rc=$?
  local q keep=()
  for q in "${PIDS[@]}"; do [ "$q" = "$p" ] || keep+=("$q"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
  return "$rc"
}

# start_server LOG COMMAND...: starts COMMAND confined to SERVER_CPU, in the background;
# its pid goes to SERVER_PID (and PIDS).
start_server() {
  local log=$1; shift
  echo "   server: taskset -c $SERVER_CPU $*"
  taskset -c "$SERVER_CPU" "$@" >"$log" 2>&1 9>&- &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
}

stop_server() {
  stop_pid "$SERVER_PID"
  local p keep=()
  for p in "${PIDS[@]}"; do [ "$p" = "$SERVER_PID" ] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

# reason LOG: the last lines of a log that say something, on one line (stack frames left out).
reason() {
  grep -vE '^\s*(at |\.\.\. [0-9]+ more)' "$1" | tail -n 2 | tr '\t\n' '  ' | sed 's/  */ /g; s/ $//' | cut -c1-300
}

# wait_ready LOG PROBE...: waits up to READY_TIMEOUT seconds (default 30) until the PROBE
# command succeeds. On failure sets WHY (the server exited, or timed out, with the last
# lines of its log) and returns 1.
wait_ready() {
  local log=$1; shift
  local deadline=$((SECONDS + ${READY_TIMEOUT:-30}))
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" 2>/dev/null && WHY="exited" || WHY="exited with status $?"
      WHY="$WHY: $(reason "$log")"
      return 1
    fi
    if "$@" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  WHY="no answer within ${READY_TIMEOUT:-30} s: $(reason "$log")"
  return 1
}

# probe_http PORT: a GET with Connection: close must get "200" and the hello body.
# start_and_wait NAME PORT LOG PROBE: waits for a quiet machine, starts CMD (logging to LOG) and
# waits until PROBE answers on PORT. If the server does not come up, prints a "skipped" row (the
# script's own row function) with the reason, stops it and returns 1.
start_and_wait() {
  local name=$1 port=$2 log=$3 probe=$4
  echo
  OTHERS=""
  CPU_BUSY=()
  wait_idle
  echo "== $name (port $port); other work before it starts: $BUSY % of a CPU"
  start_server "$log" "${CMD[@]}"
  if ! wait_ready "$log" "$probe" "$port"; then
    echo "   skipped: $WHY"
    OTHERS=""
    CPU_BUSY=()
    row "$name" - - - "skipped: $WHY"
    stop_server
    return 1
  fi
  echo "   ready: $(head -n 1 "$log")"
}

probe_http() {
  local resp
  resp=$(timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"' &&
         printf "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3 && cat <&3') || return 1
  [[ $resp == "HTTP/1.1 200"* && $resp == *"Hello, World!" ]] || return 1
  PROBE_RESPONSE=$resp
}

# probe_echo PORT: a line must come back.
probe_echo() {
  timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$1"' && printf "ping\n" >&3 && read -r -t 1 line <&3 &&
                     [ "$line" = ping ]'
}

# Commands of the servers, in the array CMD: the weft example of a driver, the Netty server of
# a transport, the virtual-thread server.
weft_cmd() { # MAIN DRIVER PORT
  CMD=("$JAVA" "${FLAGS[@]}" "${JVM_OPTS[@]}" -cp "$JAR" "$1" --port "$3" --driver "$2")
  if [ "$WORKERS" -gt 1 ]; then
    CMD+=(--executors "$WORKERS" --placement unbound)
  else
    CMD+=(--pin "$SERVER_CPU")
  fi
}
# Netty gets sun.misc.Unsafe, which it leaves off by default on JDK 24+: its fastest setting.
# shellcheck disable=SC2206
NETTY_OPTS=(${NETTY_OPTS:---sun-misc-unsafe-memory-access=allow})
netty_cmd() { # APP TRANSPORT PORT
  CMD=("$JAVA" "${FLAGS[@]}" "${JVM_OPTS[@]}" "${NETTY_OPTS[@]}" -cp "$JAR" io.weft.bench.net.NettyServer
       --app "$1" --transport "$2" --port "$3" --threads "$WORKERS")
}
vthreads_cmd() { # APP PORT
  CMD=("$JAVA" "${FLAGS[@]}" "${JVM_OPTS[@]}" -Djdk.virtualThreadScheduler.parallelism="$WORKERS" -cp "$JAR"
       io.weft.bench.net.VirtualThreadServer --app "$1" --port "$2")
}

# --- other work on the machine -------------------------------------------------------------
# The machine may be shared. Two measures, both in percent of ONE CPU (200 = both CPUs busy):
# busy_pct, everything busy during one second (taken before a run, when nothing of ours runs),
# and others_begin/others_end, the CPU time of processes that are not this script's during a run.

busy_pct() {
  local a b i d busy=0 total=0
  read -ra a < /proc/stat
  sleep 1
  read -ra b < /proc/stat
  for i in 1 2 3 4 5 6 7 8; do # user nice system idle iowait irq softirq steal
    d=$((b[i] - a[i]))
    total=$((total + d))
    [ "$i" -ne 4 ] && [ "$i" -ne 5 ] && busy=$((busy + d))
  done
  echo $((total > 0 ? 100 * busy * $(nproc) / total : 0))
}

# wait_idle: with WAIT_IDLE=N, waits up to N seconds until other work uses at most IDLE_PCT %
# of a CPU (default 10). Sets BUSY to the last reading.
wait_idle() {
  local deadline=$((SECONDS + ${WAIT_IDLE:-0}))
  BUSY=$(busy_pct)
  while [ "$BUSY" -gt "${IDLE_PCT:-10}" ] && [ $SECONDS -lt $deadline ]; do
    BUSY=$(busy_pct)
  done
}

# "pid ticks" of every process that is neither this script's descendant nor a kernel thread
# (kernel threads are left out: loopback softirqs and block completions of our own load run there).
others_ticks() {
  local f
  for f in /proc/[0-9]*/stat; do
    # the command name may hold spaces and parentheses: the fields that matter follow the last ')'
    read -r line < "$f" 2>/dev/null || continue
    printf '%s %s\n' "${f//[^0-9]/}" "${line##*) }"
  done | awk -v self=$$ '
    { pid = $1; ppid[pid] = $3; ticks[pid] = $13 + $14 }
    END {
      for (pid in ticks) {
        p = pid + 0; ours = 0  # a number: the keys of an array are strings, and "12708" > 2 is false as strings
        for (n = 0; n < 64 && p > 2; n++) { if (p == self) { ours = 1; break }; p = ppid[p] }
        if (!ours && pid != 2 && ppid[pid] != 2 && pid != 1) print pid, ticks[pid]
      }
    }'
}
others_begin() {
  OTHERS_FILE=$SCRATCH/others
  others_ticks >"$OTHERS_FILE"
  OTHERS_T0=$(date +%s%N)
}
# Sets OTHERS: percent of one CPU that other processes used since others_begin (those that ended
# in between are missed; those that began count whole).
others_end() {
  local t1 hz
  t1=$(date +%s%N)
  hz=$(getconf CLK_TCK)
  OTHERS=$(others_ticks | awk -v hz="$hz" -v ns=$((t1 - OTHERS_T0)) '
    NR == FNR { before[$1] = $2; next }
    { d = $2 - before[$1]; if (d > 0) sum += d }
    END { printf "%.0f", 100 * sum / hz / (ns / 1e9) }' "$OTHERS_FILE" -)
}

# How busy each CPU was during a run, in percent (user, system, interrupts; not idle, not iowait):
# cpus_begin, then cpus_end sets CPU_BUSY[n]. When the load's CPU is near 100 % and the server's
# is not, the load generator set the figure, not the server.
declare -A CPU_BUSY=()
cpus_begin() {
  CPUS_T0=$(grep -E '^cpu[0-9]+ ' /proc/stat)
}
cpus_end() {
  local cpu pct
  CPU_BUSY=()
  while read -r cpu pct; do
    CPU_BUSY[$cpu]=$pct
  done < <(paste -d' ' <(echo "$CPUS_T0") <(grep -E '^cpu[0-9]+ ' /proc/stat) | awk '{
    n = NF / 2; total = 0; idle = 0
    for (i = 2; i <= 9; i++) { d = $(n + i) - $i; total += d; if (i == 5 || i == 6) idle += d }
    printf "%s %.0f\n", substr($1, 4), (total > 0 ? 100 * (total - idle) / total : 0) }')
}
# cpu_busy LIST: CPU_BUSY of a CPU, or the mean over a taskset list ("0-1", "0,2"); "-" if unknown.
cpu_busy() {
  local part lo hi c sum=0 n=0
  for part in ${1//,/ }; do
    lo=${part%-*} hi=${part#*-}
    for ((c = lo; c <= hi; c++)); do
      [ -n "${CPU_BUSY[$c]:-}" ] || continue
      sum=$((sum + CPU_BUSY[$c])) n=$((n + 1))
    done
  done
  if [ "$n" -gt 0 ]; then echo $((sum / n)); else echo -; fi
}

# The server's own CPU time during a run, from the scheduler's run time of each of its threads
# (/proc/PID/task/TID/schedstat, in nanoseconds; nginx's worker, a child of its master, counts too).
# server_cpu_begin, then server_cpu_end sets SERVER_NS (all threads) and JIT_NS (the JIT compiler
# threads, "C1 CompilerThre" and "C2 CompilerThre"). A thread that ends in between is missed.
server_threads() { # PID: "tid ns name" of every thread
  local p t ns rest name
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    for t in /proc/"$p"/task/[0-9]*; do
      read -r ns rest 2>/dev/null <"$t/schedstat" || continue
      read -r name 2>/dev/null <"$t/comm" || continue
      printf '%s %s %s\n' "${t##*/}" "$ns" "$name"
    done
  done
}
server_cpu_begin() {
  server_threads "$SERVER_PID" >"$SCRATCH/server-cpu"
}
server_cpu_end() {
  read -r SERVER_NS JIT_NS < <(server_threads "$SERVER_PID" | awk '
    NR == FNR { before[$1] = $2; next }
    { d = $2 - before[$1]; total += d; if ($3 ~ /^C[12]$/ && $4 ~ /^CompilerThre/) jit += d }
    END { printf "%.0f %.0f\n", total, jit }' "$SCRATCH/server-cpu" -)
}

# measure OUT COMMAND...: runs the measured step (as run_load) with its output (stdout and stderr)
# in the file OUT, and with RETRIES=N runs it again, up to N more times, while other processes
# used more than IDLE_PCT % of a CPU during it; OUT keeps the last run. Waits for quiet first
# (WAIT_IDLE). Sets OTHERS for the run that is kept; with MEASURE_SERVER_CPU=1 (http.sh; echo.sh's
# client takes its own, over the measured window only) also SERVER_NS and JIT_NS, while SERVER_PID
# is alive (otherwise both are empty).
measure() {
  local out=$1 try=0 rc server=""
  shift
  if [ "${MEASURE_SERVER_CPU:-0}" = 1 ] && [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    server=1
  fi
  for (( ; ; try++)); do
    wait_idle
    others_begin
    cpus_begin
    SERVER_NS="" JIT_NS=""
    [ -z "$server" ] || server_cpu_begin
    rc=0
    run_load "$@" >"$out" 2>&1 || rc=$?
    [ -z "$server" ] || server_cpu_end
    cpus_end
    others_end
    [ "$rc" -eq 0 ] || return "$rc"
    if [ "$OTHERS" -le "${IDLE_PCT:-10}" ] || [ "$try" -ge "${RETRIES:-0}" ]; then
      return 0
    fi
    echo "   other processes used $OTHERS % of a CPU during the run: once more ($((try + 1)) of ${RETRIES:-0})"
  done
}

# each_server MAIN APP: runs `bench NAME PORT` (the including script's) for each server of SERVERS,
# the next port each (PORT + i, i counting across calls): weft's MAIN once per driver of
# WEFT_DRIVERS, Netty's and the virtual threads' APP ("http" or "echo"). Another name is handed to
# the script's `other_server NAME PORT`, if it has one.
i=0
each_server() {
  local main=$1 app=$2 s d port
  for s in $SERVERS; do
    if [ "$s" = weft ] || [ "$s" = weft-stealing ]; then
      for d in $WEFT_DRIVERS; do
        port=$((PORT + i)); i=$((i + 1))
        weft_cmd "$main" "$d" "$port"
        [ "$s" = weft-stealing ] && CMD+=(--executor stealing)
        bench "$s-$d" "$port"
      done
      continue
    fi
    port=$((PORT + i)); i=$((i + 1))
    case $s in
      netty-epoll) netty_cmd "$app" epoll "$port"; bench "$s" "$port" ;;
      netty-uring) netty_cmd "$app" io_uring "$port"; bench "$s" "$port" ;;
      vthreads) vthreads_cmd "$app" "$port"; bench "$s" "$port" ;;
      *)
        if declare -F other_server >/dev/null && other_server "$s" "$port"; then
          continue
        fi
        echo "unknown server '$s' in SERVERS (expected weft weft-stealing netty-epoll netty-uring vthreads${OTHER_SERVERS:+ $OTHER_SERVERS})" >&2
        exit 2 ;;
    esac
  done
}

# write_result LEGEND HEADER: writes RESULT (the run's head from RESULT.head, the LEGEND, the table's
# HEADER line and ROWS) and shows the table.
write_result() {
  {
    cat "$RESULT.head"
    echo
    printf '%s\n' "$1"
    printf '%s\n' "$2"
    printf '%s\n' "${ROWS[@]}"
  } >"$RESULT"
  rm -f "$RESULT.head"
  echo
  sed -n '/^server /,$p' "$RESULT"
  echo
  echo "written to $RESULT"
}

# rss_kb PID: resident memory of PID and its children (nginx's worker), in KB (VmRSS of
# /proc/PID/status); "-" once it is gone. rss_mb: the same in MB.
rss_kb() {
  local p kb total=0 any=""
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null) || continue
    [ -n "$kb" ] || continue
    total=$((total + kb))
    any=1
  done
  if [ -n "$any" ]; then echo "$total"; else echo -; fi
}
rss_mb() {
  local kb
  kb=$(rss_kb "$1")
  if [ "$kb" = - ]; then echo -; else awk -v kb="$kb" 'BEGIN { printf "%.0f", kb / 1024 }'; fi
}

# The Netty in benchmarks.jar, as its own io.netty.util.Version reports it ("4.2.17.Final"; the
# shaded jar keeps one module's entry, all of them have the same version).
netty_version() {
  "$JAVA" -cp "$JAR" io.netty.util.Version 2>&1 | sed -n 's/^netty-[a-z_-]*-\([0-9][0-9.]*[A-Za-z]*\)\..*/\1/p' | head -n 1
}
