#!/usr/bin/env bash
# Builds weft-bench and runs its benchmarks, each with its peers in the same run:
#   1. JMH SpawnJoinBench      spawn + join of 100,000 empty tasks, ns/task (weft and JDK peers)
#   2. JMH SuspendResumeBench  ns per suspend + resume (weft, raw Continuation, virtual thread)
#   3. JMH SpawnJoinBench again with the forks confined to one CPU (taskset), so that the
#      JDK peers, which need a submitter thread and a worker thread, get one core as weft does
#   4. MemoryPerTask           bytes per suspended task, 1,000,000 weft tasks vs virtual threads
#   5. JMH TimerBench          1,000,000 concurrent sleeps (weft, virtual threads, ScheduledThreadPoolExecutor)
#   6. JMH SyncBench           ping-pong through a channel, a shared channel between threads (vs
#                              ArrayBlockingQueue and JCTools queues), a contended mutex, a read-mostly RwLock
#   7. JMH SubmitBench         tasks submitted from outside to one worker: a pool of one executor
#                              vs ForkJoinPool(1) and a single-thread ExecutorService
#   8. JMH SpscBench           values between two executors through the SPSC channel (vs JCTools
#                              SpscArrayQueue with a park/unpark handshake, ArrayBlockingQueue)
#   9. JMH StealBench          tokio's rt_multi_threaded shapes on 2 workers: the StealingExecutor vs
#                              ForkJoinPool(2) and virtual threads (parallelism 2)
#  10. FirstBurst              a million tasks in a fresh, plain JVM (default G1, -Xmx4g), round by
#                              round: all suspended at once (weft yieldNow vs virtual threads
#                              Thread.yield) and spawn + join (weft vs ForkJoinPool(1)); each mode in
#                              BURST_JVMS fresh JVMs, so every first round is a first round
#
# Usage: weft-bench/run.sh [all|jmh|timers|sync|submit|spsc|steal|onecore|memory|burst]...   (default: all)
# Environment (all optional):
#   JMH_OPTS    JMH settings (default below: short, for a 2-core machine)
#   JMH_GC      the forks' GC, given with -jvmArgsPrepend (default -XX:+UseG1GC: set explicitly
#               because a fork confined to one CPU would otherwise get SerialGC by ergonomics)
#   ONE_CPU     the CPU for step 3 (default 1)
#   MEM_TASKS   tasks for step 4 (default 1000000)
#   BURST_JVMS  fresh JVMs per mode for step 10 (default 3)
#   SKIP_BUILD  set to 1 to reuse weft-bench/target/benchmarks.jar
# Results: printed, and kept in weft-bench/target/bench-results/.
#
# The JDK is the one ./mvnw finds (its "runtime:" line); JAVA_HOME is never assumed.
# Every JMH fork gets --add-exports java.base/jdk.internal.vm=ALL-UNNAMED
# --enable-native-access=ALL-UNNAMED from the benchmarks' @Fork annotations.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(all)
want() { local s; for s in "${steps[@]}"; do [ "$s" = all ] || [ "$s" = "$1" ] && return 0; done; return 1; }

# Short settings for a 2-core machine: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement; -prof gc
# adds the bytes allocated per operation (gc.alloc.rate.norm, per task here).
JMH_OPTS=${JMH_OPTS:--f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc}
JMH_GC=${JMH_GC:--XX:+UseG1GC}
ONE_CPU=${ONE_CPU:-1}
MEM_TASKS=${MEM_TASKS:-1000000}
BURST_JVMS=${BURST_JVMS:-3}
FLAGS=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)

java_home=$(./mvnw -v 2>/dev/null | sed -n 's/.*runtime: *//p' | head -n 1)
if [ -z "$java_home" ] || [ ! -x "$java_home/bin/java" ]; then
  echo "run.sh: could not find the JDK that ./mvnw uses (no 'runtime:' line in ./mvnw -v)" >&2
  exit 1
fi
JAVA="$java_home/bin/java"
JAR="$here/target/benchmarks.jar"
OUT="$here/target/bench-results"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== build: ./mvnw -B -q -pl weft-bench -am package -DskipTests"
  ./mvnw -B -q -pl weft-bench -am package -DskipTests
fi
mkdir -p "$OUT"

echo "== java: $JAVA ($("$JAVA" -version 2>&1 | head -n 1))"
echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== JMH settings: $JMH_OPTS, forks with $JMH_GC (results are noisy when other work shares the CPUs)"

# Runs JMH; prints its result table (scores and allocation per task only).
jmh() { # $1 = label, $2 = include regex, rest = a command prefix (e.g. taskset)
  local label=$1 include=$2; shift 2
  echo
  echo "== $label: $include"
  echo "   command: $* $JAVA -jar $JAR '$include' $JMH_OPTS -jvmArgsPrepend '$JMH_GC' -rf json -rff $OUT/$label.json"
  # shellcheck disable=SC2086
  "$@" "$JAVA" -jar "$JAR" "$include" $JMH_OPTS -jvmArgsPrepend "$JMH_GC" -rf json -rff "$OUT/$label.json" \
      >"$OUT/$label.txt" 2>&1 || {
    echo "JMH failed; see $OUT/$label.txt" >&2; tail -n 30 "$OUT/$label.txt" >&2; return 1; }
  sed -n '/^Benchmark /,$p' "$OUT/$label.txt" | grep -E '^Benchmark |ns/op|alloc.rate.norm'
}

if want jmh; then
  jmh spawn-join 'io.weft.bench.SpawnJoinBench'
  jmh suspend-resume 'io.weft.bench.SuspendResumeBench'
fi

if want timers; then
  jmh timers 'io.weft.bench.TimerBench'
fi

if want sync; then
  jmh sync 'io.weft.bench.SyncBench'
fi

if want submit; then
  jmh submit 'io.weft.bench.SubmitBench'
fi

if want spsc; then
  jmh spsc 'io.weft.bench.SpscBench'
fi

if want steal; then
  jmh steal 'io.weft.bench.StealBench'
fi

if want onecore; then
  if command -v taskset >/dev/null 2>&1; then
    jmh spawn-join-one-cpu 'io.weft.bench.SpawnJoinBench' taskset -c "$ONE_CPU"
  else
    echo "== one-CPU run skipped: no taskset"
  fi
fi

if want memory; then
  echo
  echo "== memory per suspended task ($MEM_TASKS tasks)"
  cmd=("$JAVA" "${FLAGS[@]}" -Xms4g -Xmx4g -XX:+UseParallelGC -Dhistogram=true
       -cp "$JAR" io.weft.bench.MemoryPerTask "$MEM_TASKS" both)
  echo "   command: ${cmd[*]}"
  "${cmd[@]}" | tee "$OUT/memory.txt"
fi

if want burst; then
  echo
  echo "== a million tasks in fresh plain JVMs (default G1, -Xmx4g; $BURST_JVMS JVMs per mode, modes alternating)"
  : >"$OUT/burst.txt"
  for jvm in $(seq 1 "$BURST_JVMS"); do
    for mode in yield-weft yield-vt spawn-weft spawn-steal1 spawn-fjp spawn-steal2 spawn-fjp2; do
      cmd=("$JAVA" "${FLAGS[@]}" -Xmx4g -cp "$JAR" io.weft.bench.FirstBurst "$mode" 3)
      [ "$jvm" = 1 ] && echo "   command: ${cmd[*]}"
      "${cmd[@]}" | sed "s/^/jvm $jvm: /" | tee -a "$OUT/burst.txt"
    done
  done
fi
