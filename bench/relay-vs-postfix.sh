#!/usr/bin/env bash
# relay-vs-postfix.sh - Postern against Postfix, end to end with fsync on, on this machine (loopback only)
#
# Builds the jar (unless fresh), starts Postern once with the bench profile (bench/application-bench.yaml:
# smart host = the harness's smtp-sink by address, spool in $TMPDIR), then for each case runs the shared
# harness (relay-bench.sh) against Postern (--target, --pid) and against a private Postfix (--postfix)
# alternately, A/B/A/B..., and prints per case the medians of the end-to-end rate of both, the
# Postern/Postfix ratio, Postern's max RSS and CPU per message, and the 99th percentile of
# Postern's time from the final dot to the 250 (postern_smtp_data_commit_seconds, read from
# /actuator/prometheus before and after each run). Writes bench/results/latest.md (table),
# latest.csv (one row per case, for the chart), runs.csv (every run) and the harness logs.
#
# Cases (names for --cases; default: all, then the sweep):
#   s10      10,000 x 2 KB, 10 sessions        s50     10,000 x 2 KB, 50 sessions
#   100k     2,000 x 100 KB, 20 sessions       reuse   10,000 x 2 KB, 20 sessions, several per connection
#   rcpt5    10,000 x 2 KB, 20 sessions, 5 recipients per message
#   sweep    2 KB at 1, 5, 10, 20, 50 sessions (--sweep-msgs each), for docs/performance-throughput.png
# Options:
#   --runs N          runs per relay and case, alternating (5)     --warmup-pct P  warmup per run, % of msgs (10)
#   --cases LIST      comma-separated case names (s10,s50,100k,reuse,rcpt5,sweep)
#   --sweep LIST      sessions of the sweep ("1 5 10 20 50")        --sweep-msgs N  messages per sweep run (3000)
#   --scale F         multiply every message count by F (e.g. 0.2 for a quick look)
#   --no-postfix      measure Postern only (ratios are then "na")   --no-build  use the jar as it is
#   --jar PATH        run this jar instead of service/target/postern.jar (implies --no-build)
#   --jit-warmup N    messages sent to Postern once after its start, unmeasured, so that its JIT has
#                     compiled the hot paths before the first case, as in a relay that has been up (5000)
#   --jfr FILE        record a JFR profile of Postern over all runs (jcmd JFR.start/JFR.dump)
#   --out DIR         results directory (bench/results)            --timeout S  per harness run (600)
#   --smtp-port P (2526)  --http-port P (18025)  --sink-port P (2600)  --postfix-port P (2525)
# Environment: RELAY_BENCH (path of relay-bench.sh; default <repo>/../shared/bench/relay-bench.sh),
#   JAVA_HOME (a JDK 21+; the build wants 25), POSTERN_JAVA_OPTS (JVM options; default: the heap and
#   collector the image's JDK_JAVA_OPTIONS give in a 256 MiB, 2-CPU container), TMPDIR (spool + queue).
# Needs: postfix (smtp-source, smtp-sink, postfix; run as root for --postfix), iproute2 (ss), curl, awk.
# Exit: 0 when every run completed, 1 when a run was incomplete, 2 on a setup error.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RELAY_BENCH=${RELAY_BENCH:-$(dirname "$REPO")/shared/bench/relay-bench.sh}
RUNS=5 WARMUP_PCT=10 CASES=s10,s50,100k,reuse,rcpt5,sweep SWEEP="1 5 10 20 50" SWEEP_MSGS=3000 SCALE=1
POSTFIX=1 BUILD=1 JFR='' OUT=$REPO/bench/results TIMEOUT=600 JAR=$REPO/service/target/postern.jar JIT_WARMUP=5000
SMTP_PORT=2526 HTTP_PORT=18025 SINK_PORT=2600 POSTFIX_PORT=2525
# The image's JDK_JAVA_OPTIONS (Dockerfile; docs/performance.md, "JVM options"), with -XX:MaxRAM
# standing in for a 256 MiB container limit: the same options as bench/queue-scale.sh.
POSTERN_JAVA_OPTS=${POSTERN_JAVA_OPTS:--XX:MaxRAM=256m -XX:+UseSerialGC -XX:MinRAMPercentage=37.5 -XX:MaxRAMPercentage=37.5 -XX:InitialRAMPercentage=10 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m -Xss512k -XX:MaxDirectMemorySize=32m -XX:TrimNativeHeapInterval=2000 -XX:+ExitOnOutOfMemoryError}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
die() { echo "relay-vs-postfix: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2; shift ;;              --warmup-pct) WARMUP_PCT=$2; shift ;;
    --cases) CASES=$2; shift ;;            --sweep) SWEEP=$2; shift ;;
    --sweep-msgs) SWEEP_MSGS=$2; shift ;;  --scale) SCALE=$2; shift ;;
    --no-postfix) POSTFIX='' ;;            --no-build) BUILD='' ;;
    --jfr) JFR=$(realpath -m "$2"); shift ;;  --out) OUT=$(realpath -m "$2"); shift ;;
    --timeout) TIMEOUT=$2; shift ;;        --smtp-port) SMTP_PORT=$2; shift ;;
    --http-port) HTTP_PORT=$2; shift ;;    --sink-port) SINK_PORT=$2; shift ;;
    --postfix-port) POSTFIX_PORT=$2; shift ;;
    --jar) JAR=$(realpath "$2"); BUILD=''; shift ;;   --jit-warmup) JIT_WARMUP=$2; shift ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac; shift
