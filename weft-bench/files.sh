#!/usr/bin/env bash
# Random 4 KiB O_DIRECT reads of a 1 GiB file, 32 in flight, with the peers in the same run:
#   1. fio --ioengine=io_uring --direct=1 --rw=randread --bs=4k --iodepth=32 --numjobs=1 (the bar)
#   2. weft: io.weft.bench.fs.DmaRandomRead --engine weft, one executor pinned to FILES_CPU,
#      32 tasks awaiting DmaFile.readAt, once per driver of WEFT_DRIVERS
#   3. the JDK: DmaRandomRead --engine threads, FileChannel opened with ExtendedOpenOption.DIRECT,
#      read by 32 threads of a fixed pool (FILE_PEERS="threads virtual" adds virtual threads)
# Each one runs alone, confined to FILES_CPU with taskset (the whole process: weft's blocking
# pool and the JDK's 32 threads share that CPU as fio's one job does), warms up for WARMUP
# seconds (fio: --ramp_time) and is measured for DURATION seconds.
#
# Usage: weft-bench/files.sh            (no arguments; everything is set by the environment)
# Environment (all optional):
#   WEFT_DRIVERS  weft drivers to run (default "uring epoll nio"); one that cannot start is skipped
#   FILE_PEERS    JDK peers: threads and/or virtual (default "threads")
#   WARMUP        seconds of warm-up (default 2);  DURATION  seconds measured (default 10)
#   DEPTH         reads in flight (default 32);  FILES_CPU  the CPU (default 0; empty: no taskset)
#   FILE          the file (default weft-bench/target/bench-files/randread.dat, made once, 1 GiB
#                 of random bytes; put it on the disk to measure: not a tmpfs)
#   FILE_SIZE_MB  its size (default 1024)
#   JVM_OPTS      heap and GC of the Java programs (default -Xms1g -Xmx1g -XX:+UseSerialGC)
#   SKIP_BUILD    1 to reuse weft-bench/target/benchmarks.jar
#   WAIT_IDLE     before each run, wait up to this many seconds for the other work on the machine to
#                 drop to IDLE_PCT % of a CPU (default 0: no wait)
#   RETRIES       run a measurement again, up to this many times, while other processes used more
#                 than IDLE_PCT % of a CPU during it (default 0); IDLE_PCT defaults to 10.
#                 The table's "others" column is that share for the run kept.
# Installs fio with apt-get when it is missing.
# Results: printed, and in weft-bench/target/bench-results/files.txt.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

WEFT_DRIVERS=${WEFT_DRIVERS-uring epoll nio}
FILE_PEERS=${FILE_PEERS:-threads}
WARMUP=${WARMUP:-2}
DURATION=${DURATION:-10}
DEPTH=${DEPTH:-32}
FILES_CPU=${FILES_CPU-0}
FILE=${FILE:-$here/target/bench-files/randread.dat}
FILE_SIZE_MB=${FILE_SIZE_MB:-1024}

build
need_pkg fio fio

pin=()
[ -n "$FILES_CPU" ] && pin=(taskset -c "$FILES_CPU")

mkdir -p "$(dirname "$FILE")"
fstype=$(df --output=fstype "$(dirname "$FILE")" | tail -n 1)
if [ "$fstype" = tmpfs ]; then
  echo "files.sh: $(dirname "$FILE") is a tmpfs, where O_DIRECT measures memory, not a disk: set FILE" >&2
  exit 2
fi
if [ ! -f "$FILE" ] || [ "$(stat -c %s "$FILE")" -ne $((FILE_SIZE_MB * 1024 * 1024)) ]; then
  echo "== making $FILE: $FILE_SIZE_MB MiB of random bytes"
  head -c $((FILE_SIZE_MB * 1024 * 1024)) /dev/urandom >"$FILE.tmp"
  sync "$FILE.tmp"
  mv "$FILE.tmp" "$FILE"
fi

RESULT="$OUT/files.txt"
ROWS=()
row() { # NAME IOPS P50 P99 NOTE (OTHERS and CPU_BUSY are set by measure)
  ROWS+=("$(printf '%-20s %10s %9s %9s %8s %8s  %s' "$1" "$2" "$3" "$4" "${CPU_BUSY[${FILES_CPU:-none}]:--}" \
      "${OTHERS:--}" "$5")")
}
us_to_ms() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000 }'; }

