#!/usr/bin/env bash
# HTTP/1.1 "hello" servers, one after another, with their peers in the same run:
#   weft HttpHello on each driver of WEFT_DRIVERS, Netty 4.2 on epoll and on io_uring (one event
#   loop), a virtual thread per connection (java.net, scheduler parallelism 1), nginx (one worker).
# Each server runs confined to SERVER_CPU (taskset; weft also pins its executor there) and gets
#   taskset -c LOAD_CPU wrk -t1 -cCONNECTIONS -dWARMUP s  (warm-up, WARMUP_RUNS times, thrown away),
#   taskset -c LOAD_CPU wrk -t1 -cCONNECTIONS -dDURATION s --latency  (measured)
# and is stopped before the next one starts. A server that does not start (say a weft driver
# not built yet) is skipped with the reason, and the others still run.
# Every server is run once per pipeline depth of PIPELINE: depth 1 is plain keep-alive (one
# request per write, wait for its response); depth N sends N requests per write (pipeline.lua,
# as TechEmpower's "plaintext"), which costs the load generator far less per request, so that the
# server's CPU, not wrk's, sets the figure.
# Two warm-up runs, not one: when the first one's connections close, the JIT throws away code
# compiled for the hot paths (uncommon traps on the end-of-stream paths) and compiles it again;
# that recompilation, on the server's only CPU, falls in the second warm-up and not in the
# measured run, where it made the p99 of every Java server several milliseconds.
# Besides req/s and latency, the table gives the server's own CPU time per request ("srv us/req",
# from the scheduler's run time of its threads, /proc/PID/task/*/schedstat; kernel work done in
# its system calls included), which does not depend on whether wrk or the server was the
# bottleneck, and the JIT compiler threads' CPU time during the measured run ("jit ms").
#
# Usage: weft-bench/http.sh            (no arguments; everything is set by the environment)
# Environment (all optional):
#   WEFT_DRIVERS  weft drivers to run (default "uring epoll nio")
#   SERVERS       which servers (default "weft netty-epoll netty-uring vthreads nginx"; weft-stealing:
#                 HttpHello on a StealingExecutor of WORKERS workers)
#   WARMUP        seconds of each warm-up run (default 5);  WARMUP_RUNS  how many (default 2)
#   DURATION      seconds measured per server (default 10)
#   PIPELINE      pipeline depths, each a run of every server (default "1 16")
#   CONNECTIONS   wrk connections (default 64);  LOAD_THREADS  wrk threads (default 1)
#   WORKERS       the server's threads (default 1; see lib.sh): with 2, weft runs a pool of 2
#                 executors, Netty 2 event loops, nginx 2 workers, and server and wrk share the CPUs
#   SERVER_CPU    the server's CPU (default 0);  LOAD_CPU  wrk's CPU (default 1)
#   PORT          first port; each server gets the next one (default 18080)
#   JVM_OPTS      heap and GC of every Java server (default -Xms1g -Xmx1g -XX:+UseSerialGC)
#   NETTY_OPTS    extra JVM options of Netty (default --sun-misc-unsafe-memory-access=allow)
#   SKIP_BUILD    1 to reuse weft-bench/target/benchmarks.jar
#   WAIT_IDLE     before each run, wait up to this many seconds for the other work on the machine to
#                 drop to IDLE_PCT % of a CPU (default 0: no wait)
#   RETRIES       run a measurement again, up to this many times, while other processes used more
#                 than IDLE_PCT % of a CPU during it (default 0); IDLE_PCT defaults to 10.
#                 The table's "others" column is that share for the run kept.
# Installs wrk and nginx with apt-get when they are missing. Servers listen on 127.0.0.1 only.
# Results: printed, and in weft-bench/target/bench-results/http.txt (wrk's own output beside it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