done
[ -x "$RELAY_BENCH" ] || die "harness not found: $RELAY_BENCH (set RELAY_BENCH)"
for t in smtp-source smtp-sink ss curl awk; do command -v $t >/dev/null || die "$t missing (apt-get install postfix iproute2 curl)"; done
[ -z "$POSTFIX" ] || command -v postfix >/dev/null || die "postfix missing (apt-get install postfix), or use --no-postfix"
# The same JDK as the other bench scripts unless JAVA_HOME names another; the jar needs Java 21+.
[ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$JAVA" >/dev/null || die "no java (set JAVA_HOME to a JDK 21 or later)"
JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${JAVA_FEATURE%%.*}" -ge 21 ] 2>/dev/null || die "$JAVA is Java ${JAVA_FEATURE:-?}; Postern needs 21 or later (set JAVA_HOME)"
for p in $SMTP_PORT $HTTP_PORT $SINK_PORT $POSTFIX_PORT; do
  ss -Hltn "sport = :$p" | grep -q . && die "port $p is in use (see --help for the port options)"
done

# ---- the jar: build it unless it is newer than every source --------------------------------------
if [ -n "$BUILD" ] && { [ ! -f "$JAR" ] || [ -n "$(find "$REPO/service/src/main" "$REPO/service/pom.xml" "$REPO/pom.xml" -newer "$JAR" -print -quit)" ]; }; then
  echo "# building $JAR" >&2
  (cd "$REPO" && ./mvnw -q -B -o -DskipTests package) || die "build failed"
fi
[ -f "$JAR" ] || die "no jar at $JAR"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOGS=$OUT/runs/$STAMP
mkdir -p "$LOGS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/postern-bench.XXXXXX")
PID=''
cleanup() {
  set +e
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    [ -n "$JFR" ] && "${JAVA%java}jcmd" "$PID" JFR.dump name=bench filename="$JFR" >/dev/null 2>&1
    kill "$PID"; for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT; trap 'exit 130' INT TERM

# ---- Postern: started once, kept for every case ---------------------------------------------------
"$JAVA" $POSTERN_JAVA_OPTS -jar "$JAR" --spring.config.additional-location="file:$REPO/bench/" \
    --spring.profiles.active=bench --bench.smtp-port="$SMTP_PORT" --bench.sink-port="$SINK_PORT" \
    --bench.spool="$WORK/spool" --server.port="$HTTP_PORT" > "$LOGS/postern.log" 2>&1 &
PID=$!
METRICS=http://127.0.0.1:$HTTP_PORT/actuator/prometheus
for _ in $(seq 600); do
  kill -0 "$PID" 2>/dev/null || die "Postern exited at startup: $(tail -5 "$LOGS/postern.log")"
  curl -fs "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"' && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$HTTP_PORT/actuator/health/readiness" | grep -q '"UP"' || die "Postern not ready after 120 s"
if [ "$JIT_WARMUP" -gt 0 ]; then   # not a result: a long-running relay's JIT is warm, a fresh JVM's is not
  echo "# JIT warm-up: $JIT_WARMUP messages to Postern, not measured" >&2
  "$RELAY_BENCH" --target "127.0.0.1:$SMTP_PORT" --sink-port "$SINK_PORT" -m "$JIT_WARMUP" -s 20 -l 2048 \
      --timeout "$TIMEOUT" > "$LOGS/jit-warmup.log" 2>&1 || die "JIT warm-up failed, see $LOGS/jit-warmup.log"
fi
[ -n "$JFR" ] && "${JAVA%java}jcmd" "$PID" JFR.start name=bench settings=profile >/dev/null

# ---- machine and versions, for the record ---------------------------------------------------------
PFVER=$(postconf -d -h mail_version 2>/dev/null || echo none)
JVER=$("$JAVA" -version 2>&1 | head -1)
MACHINE="$(nproc) CPUs ($(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, kernel $(uname -r), $(df -PT "${TMPDIR:-/tmp}" | awk 'NR==2{print $2 " on " $1}') for \$TMPDIR"
{ echo "# $STAMP postern-pid=$PID"; echo "# machine: $MACHINE"; echo "# java: $JVER; postfix: $PFVER"
  echo "# POSTERN_JAVA_OPTS=$POSTERN_JAVA_OPTS"; } | tee "$LOGS/about.txt" >&2

# ---- helpers --------------------------------------------------------------------------------------
# "le count" lines of the commit histogram (summed over listeners), cumulative as Prometheus gives them.
commit_buckets() {
  curl -fs "$METRICS" | awk '/^postern_smtp_data_commit_seconds_bucket\{/ {
      match($0, /le="[^"]*"/); le=substr($0, RSTART+4, RLENGTH-5); c[le]+=$NF } END { for (l in c) print l, c[l] }' |
    sort -g
}
# p99 in ms from two bucket snapshots: the first bucket whose count delta reaches 99%, interpolated in it.
p99_ms() {
  LC_ALL=C join -a1 -e 0 -o 0,1.2,2.2 <(LC_ALL=C sort -k1,1 "$2") <(LC_ALL=C sort -k1,1 "$1") | sort -g |
    awk '{le[NR]=$1; d[NR]=$2-$3} END { n=NR; if (!n || d[n] <= 0) { print "na"; exit }
      t=0.99*d[n]; prev=0; pc=0
      for (i=1; i<=n; i++) { if (d[i] >= t) { hi=(le[i]=="+Inf") ? prev : le[i]
          f=(d[i]>pc) ? (t-pc)/(d[i]-pc) : 1; printf "%.1f", 1000*(prev+(hi-prev)*f); exit }
        prev=(le[i]=="+Inf") ? prev : le[i]; pc=d[i] } }'
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }
median() { tr ' ' '\n' <<< "$*" | grep -E '^[0-9.]+$' | sort -g | awk '{v[NR]=$1} END {if (!NR) print "na"; else if (NR%2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'; }
maxof() { tr ' ' '\n' <<< "$*" | grep -E '^[0-9.]+$' | sort -g | tail -1 | grep . || echo na; }
scaled() { awk -v n="$1" -v f="$SCALE" 'BEGIN{v=int(n*f+0.5); print (v<50 ? 50 : v)}'; }

