#!/usr/bin/env bash
# Flagman vs HAProxy vs nginx on this machine, same upstream, same worker thread count, driven by wrk.
#
#   bench/run.sh [--duration 10] [--warmup 5] [--threads 2] [--connections 64] [--modes "ka close tcp"]
#                [--only "flagman haproxy nginx"]
#
# Prints, per mode (HTTP keep-alive, HTTP one connection per request, TCP), req/s, p50 and p99 latency and the
# ratios Flagman/HAProxy and Flagman/nginx. Everything listens on 127.0.0.1 on ports probed free at start; every
# process started here is stopped on exit. See docs/performance.md for the method and the figures.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
duration=10 warmup=5 threads=2 connections=64 modes="ka close tcp" only="flagman haproxy nginx"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

for tool in wrk nginx haproxy curl python3; do
  command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || { echo "bench: $tool is required" >&2; exit 1; }
done
HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d /tmp/flagman-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Free loopback ports, probed by binding port 0 (all held open at once so they differ).
read -r p_up p_ha p_hat p_ng p_ngt p_fm p_fmt < <(free_ports 7)

start() { # name, command...
  local name="$1"; shift
  "$@" >"$work/$name.out" 2>&1 &
  pids+=($!)
}


# --- the upstream: nginx, one worker, a 2-byte body ---------------------------------------------------------------
upstream_conf "$work" "$p_up" >"$work/upstream.conf"
start upstream "$NGINX" -c "$work/upstream.conf" -p "$work"
wait_http "http://127.0.0.1:$p_up/" 10 || { echo "bench: upstream nginx did not start" >&2; cat "$work/upstream.out" >&2; exit 1; }

# --- the proxies, with equivalent configs ---------------------------------------------------------------------------
haproxy_cfg() { # file: HAProxy syntax, read by both HAProxy and Flagman
  cat >"$1" <<CONF
global
  nbthread $threads
  maxconn 8000

defaults
  timeout connect 5s
  timeout client 30s
  timeout server 30s

frontend http_in
  mode http
  bind 127.0.0.1:$2
  default_backend app

backend app
  mode http
  server up1 127.0.0.1:$p_up

listen tcp_in
  mode tcp
  bind 127.0.0.1:$3
  server up1 127.0.0.1:$p_up
CONF
}

haproxy_cfg "$work/haproxy.cfg" "$p_ha" "$p_hat"
haproxy_cfg "$work/flagman.cfg" "$p_fm" "$p_fmt"

cat >"$work/nginx.conf" <<CONF
load_module /usr/share/nginx/modules/ngx_stream_module.so;
worker_processes $threads;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream app { server 127.0.0.1:$p_up; keepalive 256; }
  server {
    listen 127.0.0.1:$p_ng;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
stream {
  server { listen 127.0.0.1:$p_ngt; proxy_pass 127.0.0.1:$p_up; }
}
CONF
if [[ ! -f /usr/share/nginx/modules/ngx_stream_module.so ]]; then
  # Debian ships the stream module separately (libnginx-mod-stream): without it, nginx has no TCP row.
  sed -i '1d; /^stream {/,$d' "$work/nginx.conf"
  p_ngt=""
fi

declare -A http_port tcp_port
proxies=()
for p in $only; do
  case "$p" in
    haproxy)
      start haproxy "$HAPROXY" -f "$work/haproxy.cfg" -db
      if wait_http "http://127.0.0.1:$p_ha/" 10; then proxies+=(haproxy); http_port[haproxy]=$p_ha; tcp_port[haproxy]=$p_hat
      else echo "bench: haproxy did not start:" >&2; cat "$work/haproxy.out" >&2; fi ;;
    nginx)
      start nginx "$NGINX" -c "$work/nginx.conf" -p "$work"
      if wait_http "http://127.0.0.1:$p_ng/" 10; then proxies+=(nginx); http_port[nginx]=$p_ng; tcp_port[nginx]=$p_ngt
      else echo "bench: nginx did not start:" >&2; cat "$work/nginx.out" >&2; fi ;;
    flagman)
      start flagman "$root/bin/flagman" run --config "$work/flagman.cfg"
      if wait_http "http://127.0.0.1:$p_fm/" 120; then proxies+=(flagman); http_port[flagman]=$p_fm; tcp_port[flagman]=$p_fmt
      else echo "bench: flagman did not start (its row is n/a):" >&2; tail -20 "$work/flagman.out" >&2; fi ;;
    *) echo "bench: unknown proxy $p" >&2; exit 2 ;;
  esac
