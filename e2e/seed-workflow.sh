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
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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
api_up() { [[ "$(api -o /dev/null -w '%{http_code}' http://localhost:5555/v3/services/haproxy/configuration/version)" == 200 ]]; }
await 30 "the API comes up" api_up
await 10 "upstream app1 starts" curl -sf -o /dev/null http://127.0.0.1:9001/
await 10 "upstream legacy starts" curl -sf -o /dev/null http://127.0.0.1:9002/

step() { echo "# $*"; (cd "$work" && "$@") >"$work/step.log" 2>&1 || { cat "$work/step.log"; fail "$1"; }; }

expect_get "before any change, every host gets the 404 fallback page" 10.10.1.5 app1.example.com "404 - nothing here"

step ./add_backend.sh app1 127.0.0.1:9001 app1.example.com http-in
expect_get "app1.example.com routes to the new backend" 203.0.113.9 app1.example.com "upstream=app1"
expect_get "X-Forwarded-For carries the PROXY header's source" 203.0.113.9 app1.example.com "X-Forwarded-For: 203.0.113.9"
expect_get "X-Forwarded-Proto is set by the frontend's rule" 203.0.113.9 app1.example.com "X-Forwarded-Proto: https"
expect_get "another host still gets the 404 page" 203.0.113.9 other.example.com "404 - nothing here"

step ./add_internalacl.sh http-in
expect_get "an ACL nobody uses changes no route" 203.0.113.9 app1.example.com "upstream=app1"

step ./put_internalacl.sh app1-backend http-in
expect_get "the intranet-only route refuses an outside source" 203.0.113.9 app1.example.com "404 - nothing here"
expect_get "the intranet-only route serves an intranet source" 10.10.1.5 app1.example.com "upstream=app1"
expect_get "the intranet-only route serves 192.168/16" 192.168.4.4 app1.example.com "upstream=app1"

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
expect_get "legacy.example.com routes to the legacy backend" 203.0.113.9 legacy.example.com "upstream=legacy"

step ./delete_backend.sh legacy http-in
expect_get "after delete_backend.sh, legacy.example.com falls back to 404" 203.0.113.9 legacy.example.com "404 - nothing here"
expect_get "the other route is untouched" 10.10.1.5 app1.example.com "upstream=app1"
! grep -q "legacy" "$work/haproxy.cfg" || fail "the legacy backend, ACL or rule is still in the file"
ok "the file no longer mentions the legacy route"

# Deleting a backend that a use_backend rule still names is refused, and changes nothing.
before="$(cat "$work/haproxy.cfg")"
step ./delete_backend.sh app1-backend http-in
expect_get "a refused delete leaves the route in place" 10.10.1.5 app1.example.com "upstream=app1"
[[ "$(cat "$work/haproxy.cfg")" == "$before" ]] || fail "a refused delete changed the file"
ok "a refused delete leaves the file byte for byte as it was"

echo "# the file after the workflow:"
sed 's/^/#   /' "$work/haproxy.cfg"
finish