FAILED=0
echo "case,relay,run,msgs,sessions,size,rcpts,reuse,e2e_msgs_per_s,inject_msgs_per_s,rss_max_kb,cpu_ms_per_msg,machine_busy_pct,commit_p99_ms,status" > "$LOGS/runs.csv"
# one harness run: $1 case $2 relay $3 run, then the load arguments; appends to runs.csv
one_run() {
  local name=$1 relay=$2 run=$3; shift 3
  local log="$LOGS/$name.$relay.$run.log" b0="$WORK/b0" b1="$WORK/b1" p99=na rc=0 line
  if [ "$relay" = postern ]; then
    commit_buckets > "$b0"
    "$RELAY_BENCH" --target "127.0.0.1:$SMTP_PORT" --pid "$PID" --label postern --sink-port "$SINK_PORT" \
        --timeout "$TIMEOUT" "$@" > "$log" 2>&1 || rc=$?
    commit_buckets > "$b1"; p99=$(p99_ms "$b0" "$b1")
  else
    "$RELAY_BENCH" --postfix --relay-port "$POSTFIX_PORT" --sink-port "$SINK_PORT" --timeout "$TIMEOUT" "$@" \
        > "$log" 2>&1 || rc=$?
  fi
  line=$(grep '^RESULT' "$log" | tail -1 || true)
  if [ -z "$line" ]; then echo "relay-vs-postfix: $name $relay run $run: no result (rc=$rc), see $log" >&2; FAILED=1; return; fi
  [ "$(field status "$line")" = ok ] || FAILED=1
  kill -0 "$PID" 2>/dev/null || die "Postern died; see $LOGS/postern.log"
  echo "$name,$relay,$run,$(field msgs "$line"),$(field conc "$line"),$(field size "$line"),$(field rcpts "$line"),$(field reuse "$line"),$(field e2e_msgs_per_s "$line"),$(field inject_msgs_per_s "$line"),$(field rss_max_kb "$line"),$(field relay_cpu_ms_per_msg "$line"),$(field machine_cpu_busy_pct "$line"),$p99,$(field status "$line")" >> "$LOGS/runs.csv"
  printf '  %-8s %-8s run %s: %8s msg/s  rss_max=%s KiB  cpu=%s ms/msg  p99(dot->250)=%s ms  %s\n' "$name" "$relay" "$run" \
      "$(field e2e_msgs_per_s "$line")" "$(field rss_max_kb "$line")" "$(field relay_cpu_ms_per_msg "$line")" "$p99" "$(field status "$line")" >&2
}
# a case: $1 name, $2 msgs, $3 sessions, $4 size, $5 rcpts, $6 reuse (0/1); A/B alternating
run_case() {
  local name=$1 msgs warm args i
  msgs=$(scaled "$2"); warm=$(( msgs * WARMUP_PCT / 100 ))
  args=(-m "$msgs" -s "$3" -l "$4" -r "$5" --warmup "$warm")
  [ "$6" = 1 ] && args+=(--reuse)
  echo "# case $name: ${args[*]}" >&2
  for i in $(seq "$RUNS"); do
    one_run "$name" postern "$i" "${args[@]}"
    [ -n "$POSTFIX" ] && one_run "$name" postfix "$i" "${args[@]}"
  done
}