done

# --- measurement ----------------------------------------------------------------------------------------------------
to_ms() { # wrk latency ("812.00us", "1.20ms", "2.01s") → milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.3f", n }'
}

declare -A rps p50 p99 errs
measure() { # proxy, mode
  local proxy="$1" mode="$2" url extra=()
  case "$mode" in
    ka) url="http://127.0.0.1:${http_port[$proxy]}/" ;;
    close) url="http://127.0.0.1:${http_port[$proxy]}/"; extra=(-H "Connection: close") ;;
    tcp)
      if [[ -z "${tcp_port[$proxy]}" ]]; then rps[$proxy.$mode]="n/a"; return; fi
      url="http://127.0.0.1:${tcp_port[$proxy]}/" ;;
  esac
  if (( warmup > 0 )); then
    wrk -t1 -c"$connections" -d"${warmup}s" "${extra[@]}" "$url" >/dev/null 2>&1 || true
  fi
  local out
  out="$(wrk -t1 -c"$connections" -d"${duration}s" --latency "${extra[@]}" "$url" 2>&1)"
  echo "$out" >"$work/wrk.$proxy.$mode.txt"
  rps[$proxy.$mode]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")"
  p50[$proxy.$mode]="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
  p99[$proxy.$mode]="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
  local non2xx socket
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")"
  socket="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")"
  errs[$proxy.$mode]=$(( ${non2xx:-0} + ${socket:-0} ))
}

echo "bench: $threads worker threads per proxy, wrk -t1 -c$connections, ${warmup}s warm-up + ${duration}s per run," \
     "$(nproc) cores, upstream nginx (1 worker) on :$p_up" >&2
for mode in $modes; do
  for proxy in "${proxies[@]}"; do
    echo "bench: $mode through $proxy..." >&2
    measure "$proxy" "$mode"
  done
done

ratio() { # a b → a/b with 2 decimals, or n/a
  awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else printf "n/a" }'
}

declare -A mode_name=([ka]="HTTP keep-alive" [close]="HTTP conn/request" [tcp]="TCP (HTTP ka inside)")
printf '\n| %-22s | %-8s | %9s | %8s | %8s | %6s | %10s | %10s |\n' mode proxy "req/s" "p50 ms" "p99 ms" errors \
       "req/s ÷HA" "p99 ÷HA"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------" "----------" "-----------:" "---------:" "---------:" \
       "-------:" "-----------:" "-----------:"
for mode in $modes; do
  for proxy in flagman haproxy nginx; do
    key="$proxy.$mode"
    if [[ -z "${rps[$key]:-}" ]]; then
      printf '| %-22s | %-8s | %9s | %8s | %8s | %6s | %10s | %10s |\n' "${mode_name[$mode]}" "$proxy" n/a - - - - -
      continue
    fi
    printf '| %-22s | %-8s | %9s | %8s | %8s | %6s | %10s | %10s |\n' "${mode_name[$mode]}" "$proxy" "${rps[$key]}" \
      "${p50[$key]:--}" "${p99[$key]:--}" "${errs[$key]:--}" \
      "$(ratio "${rps[$key]}" "${rps[haproxy.$mode]:-}")" "$(ratio "${p99[$key]:-}" "${p99[haproxy.$mode]:-}")"
  done
done
echo
for mode in $modes; do
  printf '%-22s Flagman/HAProxy req/s = %s, p99 = %s; Flagman/nginx req/s = %s, p99 = %s\n' "${mode_name[$mode]}:" \
    "$(ratio "${rps[flagman.$mode]:-}" "${rps[haproxy.$mode]:-}")" "$(ratio "${p99[flagman.$mode]:-}" "${p99[haproxy.$mode]:-}")" \
    "$(ratio "${rps[flagman.$mode]:-}" "${rps[nginx.$mode]:-}")" "$(ratio "${p99[flagman.$mode]:-}" "${p99[nginx.$mode]:-}")"
done