{
  echo "Random 4 KiB O_DIRECT reads, depth $DEPTH, same run: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  machine
  echo "fio: $(fio --version)"
  echo "file: $FILE ($FILE_SIZE_MB MiB, $fstype on $(df --output=source "$FILE" | tail -n 1))"
  echo "each run alone, ${pin[*]:-no taskset}; ${WARMUP} s warm-up, ${DURATION} s measured"
  echo "JVM options: ${FLAGS[*]} ${JVM_OPTS[*]}"
} >"$RESULT.head"
cat "$RESULT.head"

# 1. fio
echo
wait_idle
fio_cmd=("${pin[@]}" fio --name=randread --filename="$FILE" --ioengine=io_uring --direct=1 --rw=randread --bs=4k
         --iodepth="$DEPTH" --numjobs=1 --ramp_time="$WARMUP" --runtime="$DURATION" --time_based
         --group_reporting --output-format=terse --terse-version=3)
echo "== fio; other work before it starts: $BUSY % of a CPU"
echo "   ${fio_cmd[*]}"
if measure "$OUT/files-fio.txt" "${fio_cmd[@]}"; then
  fio_out=$(cat "$OUT/files-fio.txt")
  # terse v3: field 8 is the read IOPS; the read completion-latency percentiles are "P%=usec" fields
  line=$(grep '^3;' <<<"$fio_out" | head -n 1)
  iops=$(cut -d';' -f8 <<<"$line")
  pct() { tr ';' '\n' <<<"$line" | sed -n "s/^$1%=//p" | head -n 1; }
  echo "   $iops IOPS, clat p50 $(pct 50.000000) us, p99 $(pct 99.000000) us"
  row fio-io_uring "$iops" "$(us_to_ms "$(pct 50.000000)")" "$(us_to_ms "$(pct 99.000000)")" "completion latency"
else
  fio_out=$(cat "$OUT/files-fio.txt")
  echo "   fio failed: $fio_out"
  row fio-io_uring - - - "failed: $(tail -n 2 <<<"$fio_out" | tr '\n' ' ' | cut -c1-200)"
fi

# 2, 3. DmaRandomRead: weft on each driver, then the JDK peers.
java_run() { # NAME ARGS...
  local name=$1; shift
  local cmd=("${pin[@]}" "$JAVA" "${FLAGS[@]}" "${JVM_OPTS[@]}" -cp "$JAR" io.weft.bench.fs.DmaRandomRead
             --file "$FILE" --depth "$DEPTH" --warmup "$WARMUP" --duration "$DURATION" "$@")
  local log="$OUT/files-$name.txt"
  echo
  OTHERS=""
  CPU_BUSY=()
  wait_idle
  echo "== $name; other work before it starts: $BUSY % of a CPU"
  echo "   ${cmd[*]}"
  if ! measure "$log" "${cmd[@]}"; then
    local why
    why=$(reason "$log")
    echo "   skipped: $why"
    OTHERS=""
    CPU_BUSY=()
    row "$name" - - - "skipped: $why"
    return 0
  fi
  sed -n '/^randread /p' "$log" | sed 's/^/   | /'
  local r
  r=$(grep '^RESULT ' "$log")
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$r"; }
  row "$name" "$(field iops)" "$(us_to_ms "$(field p50_us)")" "$(us_to_ms "$(field p99_us)")" "per read, in the program"
}
weft_pin=()
[ -n "$FILES_CPU" ] && weft_pin=(--pin "$FILES_CPU")
for d in $WEFT_DRIVERS; do
  java_run "weft-$d" --engine weft --driver "$d" "${weft_pin[@]}"
done
for p in $FILE_PEERS; do
  java_run "filechannel-$p" --engine "$p"
done

{
  cat "$RESULT.head"
  echo
  echo "(cpu: how busy FILES_CPU was during the measured run, in %; others: % of one CPU that other"
  echo " processes used during the run, 200 = both CPUs)"
  printf '%-20s %10s %9s %9s %8s %8s  %s\n' reader IOPS "p50 ms" "p99 ms" cpu others notes
  printf '%s\n' "${ROWS[@]}"
} >"$RESULT"
rm -f "$RESULT.head"
echo
sed -n '/^reader /,$p' "$RESULT"
echo
echo "written to $RESULT"
