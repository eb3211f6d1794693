#!/usr/bin/env bash
# Promotion latency: a fleet of one staging node and two production nodes on etcd; N times, a change on staging
# through the Data Plane API, then `flagman promote --from staging --to production`, and the time from that
# command returning to every production node routing by the new version (bench/promote.py polls each node).
# Meanwhile wrk loads both production nodes and counts failed requests (socket errors + non-2xx).
#
#   bench/promote.sh [--promotions 50] [--warmup 1] [--backends 0] [--connections 16] [--keep]
#
# --backends N adds N backends (one server each) to the seed-sized configuration, e.g. --backends 10000;
# --warmup N runs N promotions first and leaves them out (a node's first apply of a promoted version is cold);
# --keep keeps the work directory (every process's output) instead of removing it.
# Needs etcd, nginx (the upstream), wrk, curl, jq, python3. Everything on 127.0.0.1, on ports probed free.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
promotions=50 warmup=1 backends=0 connections=16 keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --promotions) promotions="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for tool in etcd wrk curl jq python3; do
  command -v "$tool" >/dev/null || { echo "promote: '$tool' is not installed" >&2; exit 1; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d /tmp/flagman-promote.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((keep)); then echo "promote: logs and files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r p_up p_etcd p_peer p_stg p_p1 p_p2 p_api p_api1 p_api2 < <(free_ports 9)

upstream_conf "$work" "$p_up" >"$work/upstream.conf"
"$NGINX" -c "$work/upstream.conf" -p "$work" >"$work/upstream.out" 2>&1 &
pids+=($!)

etcd_url="http://127.0.0.1:$p_etcd"
etcd --name bench --data-dir "$work/etcd" --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
  --listen-peer-urls "http://127.0.0.1:$p_peer" --initial-advertise-peer-urls "http://127.0.0.1:$p_peer" \
  --initial-cluster "bench=http://127.0.0.1:$p_peer" >"$work/etcd.out" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$p_up/" 10 || { echo "promote: the upstream did not start" >&2; exit 1; }
wait_http "$etcd_url/health" 30 || { echo "promote: etcd did not start" >&2; tail -20 "$work/etcd.out" >&2; exit 1; }

# The seed-sized worker configuration (the fleet example's shape), plus --backends N more backends. The probe
# ACL's host name is what each change moves; the load goes to load.example.test. The same text on every node:
# the port comes from the node's environment.
password="bench-$RANDOM$RANDOM"
{
  cat <<CONF
global
  maxconn 4096
  hard-stop-after 5s

defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s

userlist dataplane_users
  user admin insecure-password $password

frontend http-in
  bind "127.0.0.1:\${BENCH_PORT}"
  http-request set-header X-Forwarded-Proto https
  option forwardfor header X-Forwarded-For if-none
  acl probe hdr(host) -i gen-0.probe.test
  acl load hdr(host) -i load.example.test
  acl internal src 10.0.0.0/8 192.168.0.0/16 172.16.0.0/12
  acl stats-host hdr(host) -i stats.example.test
  use_backend load-backend if load
  use_backend load-backend if probe
  use_backend stats-backend if stats-host internal
  default_backend fallback-backend

backend load-backend
  server up1 127.0.0.1:$p_up

backend stats-backend
  stats uri /

backend fallback-backend
  http-request return status 404 content-type text/plain string "nothing here"
CONF
  for ((i = 0; i < backends; i++)); do
    printf '\nbackend bulk-%d\n  server s1 127.0.0.1:%d\n' "$i" "$p_up"
  done
} >"$work/worker.cfg"
echo "promote: configuration of $(wc -c <"$work/worker.cfg") bytes ($((backends + 3)) backends)"

start_node() { # NAME CHANNEL PORT API
  mkdir -p "$work/$1"
  cp "$work/worker.cfg" "$work/$1/haproxy.cfg"
  BENCH_PORT="$3" "$root/bin/flagman" run --config "$work/$1/haproxy.cfg" --cluster "$etcd_url" --node "$1" \
    --channel "$2" --api "127.0.0.1:$4" >"$work/$1.out" 2>&1 &
  pids+=($!)
}
# node_serves PORT: the node answers 200 for the probe's first host name (it is up and routing)
node_serves() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -H "Host: gen-0.probe.test" "http://127.0.0.1:$1/")" == 200 ]]
}
BENCH_PORT=1 "$root/bin/flagman" check "$work/worker.cfg" >/dev/null   # also builds Flagman on first use
start_node staging-1 staging "$p_stg" "$p_api"
start_node prod-1 production "$p_p1" "$p_api1"
start_node prod-2 production "$p_p2" "$p_api2"
deadline=$((SECONDS + 120))
for port in "$p_stg" "$p_p1" "$p_p2"; do
  until node_serves "$port"; do
    if ((SECONDS > deadline)); then
      echo "promote: the node on port $port did not start:" >&2; tail -n 20 "$work"/*.out >&2; exit 1
    fi
    sleep 0.2
  done
done
api_up() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -u "admin:$password" \
    "http://127.0.0.1:$p_api/v3/services/haproxy/configuration/version")" == 200 ]]
}
until api_up; do
  ((SECONDS < deadline)) || { echo "promote: staging's API did not start:" >&2; tail -n 20 "$work/staging-1.out" >&2; exit 1; }
  sleep 0.2
done

# Staging must have published its file as version 1 of channel staging (bootstrap) before the first change.
staging_ready() {
  "$root/bin/flagman" fleet --cluster "$etcd_url" --json | jq -e '(.channels | any(.channel == "staging"))
    and (.nodes | any(.node == "staging-1" and .state == "ok" and .lag == 0))' >/dev/null
}
until staging_ready; do
  ((SECONDS < deadline)) || { echo "promote: staging-1 did not bootstrap its channel:" >&2; tail -n 20 "$work/staging-1.out" >&2; exit 1; }
  sleep 0.5
done

# Load on both production nodes for the whole run, stopped (SIGINT: wrk prints its summary) after it.
half=$(( connections / 2 > 0 ? connections / 2 : 1 ))
wrk_pids=() status=0
for port in "$p_p1" "$p_p2"; do
  wrk -t1 -c"$half" -d3600s -H "Host: load.example.test" "http://127.0.0.1:$port/" >"$work/wrk-$port.txt" 2>&1 &
  pids+=($!)
  wrk_pids+=($!)
done

python3 "$root/bench/promote.py" --api "http://127.0.0.1:$p_api" --user admin --password "$password" \
  --promote "$root/bin/flagman promote --cluster $etcd_url --from staging --to production" \
  --nodes "127.0.0.1:$p_p1,127.0.0.1:$p_p2" --promotions "$promotions" --warmup "$warmup" || status=$?

kill -INT "${wrk_pids[@]}"
requests=0 failed=0
for port in "$p_p1" "$p_p2"; do
  wait "${wrk_pids[0]}" 2>/dev/null || true
  wrk_pids=("${wrk_pids[@]:1}")
  f="$work/wrk-$port.txt"
  r="$(awk '/requests in/ {print $1}' "$f")"
  n="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")"
  s="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$f")"
  requests=$((requests + ${r:-0})) failed=$((failed + ${n:-0} + ${s:-0}))
done
echo "load: $requests requests on the production nodes during the promotions, failed: $failed (non-2xx + socket errors)"
exit "$status"
