#!/usr/bin/env bash
# TCP echo servers, one after another, with their peers in the same run:
#   weft EchoServer on each driver of WEFT_DRIVERS, Netty 4.2 on epoll and on io_uring (one event
#   loop), a virtual thread per connection (java.net, scheduler parallelism 1).
# Each server runs confined to SERVER_CPU (taskset; weft also pins its executor there); the load is
#   taskset -c LOAD_CPU java io.weft.bench.net.EchoLoad --connections CONNECTIONS --size SIZE
#        --warmup WARMUP --duration DURATION
# (weft-bench's closed-loop client: every connection sends SIZE bytes and waits for them to come
# back; one thread, one NIO selector). A server that does not start (say a weft driver not built
# yet) is skipped with the reason, and the others still run.
#
# Usage: weft-bench/echo.sh            (no arguments; everything is set by the environment)
# Environment (all optional):
#   WEFT_DRIVERS  weft drivers to run (default "uring epoll nio")
#   SERVERS       which servers (default "weft netty-epoll netty-uring vthreads"; weft-stealing:
#                 the EchoServer on a StealingExecutor of WORKERS workers; proxy-DRIVER and
#                 proxy-stealing-DRIVER: weft's TcpProxy on DRIVER (a pool of WORKERS executors, or a
#                 StealingExecutor of WORKERS workers) in front of a weft EchoServer of one executor
#                 on the same driver, port PORT+1000: the figures are the proxy's)
#   WARMUP        seconds of warm-up load per server (default 5)
#   DURATION      seconds measured per server (default 10)
#   CONNECTIONS   client connections (default 64);  SIZE  message bytes (default 64)
#   SERVER_CPU    the server's CPU (default 0);  LOAD_CPU  the client's CPU (default 1)
#   WORKERS       the server's threads (default 1; see lib.sh): with 2, weft runs a pool of 2
#                 executors, Netty 2 event loops, and server and client share the CPUs
#   PORT          first port; each server gets the next one (default 17070)
#   JVM_OPTS      heap and GC of every Java server (default -Xms1g -Xmx1g -XX:+UseSerialGC)
#   NETTY_OPTS    extra JVM options of Netty (default --sun-misc-unsafe-memory-access=allow)
#   SKIP_BUILD    1 to reuse weft-bench/target/benchmarks.jar
#   WAIT_IDLE     before each run, wait up to this many seconds for the other work on the machine to
#                 drop to IDLE_PCT % of a CPU (default 0: no wait)
#   RETRIES       run a measurement again, up to this many times, while other processes used more
#                 than IDLE_PCT % of a CPU during it (default 0); IDLE_PCT defaults to 10.
#                 The table's "others" column is that share for the run kept.
# Servers listen on 127.0.0.1 only.
# Results: printed, and in weft-bench/target/bench-results/echo.txt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

WEFT_DRIVERS=${WEFT_DRIVERS-uring epoll nio}
SERVERS=${SERVERS:-weft netty-epoll netty-uring vthreads}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
SIZE=${SIZE:-64}
PORT=${PORT:-17070}

build

RESULT="$OUT/echo.txt"
ROWS=()
row() { # NAME RATE P50 P99 US_PER_ROUND_TRIP NOTE (OTHERS and CPU_BUSY are set by measure; RSS0/RSS1 by bench)
  ROWS+=("$(printf '%-16s %5s %14s %9s %9s %9s %8s %8s %8s %6s %6s  %s' "$1" "$CONNECTIONS" "$2" "$3" "$4" "$5" \
      "$(cpu_busy "$SERVER_CPU")" "$(cpu_busy "$LOAD_CPU")" "${OTHERS:--}" "${RSS0:--}" "${RSS1:--}" "$6")")
}

