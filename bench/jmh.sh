#!/usr/bin/env bash
# jmh.sh - runs Postern's JMH micro-benchmarks (service/src/test/java/org/postern/jmh)
#
# Usage: bench/jmh.sh [REGEX] [JMH options...]
#   REGEX     which benchmarks (JMH's own include pattern; default: all of org.postern.jmh)
#   options   passed to org.openjdk.jmh.Main, e.g. -f 2 -wi 5 -i 10 -prof gc; "-h" lists them
# Compiles the test classes (JMH's annotation processor generates the harness) unless --no-build
# comes first, builds the test class path with dependency:build-classpath, then runs
# java -cp target/test-classes:target/classes:<class path> org.openjdk.jmh.Main.
# The spool benchmark writes and fsyncs under java.io.tmpdir: set TMPDIR to the disk the spool uses.
# Results: the JMH table on stdout and bench/results/jmh/latest.txt (plus latest.json).
# Environment: JAVA_HOME (JDK 25), MVN_FLAGS (extra Maven flags, e.g. -o), JMH_JAVA_OPTS (options of
#   the forked benchmark JVMs, default none: the JVM's defaults on this machine).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=1
[ "${1:-}" = --no-build ] && { BUILD=''; shift; }
REGEX=${1:-org.postern.jmh}
[ $# -gt 0 ] && shift
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=$REPO/bench/results/jmh CP_FILE=$REPO/service/target/jmh.classpath
mkdir -p "$OUT"
if [ -n "$BUILD" ]; then
  (cd "$REPO" && JAVA_HOME=$JAVA_HOME ./mvnw -q -B ${MVN_FLAGS:-} -pl service test-compile \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE") \
      || { echo "jmh: build failed" >&2; exit 2; }
fi
[ -f "$REPO/service/target/test-classes/META-INF/BenchmarkList" ] || { echo "jmh: no benchmarks compiled" >&2; exit 2; }
CP=$REPO/service/target/test-classes:$REPO/service/target/classes:$(cat "$CP_FILE")
{ echo "# jmh $(date -u +%Y-%m-%dT%H:%M:%SZ) regex=$REGEX args=$*"
  echo "# machine: $(nproc) CPUs ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), load $(cut -d' ' -f1-3 /proc/loadavg), tmpdir ${TMPDIR:-/tmp} on $(df -T "${TMPDIR:-/tmp}" | awk 'NR==2{print $2}')"
  echo "# java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"; } > "$OUT/latest.txt"
# shellcheck disable=SC2086 # JMH_JAVA_OPTS is a list of options
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main "$REGEX" ${JMH_JAVA_OPTS:+-jvmArgsAppend "$JMH_JAVA_OPTS"} \
    -rf json -rff "$OUT/latest.json" "$@" | tee -a "$OUT/latest.txt"
