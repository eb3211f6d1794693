#!/usr/bin/env bash
# CPU cost of Basic auth on the data plane: `http-request auth unless { http_auth(users) }` against a $6$
# (SHA-512 crypt, rounds=5000) user, a local `http-request return` answer (no upstream), one event loop.
# Sends N requests with the right credentials and NLONG with an over-long password (6,000 characters) through
# one keep-alive connection (h2load --h1), and prints the CPU seconds (user+sys, /proc) the flagman process spent.
#
# Usage: bench/auth.sh [path/to/flagman.jar]      (N=10000 NLONG=2000 by default; env overrides)
# A measurement, not a test: the figures go to docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/lib.sh"
source "$root/bin/lib/java.sh"
jar="${1:-$root/flagman-app/target/flagman.jar}"
N=${N:-10000}
NLONG=${NLONG:-2000}
java_home="$(find_java)"
read -r port < <(free_ports 1)
dir="$(mktemp -d)"
cat >"$dir/haproxy.cfg" <<CFG
global
  nbthread 1
userlist users
  user carol password \$6\$saltstring\$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1
defaults
  mode http
  timeout client 30s
  timeout connect 5s
  timeout server 30s
frontend fe
  bind 127.0.0.1:$port
  http-request auth realm Private unless { http_auth(users) }
  http-request return status 200 content-type text/plain string ok
CFG
"$java_home/bin/java" -jar "$jar" run --config "$dir/haproxy.cfg" >"$dir/flagman.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
good="authorization: Basic $(printf 'carol:Hello world!' | base64 -w0)"
long="authorization: Basic $(printf 'carol:%s' "$(head -c 6000 /dev/zero | tr '\0' x)" | base64 -w0)"
until [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$good" "http://127.0.0.1:$port/" 2>/dev/null)" == 200 ]]; do
  kill -0 "$pid" 2>/dev/null || { cat "$dir/flagman.log"; exit 1; }
  sleep 0.1
done
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tck="$(getconf CLK_TCK)"
h2load --h1 -n 2000 -c 1 -H "$good" "http://127.0.0.1:$port/" >/dev/null   # JIT warm-up
h2load --h1 -n 20 -c 1 -H "$long" "http://127.0.0.1:$port/" >/dev/null
for kind in right-credentials over-long; do
  if [[ $kind == over-long ]]; then hdr=$long; n=$NLONG; else hdr=$good; n=$N; fi
  c0="$(cpu)"
  codes="$(h2load --h1 -n "$n" -c 1 -H "$hdr" "http://127.0.0.1:$port/" | grep -E '^status codes')"
  c1="$(cpu)"
  awk -v k="$kind" -v n="$n" -v c0="$c0" -v c1="$c1" -v t="$tck" -v codes="$codes" 'BEGIN {
    printf "%-17s %6d requests: flagman CPU %6.2f s = %8.3f ms/request (%s)\n", k, n, (c1 - c0) / t,
      1000 * (c1 - c0) / t / n, codes }'
done
