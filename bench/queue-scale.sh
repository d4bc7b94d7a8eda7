#!/usr/bin/env bash
# queue-scale.sh - a long queue: restart to ready, and heap per queued message (loopback only)
#
# Builds the jar and the test classes (unless fresh), fills a spool with N deferred messages through
# the spool's own writer (org.postern.spool.SpoolFiller: each file committed with fsync and group
# commit, byte for byte what a session writes, plus the schedule record of a first deferred attempt
# due in an hour, as when the next hop is down), then:
#   1. starts Postern once on an empty spool: its heap after GC is the baseline;
#   2. restarts Postern on the full spool R times, and for each start measures the wall time from
#      the exec to /actuator/health/readiness UP, the process CPU time spent by then, and the time
#      until the queue has read every file back (log line "queue recovered from the spool");
#   3. after the last start's recovery: heap after GC (jcmd GC.run; GC.heap_info), the class
#      histogram, RSS; heap bytes per queued message = (heap - baseline heap) / N.
# The next hop is 127.0.0.1:9 (discard; nothing listens): nothing is due for an hour anyway, so the
# spool is not changed by the measurement, and a run within 40 minutes reuses the fill (--refill redoes it).
#
# Options:
#   --messages N (100000)  --size BYTES (2048, content per message)  --restarts R (3)
#   --spool DIR            (${TMPDIR:-/tmp}/postern-queue-scale/spool; filled once, then reused)
#   --refill               empty and fill the spool again          --no-build  use the jar as it is
#   --out DIR              results (bench/results/queue-scale)       --jfr       record JFR of the last start
# Environment: JAVA_HOME (JDK 25: jcmd is needed), POSTERN_JAVA_OPTS (JVM options; default: the image's
#   JDK_JAVA_OPTIONS in a 256 MiB container, see docs/performance.md), MALLOC_ARENA_MAX (2, as the image),
#   MVN_FLAGS (extra Maven flags, e.g. -o).
# Output: "RESULT ..." per start, then "SUMMARY ..." (medians); the same in OUT/latest.txt, with the
# class histogram in OUT/histogram.txt; each start's log in ${TMPDIR:-/tmp}/postern-queue-scale/logs/.
# Exit: 0 when every start got ready and recovered every message, 1 otherwise, 2 on a setup error.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MESSAGES=100000 SIZE=2048 RESTARTS=3 SPOOL=${TMPDIR:-/tmp}/postern-queue-scale/spool REFILL='' BUILD=1
OUT=$REPO/bench/results/queue-scale JFR=''
# The container profile (docs/performance.md, "JVM options"): -XX:MaxRAM stands in for the limit.
POSTERN_JAVA_OPTS=${POSTERN_JAVA_OPTS:--XX:MaxRAM=256m -XX:+UseSerialGC -XX:MinRAMPercentage=37.5 -XX:MaxRAMPercentage=37.5 -XX:InitialRAMPercentage=10 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m -Xss512k -XX:MaxDirectMemorySize=32m -XX:TrimNativeHeapInterval=2000 -XX:+ExitOnOutOfMemoryError}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
die() { echo "queue-scale: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --messages) MESSAGES=$2; shift ;;  --size) SIZE=$2; shift ;;  --restarts) RESTARTS=$2; shift ;;
    --spool) SPOOL=$2; shift ;;        --refill) REFILL=1 ;;       --no-build) BUILD='' ;;
    --out) OUT=$2; shift ;;            --jfr) JFR=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac; shift
done
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java JCMD=$JAVA_HOME/bin/jcmd
[ -x "$JCMD" ] || die "no jcmd in $JAVA_HOME (set JAVA_HOME to a JDK 25)"
for t in curl ss awk; do command -v $t >/dev/null || die "$t missing"; done
JAR=$REPO/service/target/postern.jar CP_FILE=$REPO/service/target/queue-scale.classpath
LOGS=${TMPDIR:-/tmp}/postern-queue-scale/logs
mkdir -p "$OUT" "$LOGS"

