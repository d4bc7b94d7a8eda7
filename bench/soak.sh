#!/usr/bin/env bash
# The soak (issue 9, docs/security.md): the packaged relay under steady load from 20 SMTP sessions,
# relaying to a loopback sink, for DURATION (ISO-8601, default PT10M; CI runs PT2M inside
# `./mvnw verify`). Every 5 s it samples the live heap (after a full GC), live threads, open file
# descriptors and spool files, and fails unless they stay flat and the spool empties at the end.
#
#   bench/soak.sh            # ten minutes
#   bench/soak.sh PT30M      # longer
#
# Builds the jar, runs only org.postern.soak.SoakIT (failsafe), then prints its table, also kept in
# service/target/soak/samples.txt. Extra Maven options go in MAVEN_ARGS (e.g. MAVEN_ARGS=-o).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration="${1:-PT10M}"
if [[ ! "$duration" =~ ^PT[0-9HMS.]+$ ]]; then
  echo "usage: bench/soak.sh [DURATION]   (ISO-8601, e.g. PT10M, PT90S, PT1H)" >&2
  exit 2
fi
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

rm -f service/target/soak/samples.txt
status=0
# -Dtest=none: no unit tests (surefire), only the soak (failsafe's it.test).
./mvnw -B -ntp -pl service verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SoakIT -Dpostern.soak.duration="$duration" || status=$?

if [[ -f service/target/soak/samples.txt ]]; then
  cat service/target/soak/samples.txt
else
  echo "no samples: see service/target/failsafe-reports/ and service/target/it-logs/SoakIT.log" >&2
fi
exit "$status"