WEFT_DRIVERS=${WEFT_DRIVERS-uring epoll nio}
SERVERS=${SERVERS:-weft netty-epoll netty-uring vthreads nginx}
WARMUP=${WARMUP:-5}
WARMUP_RUNS=${WARMUP_RUNS:-2}
DURATION=${DURATION:-10}
PIPELINE=${PIPELINE:-1 16}
CONNECTIONS=${CONNECTIONS:-64}
LOAD_THREADS=${LOAD_THREADS:-1}
PORT=${PORT:-18080}
# shellcheck disable=SC2034 # read by measure (lib.sh)
MEASURE_SERVER_CPU=1 # measure sets SERVER_NS and JIT_NS

build
need_pkg wrk wrk
[[ " $SERVERS " == *" nginx "* ]] && need_pkg nginx nginx

RESULT="$OUT/http.txt"
ROWS=()
DEPTH=1
row() { # NAME REQS P50 P99 US_PER_REQ NOTE (OTHERS, CPU_BUSY and JIT_NS are set by measure; RSS0/RSS1 by bench)
  local jit=-
  [ -n "${JIT_NS:-}" ] && jit=$((JIT_NS / 1000000))
  ROWS+=("$(printf '%-16s %5s %5s %10s %9s %9s %8s %6s %8s %8s %8s %6s %6s  %s' "$1" "$CONNECTIONS" "$DEPTH" "$2" "$3" \
      "$4" "$5" "$jit" "$(cpu_busy "$SERVER_CPU")" "$(cpu_busy "$LOAD_CPU")" "${OTHERS:--}" "${RSS0:--}" \
      "${RSS1:--}" "$6")")
}

# wrk prints latencies as 123.45us, 1.23ms or 1.02s: in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

# nginx with one worker on SERVER_CPU (WORKERS unbound workers when WORKERS > 1), its config, pid
# and logs in a prefix in the scratch folder.
NGINX_DIR=""
nginx_cmd() { # PORT
  NGINX_DIR=$SCRATCH/nginx-$1
  mkdir -p "$NGINX_DIR"
  local user=""
  [ "$(id -u)" -eq 0 ] && user="user $(id -un) $(id -gn);"
  local mask=1 c affinity=""  # binary, CPU 0 rightmost
  if [ "$WORKERS" -eq 1 ]; then
    for ((c = 0; c < SERVER_CPU; c++)); do mask="${mask}0"; done
    affinity="worker_cpu_affinity $mask;"
  fi
  cat >"$NGINX_DIR/nginx.conf" <<EOF
$user
worker_processes $WORKERS;
$affinity
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000000;
    client_body_temp_path $NGINX_DIR/client_body;
    proxy_temp_path $NGINX_DIR/proxy;
    fastcgi_temp_path $NGINX_DIR/fastcgi;
    uwsgi_temp_path $NGINX_DIR/uwsgi;
    scgi_temp_path $NGINX_DIR/scgi;
    server {
        listen 127.0.0.1:$1;
        location / {
            default_type text/plain;
            return 200 "Hello, World!";
        }
    }
}
EOF
  local nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  CMD=("$nginx" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" -g "daemon off;")
}