# ---- build: the jar, the test classes (SpoolFiller) and their class path -----------------------
newer_sources() { [ -n "$(find "$REPO/service/src" "$REPO/service/pom.xml" -newer "$1" -type f -print -quit)" ]; }
if [ -n "$BUILD" ] && { [ ! -f "$JAR" ] || [ ! -f "$CP_FILE" ] || newer_sources "$JAR" || newer_sources "$CP_FILE"; }; then
  echo "# building (mvnw package, test classes, class path)" >&2
  (cd "$REPO" && JAVA_HOME=$JAVA_HOME ./mvnw -q -B ${MVN_FLAGS:-} -pl service -DskipTests package \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE") \
      || die "build failed"
  # package with -DskipTests still compiles the test classes (maven.test.skip would not)
fi
[ -f "$JAR" ] && [ -f "$CP_FILE" ] && [ -d "$REPO/service/target/test-classes" ] || die "not built (drop --no-build)"
TEST_CP=$REPO/service/target/test-classes:$REPO/service/target/classes:$(cat "$CP_FILE")

# ---- helpers ------------------------------------------------------------------------------------
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
free_port() { local p; while :; do p=$((20000 + RANDOM % 40000)); ss -Hltn "sport = :$p" | grep -q . || { echo $p; return; }; done; }
queued() { find "$SPOOL/queue" -maxdepth 1 -type f 2>/dev/null | wc -l; }
quarantined() { find "$SPOOL/quarantine" -maxdepth 1 -type f 2>/dev/null | wc -l; }
# heap used after full collections, in bytes: sum of "used NK" on GC.heap_info's per-generation lines
heap_after_gc() { "$JCMD" "$1" GC.run >/dev/null; sleep 1; "$JCMD" "$1" GC.run >/dev/null
  "$JCMD" "$1" GC.heap_info | awk '/total [0-9]+K, used [0-9]+K/{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub(/K,?/,"",v); s+=v}} END{print s*1024}'; }
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /,""); print int(($12+$13)*1000/hz)}' "/proc/$1/stat"; }
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{v[NR]=$1} END{print (NR ? v[int((NR+1)/2)] : "na")}'; }

PID='' PORT_HTTP='' LOG=''
stop_postern() { [ -n "$PID" ] || return 0; kill "$PID" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=''; }
trap stop_postern EXIT; trap 'exit 130' INT TERM

# Starts Postern on spool $1 with log $2; sets PID, PORT_HTTP, T0 (ms) and READY_MS (or exits 1).
start_postern() {
  local spool=$1 extra=()
  LOG=$2 PORT_HTTP=$(free_port); local smtp; smtp=$(free_port)
  [ -n "${3:-}" ] && extra=(-XX:StartFlightRecording=filename="$OUT/queue-scale.jfr",settings=profile)
  T0=$(now_ms)
  # shellcheck disable=SC2086 # POSTERN_JAVA_OPTS is a list of options
  "$JAVA" $POSTERN_JAVA_OPTS "${extra[@]}" -jar "$JAR" --spring.cloud.config.enabled=false \
      --postern.spool.directory="$spool" --server.address=127.0.0.1 --server.port="$PORT_HTTP" \
      --postern.daemon-ports[0].name=MTA --postern.daemon-ports[0].addr=127.0.0.1 \
      --postern.daemon-ports[0].port="$smtp" --postern.routing.smart-host='relay:[127.0.0.1]:9' \
      --postern.dns.servers=127.0.0.1:1 > "$LOG" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT_HTTP/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$PID" 2>/dev/null || { echo "queue-scale: Postern exited; see $LOG" >&2; tail -5 "$LOG" >&2; exit 1; }
    [ $(( $(now_ms) - T0 )) -lt 600000 ] || { echo "queue-scale: not ready after 600 s" >&2; exit 1; }
    sleep 0.05
  done
  READY_MS=$(( $(now_ms) - T0 )) READY_CPU_MS=$(cpu_ms "$PID")
  ss -Hltnp "sport = :$PORT_HTTP" | grep -q "pid=$PID," || die "port $PORT_HTTP answered, but not from Postern"
}

# Waits for the queue's recovery to finish; sets RECOVERED_MS (from the exec) and RECOVERY_LOG_MS (in-process).
await_recovery() {
  local line=''
  until line=$(grep -m1 'queue recovered from the spool\|queue recovery failed' "$LOG"); do
    kill -0 "$PID" 2>/dev/null || { echo "queue-scale: Postern exited; see $LOG" >&2; exit 1; }
    [ $(( $(now_ms) - T0 )) -lt 1200000 ] || { echo "queue-scale: recovery not done after 1200 s" >&2; exit 1; }
    sleep 0.1
  done
  RECOVERED_MS=$(( $(now_ms) - T0 ))
  case $line in *'recovery failed'*) echo "queue-scale: $line" >&2; exit 1 ;; esac
  RECOVERY_LOG_MS=$(sed -E 's/.*recovered from the spool in ([0-9]+) ms.*/\1/' <<< "$line")
  # what the spool handed to the queue (MessageFormat groups digits: 100,000)
  RECOVERED_COUNT=$(grep -m1 -o 'recovered [0-9,]* messages, quarantined' "$LOG" | tr -dc '0-9')
}

# ---- the machine and the options -----------------------------------------------------------------
MACHINE="$(nproc) CPUs ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
JVER=$("$JAVA" -version 2>&1 | head -1)
{ echo "# queue-scale $(date -u +%Y-%m-%dT%H:%M:%SZ) messages=$MESSAGES size=$SIZE restarts=$RESTARTS spool=$SPOOL"
  echo "# machine: $MACHINE"; echo "# java: $JVER"
  echo "# POSTERN_JAVA_OPTS=$POSTERN_JAVA_OPTS MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX"
  echo "# spool file system: $(df -hT "$(dirname "$SPOOL")" | awk 'NR==2{print $2, $1}')"; } | tee "$OUT/latest.txt"

