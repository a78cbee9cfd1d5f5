#!/usr/bin/env bash
# Turnpike benchmark: bench/run.sh [--quick] [--rates 50,100] [--small-rates 500,2000] [--step-seconds N]
#                                   [--fake-large std:ttfb=20,tps=1000,tokens=64] [--burst 50]
#                                   [--burst-caps 0.10,2.00] [--list] [scenario...]
# Builds what it needs (the gateway jar, the same way ./turnpike does, and bench's own jar), installs the peers
# (claude-code-router and Claude Code, npm) into ~/.cache/turnpike when they run, then runs the scenarios (all by
# default; --quick leaves out claude-gateway, which also needs PostgreSQL) and
# writes bench/results/latest.{json,md,png}. JAVA_OPTS adds JVM flags to the gateway nodes (e.g. a JFR recording).
# Only 127.0.0.1 is ever contacted.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$bench")"
jar="$root/gateway-app/target/turnpike.jar"
benchjar="$bench/target/turnpike-bench.jar"
started=$(date +%s)

# 1. The gateway jar: rebuilt when missing or older than the sources (the rule ./turnpike applies).
stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root" -path "$root/bench" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name 'cluster.xml' \
      -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit 2>/dev/null)" ]
}
if stale; then
  echo "bench: building $jar ..." >&2
  if ! (cd "$root" && mvn -B -q -DskipTests package -pl gateway-app -am) >&2; then
    if [ -f "$jar" ]; then
      echo "bench: WARNING: the gateway build failed; measuring the existing (older) $jar" >&2
    else
      echo "bench: the gateway build failed and there is no jar to measure" >&2
      exit 1
    fi
  fi
fi

# 2. Bench's own jar (a standalone Maven project, not a module of the root pom).
if [ ! -f "$benchjar" ] || [ -n "$(find "$bench/src" "$bench/pom.xml" -newer "$benchjar" -print -quit)" ]; then
  echo "bench: building $benchjar ..." >&2
  mvn -B -q -f "$bench/pom.xml" package >&2
fi

# 3. The peer, when it is among the scenarios (all of them by default). A failed install is reported, not fatal.
names=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --rates|--small-rates|--step-seconds|--fake-large|--fake-small|--out|--jar|--burst|--burst-caps) i=$((i + 1)) ;;
    -*) ;;
    *) names+=("${args[i]}") ;;
  esac
done
quick=0
for a in "$@"; do [ "$a" = --quick ] && quick=1; done
want_peer=0
want_gateway=0
[ "${#names[@]}" -eq 0 ] && want_peer=1
# claude-gateway is left out of a quick run unless named (it needs PostgreSQL besides npm)
[ "${#names[@]}" -eq 0 ] && [ "$quick" = 0 ] && want_gateway=1
for n in "${names[@]+"${names[@]}"}"; do
  [ "$n" = peer ] && want_peer=1
  [ "$n" = claude-gateway ] && want_gateway=1
done
if [ "$want_peer" = 1 ]; then
  bash "$bench/install-ccr.sh" >/dev/null || echo "bench: claude-code-router could not be installed; the peer scenario will report why" >&2
fi
if [ "$want_gateway" = 1 ]; then
  bash "$root/scripts/install-claude-code.sh" >/dev/null || echo "bench: claude-code could not be installed; the claude-gateway scenario will report why" >&2
fi

echo "bench: builds took $(( $(date +%s) - started )) s" >&2
cd "$root"
exec java -Djava.awt.headless=true -Xms512m -Xmx2g -XX:+UseG1GC -jar "$benchjar" --repo "$root" "$@"
