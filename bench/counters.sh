#!/usr/bin/env bash
# What the statistics counters cost: Flagman's HTTP keep-alive req/s with counters on and off, alternately.
#
#   bench/counters.sh [--rounds 3] [--duration 10] [--warmup 10] [--threads 2] [--connections 64]
#
# Off is the same jar started with -Dflagman.counters=off (a static final flag: the JIT drops the counting code).
# Each round runs both, in alternating order, each in a fresh JVM with its own warm-up; the script prints every
# run's req/s and Flagman's CPU time per request (user + system of its process over the measured run, from
# /proc/PID/stat: less sensitive than req/s to other load on the machine), and the medians of on/off. Everything listens on 127.0.0.1 on ports probed free at start; every
# process started here is stopped on exit. See docs/performance.md ("Counters on and off").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
rounds=3 duration=10 warmup=10 threads=2 connections=64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || { echo "bench: $tool is required" >&2; exit 1; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d /tmp/flagman-counters.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r p_up p_fm < <(free_ports 2)
upstream_conf "$work" "$p_up" >"$work/upstream.conf"
"$NGINX" -c "$work/upstream.conf" -p "$work" >"$work/upstream.out" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$p_up/" 10 || { echo "bench: upstream nginx did not start" >&2; exit 1; }

cat >"$work/flagman.cfg" <<CONF
global
  nbthread $threads
  maxconn 8000
defaults
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend http_in
  mode http
  bind 127.0.0.1:$p_fm
  default_backend app
backend app
  mode http
  server up1 127.0.0.1:$p_up
CONF

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # on|off → prints "req/s cpu-us-per-request"
  local opts=""
  [[ "$1" == off ]] && opts="-Dflagman.counters=off"
  FLAGMAN_JAVA_OPTS="$opts" "$root/bin/flagman" run --config "$work/flagman.cfg" >"$work/flagman.$1.out" 2>&1 &
  local pid=$!
  if ! wait_http "http://127.0.0.1:$p_fm/" 120; then
    echo "bench: flagman did not start:" >&2; tail -20 "$work/flagman.$1.out" >&2; kill "$pid"; exit 1
  fi
  wrk -t1 -c"$connections" -d"${warmup}s" "http://127.0.0.1:$p_fm/" >/dev/null 2>&1 || true
  local t0 t1 out
  t0="$(cpu_ticks "$pid")"
  out="$(wrk -t1 -c"$connections" -d"${duration}s" "http://127.0.0.1:$p_fm/" 2>&1)"
  t1="$(cpu_ticks "$pid")"
  awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" '
    / requests in / {n = $1}
    /^Requests\/sec:/ {r = $2}
    END {printf "%.0f %.2f\n", r, (n > 0 ? t / hz * 1e6 / n : 0)}' <<<"$out"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

on=() off=() con=() coff=()
for ((r = 1; r <= rounds; r++)); do
  if (( r % 2 )); then order="on off"; else order="off on"; fi
  for v in $order; do
    res="$(run "$v")" # not < <(run): the next run must wait until this one's JVM has exited
    read -r x c <<<"$res"
    echo "bench: round $r counters $v: $x req/s, $c us CPU per request" >&2
    if [[ "$v" == on ]]; then on+=("$x"); con+=("$c"); else off+=("$x"); coff+=("$c"); fi
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
m_on="$(median "${on[@]}")" m_off="$(median "${off[@]}")" c_on="$(median "${con[@]}")" c_off="$(median "${coff[@]}")"
echo "counters on:  ${on[*]} req/s (median $m_on); CPU us/request ${con[*]} (median $c_on)"
echo "counters off: ${off[*]} req/s (median $m_off); CPU us/request ${coff[*]} (median $c_off)"
awk -v a="$m_on" -v b="$m_off" -v c="$c_on" -v d="$c_off" \
  'BEGIN { printf "on / off: req/s %.3f, CPU per request %.3f\n", a / b, c / d }'