for c in ${CASES//,/ }; do
  case $c in
    s10)   run_case s10 10000 10 2048 1 0 ;;
    s50)   run_case s50 10000 50 2048 1 0 ;;
    100k)  run_case 100k 2000 20 102400 1 0 ;;
    reuse) run_case reuse 10000 20 2048 1 1 ;;
    rcpt5) run_case rcpt5 10000 20 2048 5 0 ;;
    sweep) for s in $SWEEP; do run_case "sweep$s" "$SWEEP_MSGS" "$s" 2048 1 0; done ;;
    *) die "unknown case $c (see --help)" ;;
  esac
done

# ---- summary: medians per case and relay, then the ratio ------------------------------------------
col() { awk -F, -v c="$1" -v r="$2" -v k="$3" 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next} $1==c && $2==r && $15=="ok" {printf "%s ", $h[k]}' "$LOGS/runs.csv"; }
first() { awk -F, -v c="$1" -v k="$2" 'NR==1{for(i=1;i<=NF;i++) h[$i]=i; next} $1==c {print $h[k]; exit}' "$LOGS/runs.csv"; }
# p99 over all of a case's Postern runs would need the merged histogram; the median of the runs' p99 is reported.
SUMMARY=$OUT/latest.csv
echo "case,msgs,sessions,size_bytes,rcpts,reuse,postern_msgs_per_s,postfix_msgs_per_s,ratio,postern_rss_max_mib,postern_cpu_ms_per_msg,postfix_cpu_ms_per_msg,commit_p99_ms,postern_runs,postfix_runs" > "$SUMMARY"
for c in $(awk -F, 'NR>1 && !seen[$1]++ {print $1}' "$LOGS/runs.csv"); do
  a=$(median $(col "$c" postern e2e_msgs_per_s)); b=$(median $(col "$c" postfix e2e_msgs_per_s))
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN{ if (a+0>0 && b+0>0) printf "%.2f", a/b; else print "na"}')
  rss=$(maxof $(col "$c" postern rss_max_kb)); rss=$([ "$rss" = na ] && echo na || awk -v k="$rss" 'BEGIN{printf "%.0f", k/1024}')
  echo "$c,$(first "$c" msgs),$(first "$c" sessions),$(first "$c" size),$(first "$c" rcpts),$(first "$c" reuse),$a,$b,$ratio,$rss,$(median $(col "$c" postern cpu_ms_per_msg)),$(median $(col "$c" postfix cpu_ms_per_msg)),$(median $(col "$c" postern commit_p99_ms)),$(col "$c" postern e2e_msgs_per_s | wc -w),$(col "$c" postfix e2e_msgs_per_s | wc -w)" >> "$SUMMARY"
