#!/usr/bin/env bash
# Normal clients' latency while hostile clients hold connections: Flagman and HAProxy, same config, same run.
#
#   bench/hostile.sh [--slow 1000] [--idle 1000] [--drip 2] [--duration 10] [--connections 16] [--maxconn 2500]
#                    [--only "flagman haproxy"]
#
# For each proxy: wrk -t1 -c16 alone (baseline), then the same wrk while bench/hostile_clients.py keeps --slow
# slowloris connections (one header byte every --drip s) and --idle idle keep-alive connections open. The config
# has `timeout http-request 5s`, so a slowloris connection must be closed ~5 s after it opened however often it
# drips, and `maxconn` bounds what is accepted. Prints p50/p99 and req/s of the normal clients, how long slowloris
# connections lived, and the most client connections the proxy held at once (ss). Loopback only; stops by itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
slow=1000 idle=1000 drip=2 duration=10 connections=16 maxconn=2500 only="flagman haproxy"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --slow) slow="$2"; shift 2 ;; --idle) idle="$2"; shift 2 ;; --drip) drip="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;; --connections) connections="$2"; shift 2 ;;
    --maxconn) maxconn="$2"; shift 2 ;; --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx haproxy python3 ss; do
  command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || { echo "bench: $tool is required" >&2; exit 1; }
done
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

work="$(mktemp -d /tmp/flagman-hostile.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start() { local name="$1"; shift; "$@" >"$work/$name.out" 2>&1 & pids+=($!); }

read -r p_up p_ha p_fm < <(free_ports 3)
upstream_conf "$work" "$p_up" >"$work/upstream.conf"
start upstream "$NGINX" -c "$work/upstream.conf" -p "$work"
wait_http "http://127.0.0.1:$p_up/" 10 || { echo "bench: upstream nginx did not start" >&2; exit 1; }

cfg() { # file port
  cat >"$1" <<CONF
global
  nbthread 2
  maxconn $maxconn

defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  timeout http-request 5s
  timeout http-keep-alive 60s

frontend fe
  bind 127.0.0.1:$2
  default_backend app

backend app
  server up1 127.0.0.1:$p_up
CONF
}
cfg "$work/haproxy.cfg" "$p_ha"
cfg "$work/flagman.cfg" "$p_fm"

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }'; }
wrk_run() { # port label → "rps p50 p99 errors"
  local out
  out="$(wrk -t1 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$1/" 2>&1)"
  echo "$out" >"$work/wrk.$2.txt"
  local e; e="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")"
  echo "$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out") $(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")" \
       "$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")") ${e:-0}"
}
peak_conns() { # port: established client connections on the proxy's port, sampled until the file $2 exists
  local max=0 n
  while [[ ! -e "$2" ]]; do
    n="$(ss -Htn state established "( sport = :$1 )" | wc -l)"
    (( n > max )) && max=$n
    sleep 0.5
  done
  echo "$max"
}

declare -A row
for p in $only; do
  port=""
  case "$p" in
    haproxy) start haproxy "$HAPROXY" -f "$work/haproxy.cfg" -db; port=$p_ha ;;
    flagman) start flagman "$root/bin/flagman" run --config "$work/flagman.cfg"; port=$p_fm ;;
    *) echo "bench: unknown proxy $p" >&2; exit 2 ;;
  esac
  wait_http "http://127.0.0.1:$port/" 120 || { echo "bench: $p did not start" >&2; cat "$work/$p.out" >&2; exit 1; }
  wrk -t1 -c"$connections" -d5s "http://127.0.0.1:$port/" >/dev/null 2>&1 || true   # warm-up
  echo "bench: $p alone..." >&2
  base="$(wrk_run "$port" "$p.alone")"
  echo "bench: $p with $slow slowloris + $idle idle keep-alive connections..." >&2
  rm -f "$work/ready" "$work/done"
  python3 "$root/bench/hostile_clients.py" 127.0.0.1 "$port" --slow "$slow" --idle "$idle" --drip "$drip" \
      --duration $((duration + 25)) --ready-file "$work/ready" >"$work/hostile.$p.json" 2>"$work/hostile.$p.err" &
  hpid=$!
  ( peak_conns "$port" "$work/done" >"$work/peak.$p" ) &
  speak=$!
  for _ in $(seq 300); do [[ -e "$work/ready" ]] && break; sleep 0.1; done
  sleep 6   # let the first slowloris generation reach its http-request timeout, so the load is steady-state
  loaded="$(wrk_run "$port" "$p.loaded")"
  wait "$hpid" || true
  touch "$work/done"; wait "$speak" || true
  row[$p]="$base | $loaded | $(cat "$work/ready" 2>/dev/null || echo ?) | $(cat "$work/peak.$p") | $(cat "$work/hostile.$p.json")"
  kill "${pids[-1]}" 2>/dev/null || true; wait "${pids[-1]}" 2>/dev/null || true
done

echo
echo "normal clients: wrk -t1 -c$connections -d${duration}s; hostile: $slow slowloris (drip ${drip}s) + $idle idle keep-alive;" \
     "timeout http-request 5s, maxconn $maxconn, nbthread 2, $(nproc) cores"
printf '%-8s | %s\n' proxy "alone: req/s p50ms p99ms errors | loaded: req/s p50ms p99ms errors | hostile held | peak established | hostile stats"
for p in $only; do printf '%-8s | %s\n' "$p" "${row[$p]}"; done
