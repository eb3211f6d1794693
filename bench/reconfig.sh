#!/usr/bin/env bash
# Reconfiguration under load: wrk drives Flagman (HTTP keep-alive, or --close for one connection per request)
# while bench/reconfig.py applies N changes through the Data Plane API v3 (each: a backend, its server and a
# use_backend rule). Reports the time from the API response to the first request served by the new route, and
# the failed requests wrk saw (socket errors + non-2xx) during the whole run.
#
#   bench/reconfig.sh [--changes 50] [--threads 2] [--connections 32] [--close]
#
# The API runs in-process: `bin/flagman run --config <cfg> --api 127.0.0.1:<port>`, users from the userlist
# `controller` of the configuration (the API's default).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
changes=50 threads=2 connections=32 extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --changes) changes="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --close) extra=(-H "Connection: close"); shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d /tmp/flagman-reconfig.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r p_default p_routed p_fm p_api < <(free_ports 4)


# Two upstreams: the default route answers "default", every new route answers "routed".
cat >"$work/upstream.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/upstream.pid;
error_log $work/upstream.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$p_default; location / { default_type text/plain; return 200 "default"; } }
  server { listen 127.0.0.1:$p_routed; location / { default_type text/plain; return 200 "routed"; } }
}
CONF
"$NGINX" -c "$work/upstream.conf" -p "$work" >"$work/upstream.out" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$p_default/" 10 || { echo "reconfig: upstream did not start" >&2; exit 1; }

password="bench-$RANDOM$RANDOM"
cat >"$work/flagman.cfg" <<CONF
global
  nbthread $threads

userlist controller
  user admin insecure-password $password

defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s

frontend web
  bind 127.0.0.1:$p_fm
  default_backend default_app

backend default_app
  server up1 127.0.0.1:$p_default
CONF

"$root/bin/flagman" run --config "$work/flagman.cfg" --api "127.0.0.1:$p_api" >"$work/flagman.out" 2>&1 &
pids+=($!)
if ! wait_http "http://127.0.0.1:$p_fm/" 120; then
  echo "reconfig: flagman did not start:" >&2; tail -20 "$work/flagman.out" >&2; exit 1
fi

# Load for the whole run: long enough to outlast the changes, stopped (SIGINT → wrk prints its summary) after them.
wrk -t1 -c"$connections" -d600s "${extra[@]}" "http://127.0.0.1:$p_fm/" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
pids+=($wrk_pid)

python3 "$root/bench/reconfig.py" "http://127.0.0.1:$p_api" admin "$password" "http://127.0.0.1:$p_fm" \
  "$p_routed" web "$changes"

kill -INT "$wrk_pid"
wait "$wrk_pid" 2>/dev/null || true
requests="$(awk '/requests in/ {print $1}' "$work/wrk.txt")"
non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/wrk.txt")"
socket="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/wrk.txt")"
echo "load: ${requests:-?} requests during the changes, failed: $(( ${non2xx:-0} + ${socket:-0} ))" \
     "(non-2xx ${non2xx:-0}, socket errors ${socket:-0})"