# ---- 1. baseline: an empty spool ---------------------------------------------------------------
EMPTY=$(mktemp -d "${TMPDIR:-/tmp}/postern-queue-scale-empty.XXXXXX")
start_postern "$EMPTY/spool" "$LOGS/empty.log"
await_recovery; sleep 2
BASE_HEAP=$(heap_after_gc "$PID") BASE_RSS=$(rss_kb "$PID")
echo "BASELINE ready_ms=$READY_MS ready_cpu_ms=$READY_CPU_MS heap_after_gc_bytes=$BASE_HEAP rss_kb=$BASE_RSS" | tee -a "$OUT/latest.txt"
stop_postern; rm -rf "$EMPTY"

# ---- 2. the fill -----------------------------------------------------------------------------------
# The fill's messages are due an hour after it (the longest backoff): reuse it for 40 minutes only,
# so that no start of this run attempts them.
fresh_fill() { [ -f "$SPOOL.filled" ] && [ $(( $(date +%s) - $(cat "$SPOOL.filled") )) -lt 2400 ]; }
if [ -n "$REFILL" ] || [ "$(queued)" -ne "$MESSAGES" ] || [ "$(quarantined)" -ne 0 ] || ! fresh_fill; then
  rm -rf "$SPOOL" "$SPOOL.filled"; mkdir -p "$SPOOL"
  t=$(now_ms) && date +%s > "$SPOOL.filled.new"
  "$JAVA" -cp "$TEST_CP" org.postern.spool.SpoolFiller "$SPOOL" "$MESSAGES" "$SIZE" 64 | tail -1
  mv "$SPOOL.filled.new" "$SPOOL.filled"
  echo "FILL messages=$MESSAGES size=$SIZE fill_s=$(( ($(now_ms) - t) / 1000 )) spool_bytes=$(du -sb "$SPOOL" | cut -f1)" | tee -a "$OUT/latest.txt"
else
  echo "# reusing the spool: $MESSAGES messages already queued (--refill to redo)" | tee -a "$OUT/latest.txt"
fi

# ---- 3. restarts -----------------------------------------------------------------------------------
READY='' CPU='' RECOVERED='' FAILED=0
for r in $(seq "$RESTARTS"); do
  sync; sleep 2   # the fill's (or last run's) writeback is not this start's work
  last=''; [ "$r" -eq "$RESTARTS" ] && [ -n "$JFR" ] && last=1
  start_postern "$SPOOL" "$LOGS/restart-$r.log" $last
  await_recovery
  status=ok; [ "$RECOVERED_COUNT" -eq "$MESSAGES" ] || { status=incomplete; FAILED=1; }
  line="RESULT run=$r/$RESTARTS messages=$MESSAGES ready_ms=$READY_MS ready_cpu_ms=$READY_CPU_MS recovered_ms=$RECOVERED_MS recovery_in_process_ms=$RECOVERY_LOG_MS recovered=$RECOVERED_COUNT"
  READY="$READY $READY_MS" CPU="$CPU $READY_CPU_MS" RECOVERED="$RECOVERED $RECOVERED_MS"
  if [ "$r" -eq "$RESTARTS" ]; then
    sleep 3   # the recovery threads' last garbage and the pool's exit
    HEAP=$(heap_after_gc "$PID") RSS=$(rss_kb "$PID")
    "$JCMD" "$PID" GC.class_histogram | head -25 > "$OUT/histogram.txt"
    PER_MSG=$(( (HEAP - BASE_HEAP) / MESSAGES ))
    line="$line heap_after_gc_bytes=$HEAP heap_bytes_per_message=$PER_MSG rss_kb=$RSS"
  fi
  echo "$line status=$status" | tee -a "$OUT/latest.txt"
  stop_postern
  [ "$(quarantined)" -eq 0 ] || { echo "queue-scale: $(quarantined) files quarantined" >&2; FAILED=1; }
  [ "$(queued)" -eq "$MESSAGES" ] || { echo "queue-scale: $(queued) files left in queue/, expected $MESSAGES" >&2; FAILED=1; }
done
echo "SUMMARY messages=$MESSAGES restarts=$RESTARTS ready_ms[med]=$(median "$READY") ready_cpu_ms[med]=$(median "$CPU")" \
     "recovered_ms[med]=$(median "$RECOVERED") heap_bytes_per_message=$PER_MSG heap_after_gc_bytes=$HEAP" \
     "baseline_heap_bytes=$BASE_HEAP rss_kb=$RSS target_ready_ms=10000" | tee -a "$OUT/latest.txt"
exit $FAILED