done
cp "$LOGS/runs.csv" "$OUT/runs.csv"

# ---- the markdown table -----------------------------------------------------------------------------
label() { awk -F, -v c="$1" 'NR>1 && $1==c { sz=($4>=1024 ? $4/1024 " KB" : $4 " B")
  printf "%s × %s, %s sessions%s%s", $2, sz, $3, ($5>1 ? ", " $5 " recipients" : ""), ($6==1 ? ", reuse" : "") }' "$SUMMARY"; }
target() { case $1 in 100k) echo 1.5 ;; *) echo 2.0 ;; esac; }
{
  echo "Postern against Postfix $PFVER, $(date -u +%Y-%m-%d) ($STAMP), \`bench/relay-vs-postfix.sh\`, $RUNS runs each, alternating."
  echo "Machine: $MACHINE. $JVER. POSTERN_JAVA_OPTS=\`$POSTERN_JAVA_OPTS\`."
  echo
  echo "| case | Postern msg/s | Postfix msg/s | ratio | target | Postern RSS max | Postern CPU/msg | Postfix CPU/msg | p99 dot→250 |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F, 'NR>1' "$SUMMARY" | while IFS=, read -r c _ _ _ _ _ a b ratio rss cpu pcpu p99 _ _; do
    t=$(target "$c"); case $c in sweep*) t='' ;; esac
    ok=''; [ -n "$t" ] && [ "$ratio" != na ] && ok=$(awk -v r="$ratio" -v t="$t" 'BEGIN{print (r>=t ? " ✓" : " ✗")}')
    echo "| $(label "$c") | $a | $b | **$ratio**$ok | ${t:+≥ $t×} | $rss MiB | $cpu ms | $pcpu ms | $p99 ms |"
  done
  echo
  echo "Medians of the end-to-end rate (first message sent to last message at the sink). CPU per message"
  echo "is the relay's process tree. p99 dot→250 is Postern's \`postern_smtp_data_commit_seconds\`"
  echo "(median over the runs of each run's 99th percentile; target < 20 ms at 50 sessions)."
} > "$OUT/latest.md"
cat "$OUT/latest.md"
echo "# results: $OUT/latest.md, $SUMMARY, $OUT/runs.csv; logs: $LOGS" >&2
exit $FAILED