# bench NAME PORT: CMD must be set; starts, waits, loads (warm-up and measure in one client), stops.
bench() {
  local name=$1 port=$2 log="$OUT/echo-$1.server.log" out="$OUT/echo-$1.load.txt"
  RSS0="" RSS1=""
  start_and_wait "$name" "$port" "$log" probe_echo || return 0
  local load=(taskset -c "$LOAD_CPU" "$JAVA" -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$JAR" io.weft.bench.net.EchoLoad
              --port "$port" --connections "$CONNECTIONS" --size "$SIZE" --warmup "$WARMUP" --duration "$DURATION"
              --server-pid "$SERVER_PID")
  echo "   load: ${load[*]}"
  RSS0=$(rss_mb "$SERVER_PID")
  local rc=0
  measure "$out" "${load[@]}" || rc=$?
  RSS1=$(rss_mb "$SERVER_PID")
  if [ "$rc" -ne 0 ]; then
    echo "   the load failed: $(tail -n 3 "$out" | tr '\n' ' ')"
    row "$name" - - - - "the load failed: $(reason "$out")"
    stop_server
    return 0
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || { row "$name" - - - - "the server died: see $log"; return 0; }
  stop_server
  sed -n '/^echo /p' "$out" | sed 's/^/   | /'
  local r
  r=$(grep '^RESULT ' "$out")
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$r"; }
  local us
  us=$(awk -v ns="$(field server_cpu_ns)" -v n="$(field round_trips)" \
    'BEGIN { if (ns + 0 < 0 || n + 0 <= 0) print "-"; else printf "%.2f", ns / 1000 / n }')
  row "$name" "$(field round_trips_per_s)" "$(awk -v u="$(field p50_us)" 'BEGIN { printf "%.3f", u / 1000 }')" \
      "$(awk -v u="$(field p99_us)" 'BEGIN { printf "%.3f", u / 1000 }')" "$us" ""
}

{
  echo "TCP echo, $WORKERS server thread(s), same run: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  machine
  echo "netty: $(netty_version)"
  echo "server on CPU $SERVER_CPU (taskset), EchoLoad ($CONNECTIONS connections, $SIZE B messages, closed loop) on CPU $LOAD_CPU; ${WARMUP} s warm-up, ${DURATION} s measured"
  echo "JVM options of the Java servers: ${FLAGS[*]} ${JVM_OPTS[*]}; Netty also ${NETTY_OPTS[*]}"
} >"$RESULT.head"
cat "$RESULT.head"

# other_server NAME PORT: proxy-DRIVER, proxy-stealing-DRIVER (see SERVERS); 1 for any other name.
other_server() {
  local name=$1 port=$2 kind drv up=$(($2 + 1000))
  case $name in
    proxy-stealing-*) kind=stealing; drv=${name#proxy-stealing-} ;;
    proxy-*) kind=pool; drv=${name#proxy-} ;;
    *) return 1 ;;
  esac
  "$JAVA" "${FLAGS[@]}" "${JVM_OPTS[@]}" -cp "$JAR" io.weft.examples.EchoServer --port "$up" --driver "$drv" \
    >"$OUT/echo-$name.upstream.log" 2>&1 9>&- &
  local upstream=$!
  PIDS+=("$upstream")
  weft_cmd io.weft.examples.TcpProxy "$drv" "$port"
  CMD+=(--upstream "127.0.0.1:$up")
  if [ "$kind" = stealing ]; then CMD+=(--executor stealing); fi
  bench "$name" "$port"
  stop_pid "$upstream"
}

each_server io.weft.examples.EchoServer echo

write_result "(server cpu, load cpu: how busy those CPUs were during the measured run, in %: a load CPU near 100
 while the server's is lower means the load generator set the figure; others: % of one CPU that
 other processes used during the run, 200 = both CPUs; srv us/rt: the server's own CPU time per
 round trip in the measured window, from the scheduler's run time of its threads; rss0, rss1: the
 server's resident memory in MB before the load starts and after it ends; the load's warm-up is in
 between)" \
  "$(printf '%-16s %5s %14s %9s %9s %9s %8s %8s %8s %6s %6s  %s' server conns "round trips/s" "p50 ms" "p99 ms" \
    "srv us/rt" "srv cpu" "load cpu" others rss0 rss1 notes)"
