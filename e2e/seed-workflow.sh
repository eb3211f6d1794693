#!/usr/bin/env bash
# The seed's workflow, end to end: the user's four CRUD scripts (e2e/seed/*.sh, copied unchanged from the
# seed write-up) run with curl and jq against `flagman run -f dataplaneapi.yml` (the seed's own file, paths
# adjusted), and after each step a client that sends a PROXY header checks where its traffic goes.
#
# It runs in a private network namespace (unshare --net, as root): the scripts talk to the fixed address
# localhost:5555 and the seed config binds *:80, and in their own namespace those ports are always free and
# nothing leaves the machine.
#
# Usage: e2e/seed-workflow.sh [path/to/flagman.jar]     (default: flagman-app/target/flagman.jar)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [[ "${FLAGMAN_E2E_NETNS:-}" != 1 ]]; then
  exec unshare --net env FLAGMAN_E2E_NETNS=1 "$0" "$@"
fi
ip link set lo up

jar="${1:-$root/flagman-app/target/flagman.jar}"
source "$root/bin/lib/java.sh"
java_home="$(find_java)"

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ "${failed:-0}" == 1 ]]; then echo "--- flagman log:"; cat "$work/flagman.log" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The seed's files, with only paths and the redacted password adjusted.
cp "$here"/seed/*.sh "$here/seed/404.html" "$work/"
sed "s|/dataplane/haproxy.cfg|$work/haproxy.cfg|" "$here/seed/dataplaneapi.yml" >"$work/dataplaneapi.yml"
sed -e "s|insecure-password <redacted>|insecure-password e2e-secret|" \
    -e "s|/etc/haproxy/errors/custom_404.html|$work/404.html|" "$here/seed/haproxy.cfg" >"$work/haproxy.cfg"
export API_USER=admin API_PASS=e2e-secret

python3 "$here/upstream.py" app1 9001 & pids+=($!)
python3 "$here/upstream.py" legacy 9002 & pids+=($!)
"$java_home/bin/java" -jar "$jar" run -f "$work/dataplaneapi.yml" >"$work/flagman.log" 2>&1 & pids+=($!)

api() { curl -s -u "$API_USER:$API_PASS" "$@"; }
deadline=$((SECONDS + 30))
until [[ "$(api -o /dev/null -w '%{http_code}' http://localhost:5555/v3/services/haproxy/configuration/version)" == 200 ]]; do
  if ((SECONDS > deadline)); then failed=1; echo "FAIL: the API did not come up within 30 s"; exit 1; fi
  sleep 0.2
done
for port in 9001 9002; do
  until curl -s -o /dev/null "http://127.0.0.1:$port/"; do
    if ((SECONDS > deadline)); then failed=1; echo "FAIL: upstream $port did not start"; exit 1; fi
    sleep 0.1
  done
done

passed=0
# request SOURCE_IP HOST: one request through the frontend, with a PROXY v1 header carrying SOURCE_IP.
request() {
  printf 'PROXY TCP4 %s 127.0.0.1 40000 80\r\nGET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$1" "$2" \
    | curl -s --max-time 5 telnet://127.0.0.1:80 || true
}
expect() { # expect WHAT SOURCE_IP HOST TEXT
  local out
  out="$(request "$2" "$3")"
  if [[ "$out" == *"$4"* ]]; then
    passed=$((passed + 1)); echo "ok - $1"
  else
    failed=1; echo "FAIL - $1: expected '$4' in:"; echo "$out" | head -20; exit 1
  fi
}
step() { echo "# $*"; (cd "$work" && "$@") >"$work/step.log" 2>&1 || { failed=1; cat "$work/step.log"; exit 1; }; }

expect "before any change, every host gets the 404 fallback page" 10.10.1.5 app1.example.com "404 - nothing here"

step ./add_backend.sh app1 127.0.0.1:9001 app1.example.com http-in
expect "app1.example.com routes to the new backend" 203.0.113.9 app1.example.com "upstream=app1"
expect "X-Forwarded-For carries the PROXY header's source" 203.0.113.9 app1.example.com "X-Forwarded-For: 203.0.113.9"
expect "X-Forwarded-Proto is set by the frontend's rule" 203.0.113.9 app1.example.com "X-Forwarded-Proto: https"
expect "another host still gets the 404 page" 203.0.113.9 other.example.com "404 - nothing here"

step ./add_internalacl.sh http-in
expect "an ACL nobody uses changes no route" 203.0.113.9 app1.example.com "upstream=app1"

step ./put_internalacl.sh app1-backend http-in
expect "the intranet-only route refuses an outside source" 203.0.113.9 app1.example.com "404 - nothing here"
expect "the intranet-only route serves an intranet source" 10.10.1.5 app1.example.com "upstream=app1"
expect "the intranet-only route serves 192.168/16" 192.168.4.4 app1.example.com "upstream=app1"

# delete_backend.sh selects rules by cond_test == NAME and ACLs by acl_name == NAME, so it expects a backend,
# an ACL and a rule that share one name; build such a route the way the script expects, then delete it.
v="$(api http://localhost:5555/v3/services/haproxy/configuration/version)"
api -X POST -H 'Content-Type: application/json' -d '{"name":"legacy","mode":"http"}' \
  "http://localhost:5555/v3/services/haproxy/configuration/backends?version=$v" >/dev/null
v=$((v + 1))
api -X POST -H 'Content-Type: application/json' -d '{"name":"legacy1","address":"127.0.0.1","port":9002}' \
  "http://localhost:5555/v3/services/haproxy/configuration/backends/legacy/servers?version=$v" >/dev/null
v=$((v + 1))
api -X POST -H 'Content-Type: application/json' -d '{"acl_name":"legacy","criterion":"hdr(host)","value":"legacy.example.com"}' \
  "http://localhost:5555/v3/services/haproxy/configuration/frontends/http-in/acls/0?version=$v" >/dev/null
v=$((v + 1))
api -X POST -H 'Content-Type: application/json' -d '{"name":"legacy","cond":"if","cond_test":"legacy"}' \
  "http://localhost:5555/v3/services/haproxy/configuration/frontends/http-in/backend_switching_rules/0?version=$v" >/dev/null
expect "legacy.example.com routes to the legacy backend" 203.0.113.9 legacy.example.com "upstream=legacy"

step ./delete_backend.sh legacy http-in
expect "after delete_backend.sh, legacy.example.com falls back to 404" 203.0.113.9 legacy.example.com "404 - nothing here"
expect "the other route is untouched" 10.10.1.5 app1.example.com "upstream=app1"
if grep -q "legacy" "$work/haproxy.cfg"; then failed=1; echo "FAIL - the legacy backend, ACL or rule is still in the file"; exit 1; fi
passed=$((passed + 1)); echo "ok - the file no longer mentions the legacy route"

# Deleting a backend that a use_backend rule still names is refused, and changes nothing.
before="$(cat "$work/haproxy.cfg")"
step ./delete_backend.sh app1-backend http-in
expect "a refused delete leaves the route in place" 10.10.1.5 app1.example.com "upstream=app1"
if [[ "$(cat "$work/haproxy.cfg")" != "$before" ]]; then failed=1; echo "FAIL - a refused delete changed the file"; exit 1; fi
passed=$((passed + 1)); echo "ok - a refused delete leaves the file byte for byte as it was"

echo "$passed passed, 0 failed"
