#!/usr/bin/env bash
# What the statistics counting costs per request, in nanoseconds, without a network or the machine's other load
# in the way: JMH (1.37, fetched into the local Maven repository on first use) runs bench/jmh/CountersBench.java
# against the runnable jar, with 1 and with 2 threads (two event loops counting into the same objects).
#
#   bench/counters-jmh.sh [--jar flagman-app/target/flagman.jar] [--quick]
#
# --quick: 1 fork, 2 × 1 s warm-up, 3 × 1 s measured (default 2 forks, 3 × 2 s, 5 × 2 s).
# See docs/performance.md ("Counters on and off").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/java.sh
source "$root/bin/lib/java.sh"
JAVA_HOME="$(find_java)"
jar="$root/flagman-app/target/flagman.jar"
jmh_opts=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) jar="$2"; shift 2 ;;
    --quick) jmh_opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s); shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
if [[ "$jar" == "$root/flagman-app/target/flagman.jar" ]]; then
  "$root/bin/flagman" --help >/dev/null # (re)builds the jar when the sources changed
fi
[[ -f "$jar" ]] || { echo "bench: no $jar" >&2; exit 1; }

work="$(mktemp -d /tmp/flagman-jmh.XXXXXX)"
trap 'rm -rf "$work"' EXIT
version=1.37
for a in org.openjdk.jmh:jmh-core:$version org.openjdk.jmh:jmh-generator-annprocess:$version \
    net.sf.jopt-simple:jopt-simple:5.0.4 org.apache.commons:commons-math3:3.6.1; do
  mvn -B -q -ntp dependency:copy -Dartifact="$a" -DoutputDirectory="$work/lib" >"$work/mvn.log" 2>&1 \
    || { cat "$work/mvn.log" >&2; echo "bench: could not fetch $a" >&2; exit 1; }
done
cp="$(printf '%s:' "$work"/lib/*.jar)$jar"
"$JAVA_HOME/bin/javac" -proc:full -cp "$cp" -d "$work/classes" "$root/bench/jmh/CountersBench.java"
for threads in 1 2; do
  echo "bench: CountersBench, $threads thread(s)" >&2
  "$JAVA_HOME/bin/java" -cp "$work/classes:$cp" org.openjdk.jmh.Main "${jmh_opts[@]}" -t "$threads" \
    CountersBench 2>&1 | sed -n '/^Benchmark/,$p'
done