# bench NAME PORT: CMD must be set; starts, waits, warms up, measures, stops.
bench() {
  local name=$1 port=$2 log="$OUT/http-$1-d$DEPTH.server.log" wrkout="$OUT/http-$1-d$DEPTH.wrk.txt"
  RSS0="" RSS1=""
  start_and_wait "$name (pipeline depth $DEPTH)" "$port" "$log" probe_http || return 0
  echo "   response: $(printf '%s' "$PROBE_RESPONSE" | tr -d '\r' | tr '\n' '|')"
  local url="http://127.0.0.1:$port/" wrk=(taskset -c "$LOAD_CPU" wrk -t"$LOAD_THREADS" -c"$CONNECTIONS") pipelined=() i
  if [ "$DEPTH" -gt 1 ]; then
    wrk+=(-s "$here/pipeline.lua")
    pipelined=(-- "$DEPTH") # the script's argument, after the URL
  fi
  for ((i = 1; i <= WARMUP_RUNS; i++)); do
    echo "   warm-up $i: ${wrk[*]} -d${WARMUP}s $url ${pipelined[*]}"
    run_load "${wrk[@]}" -d"${WARMUP}s" "$url" "${pipelined[@]}" >/dev/null || true
  done
  echo "   measure: ${wrk[*]} -d${DURATION}s --latency $url ${pipelined[*]}"
  RSS0=$(rss_mb "$SERVER_PID")
  measure "$wrkout" "${wrk[@]}" -d"${DURATION}s" --latency "$url" "${pipelined[@]}" || true
  RSS1=$(rss_mb "$SERVER_PID")
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    row "$name" - - - - "the server died during the run: see $log"
    return 0
  fi
  stop_server
  local reqs n p50 p99 us=- note=""
  reqs=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$wrkout")
  n=$(awk '$2 == "requests" && $3 == "in" { print $1 }' "$wrkout")
  p50=- p99=-
  if [ "$DEPTH" -eq 1 ]; then # pipelined, wrk times a batch, not each response: no latency then
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$wrkout")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$wrkout")")
  fi
  if [ -n "${SERVER_NS:-}" ] && [ "${n:-0}" -gt 0 ]; then
    us=$(awk -v ns="$SERVER_NS" -v n="$n" 'BEGIN { printf "%.2f", ns / 1000 / n }')
  fi
  note=$(grep -E 'Socket errors|Non-2xx' "$wrkout" | sed 's/^ *//' | tr '\n' ' ' || true)
  sed -n '/Thread Stats/,/Requests\/sec/p' "$wrkout" | sed 's/^/   | /'
  row "$name" "$reqs" "$p50" "$p99" "$us" "$note"
}

{
  echo "HTTP/1.1 hello, $WORKERS server thread(s), same run: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  machine
  echo "wrk: $(wrk -v 2>&1 | head -n 1 || true)"
  if [[ " $SERVERS " == *" nginx "* ]]; then echo "nginx: $("$(command -v nginx || echo /usr/sbin/nginx)" -v 2>&1)"; fi
  echo "netty: $(netty_version)"
  echo "server on CPU $SERVER_CPU (taskset), wrk -t1 -c$CONNECTIONS on CPU $LOAD_CPU; $WARMUP_RUNS x ${WARMUP} s warm-up, ${DURATION} s measured; pipeline depths $PIPELINE"
  echo "JVM options of the Java servers: ${FLAGS[*]} ${JVM_OPTS[*]}; Netty also ${NETTY_OPTS[*]}"
} >"$RESULT.head"
cat "$RESULT.head"

OTHER_SERVERS=nginx
other_server() { # NAME PORT
  [ "$1" = nginx ] || return 1
  nginx_cmd "$2"; bench "$1" "$2"; rm -rf "$NGINX_DIR"
}

for DEPTH in $PIPELINE; do
  each_server io.weft.examples.HttpHello http
done

write_result "(server cpu, load cpu: how busy those CPUs were during the measured run, in %: a load CPU near 100
 while the server's is lower means the load generator set the figure; others: % of one CPU that
 other processes used during the run, 200 = both CPUs; srv us/req: the server's own CPU time
 per request; jit ms: CPU time of its JIT compiler threads during the measured run; no latency
 at depth > 1, where wrk times each pipelined batch, not each response; rss0, rss1: the server's
 resident memory in MB when the measured run starts (after the warm-ups) and when it ends)" \
  "$(printf '%-16s %5s %5s %10s %9s %9s %8s %6s %8s %8s %8s %6s %6s  %s' server conns depth req/s "p50 ms" "p99 ms" \
    "srv us/req" "jit ms" "srv cpu" "load cpu" others rss0 rss1 notes)"
