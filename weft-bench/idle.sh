#!/usr/bin/env bash
# Memory per idle keep-alive connection, with the peers in the same run:
#   weft HttpHello on each driver of WEFT_DRIVERS, Netty 4.2 on epoll and on io_uring, a virtual
#   thread per connection. For each server, one after another:
#   1. start it (confined to SERVER_CPU), its Java heap touched up front (-XX:+AlwaysPreTouch), so
#      that resident memory grows only with native memory (buffers, stacks, malloc);
#   2. warm up: IdleLoad opens WARM connections, is served once on each, closes them;
#   3. after SETTLE seconds, the live heap (jcmd GC.class_histogram) and the resident memory (VmRSS);
#   4. IdleLoad opens CONNECTIONS connections and gets one response on each; they stay open, idle;
#   5. after SETTLE seconds, the live heap and the resident memory again;
#   6. the connections close and the server stops.
# Per connection: native = resident growth / CONNECTIONS, heap = growth of the live heap (the total
# of jcmd's class histogram, taken after a full GC) / CONNECTIONS, total = both. The kernel's socket memory is in neither (it is the same for
# every server).
#
# Usage: weft-bench/idle.sh   (no arguments; everything is set by the environment)
# Environment (all optional):
#   WEFT_DRIVERS  weft drivers to run (default "uring epoll")
#   SERVERS       which servers (default "weft netty-epoll netty-uring vthreads")
#   CONNECTIONS   idle connections (default 8000);  WARM  warm-up connections (default 2000)
#   SETTLE        seconds between the last response and the second reading (default 2)
#   SERVER_CPU    the server's CPU (default 0);  LOAD_CPU  IdleLoad's CPU (default 1)
#   PORT          first port; each server gets the next one (default 19080)
#   JVM_OPTS      heap and GC of every Java server (default -Xms1g -Xmx1g -XX:+UseSerialGC)
#   SKIP_BUILD    1 to reuse weft-bench/target/benchmarks.jar
# Results: printed, and in weft-bench/target/bench-results/idle.txt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

WEFT_DRIVERS=${WEFT_DRIVERS-uring epoll}
SERVERS=${SERVERS:-weft netty-epoll netty-uring vthreads}
CONNECTIONS=${CONNECTIONS:-8000}
WARM=${WARM:-2000}
SETTLE=${SETTLE:-2}
PORT=${PORT:-19080}
JVM_OPTS+=(-XX:+AlwaysPreTouch)
JCMD="$java_home/bin/jcmd"

build

RESULT="$OUT/idle.txt"
ROWS=()
row() { # NAME RSS0 RSS1 HEAP0 HEAP1 NOTE (all in KB)
  local native=- heap=- total=-
  if [ "$2" != - ] && [ "$3" != - ]; then
    native=$(awk -v a="$2" -v b="$3" -v n="$CONNECTIONS" 'BEGIN { printf "%.1f", (b - a) / n }')
    heap=$(awk -v a="$4" -v b="$5" -v n="$CONNECTIONS" 'BEGIN { printf "%.1f", (b - a) / n }')
    total=$(awk -v x="$native" -v y="$heap" 'BEGIN { printf "%.1f", x + y }')
  fi
  ROWS+=("$(printf '%-16s %6s %9s %9s %8s %9s %9s %8s %8s  %s' "$1" "$CONNECTIONS" "$2" "$3" "$native" "$4" "$5" "$heap" \
      "$total" "$6")")
}

# heap_kb PID: the live heap in KB: the total of a class histogram, which jcmd takes after a full GC.
heap_kb() {
  "$JCMD" "$1" GC.class_histogram | awk '$1 == "Total" { printf "%.0f\n", $3 / 1024 }'
}

# idle_load N: starts IdleLoad with N connections on LOAD_CPU; returns once all are served
# (LOAD_PID, LOAD_IN: its pid and the fifo that ends it).
idle_load() {
  LOAD_IN=$SCRATCH/idle-in-$1
  rm -f "$LOAD_IN"
  mkfifo "$LOAD_IN"
  # the load is always this build's (BENCH_JAR may name an older build of the servers)
  taskset -c "$LOAD_CPU" "$JAVA" -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$here/target/benchmarks.jar" io.weft.bench.net.IdleLoad \
    --port "$port" --connections "$1" <"$LOAD_IN" >"$SCRATCH/idle-out" 2>&1 9>&- &
  LOAD_PID=$!
  PIDS+=("$LOAD_PID")
  exec 8>"$LOAD_IN" # keeps the fifo open: IdleLoad waits for a line
  local deadline=$((SECONDS + 120))
  until grep -q '^READY' "$SCRATCH/idle-out"; do
    if ! kill -0 "$LOAD_PID" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      WHY="IdleLoad: $(reason "$SCRATCH/idle-out")"
      return 1
    fi
    sleep 0.2
  done
}

end_load() {
  echo >&8
  exec 8>&-
  wait "$LOAD_PID" 2>/dev/null || true
  local p keep=()
  for p in "${PIDS[@]}"; do [ "$p" = "$LOAD_PID" ] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

bench() {
  local name=$1 port=$2 log="$OUT/idle-$1.server.log"
  start_and_wait "$name" "$port" "$log" probe_http || return 0
  echo "   warm-up: $WARM connections, one request each"
  if ! idle_load "$WARM"; then row "$name" - - - - "$WHY"; end_load; stop_server; return 0; fi
  end_load
  sleep "$SETTLE" # the server sees the warm-up's connections end and lets their tasks go
  local rss0 rss1 heap0 heap1
  heap0=$(heap_kb "$SERVER_PID")
  rss0=$(rss_kb "$SERVER_PID")
  echo "   before: resident $rss0 KB, heap in use $heap0 KB; now $CONNECTIONS idle connections"
  if ! idle_load "$CONNECTIONS"; then row "$name" - - - - "$WHY"; end_load; stop_server; return 0; fi
  sleep "$SETTLE"
  heap1=$(heap_kb "$SERVER_PID")
  rss1=$(rss_kb "$SERVER_PID")
  echo "   with them: resident $rss1 KB, heap in use $heap1 KB"
  end_load
  kill -0 "$SERVER_PID" 2>/dev/null || { row "$name" - - - - "the server died: see $log"; return 0; }
  stop_server
  row "$name" "$rss0" "$rss1" "$heap0" "$heap1" ""
}

{
  echo "Idle keep-alive connections, memory per connection, same run: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  machine
  echo "netty: $(netty_version)"
  echo "server on CPU $SERVER_CPU (taskset), IdleLoad on CPU $LOAD_CPU; $WARM warm-up connections, then $CONNECTIONS idle ones (each served one GET)"
  echo "JVM options of the Java servers: ${FLAGS[*]} ${JVM_OPTS[*]}; Netty also ${NETTY_OPTS[*]}"
} >"$RESULT.head"
cat "$RESULT.head"

each_server io.weft.examples.HttpHello http

write_result "(rss: resident memory in KB before and with the idle connections (the heap is touched up front,
 so this grows with native memory only); heap: live KB (after a full GC), before and with them;
 the last three columns are KB per idle connection)" \
  "$(printf '%-16s %6s %9s %9s %8s %9s %9s %8s %8s  %s' server conns "rss0 KB" "rss1 KB" native "heap0 KB" \
    "heap1 KB" heap total notes)"
