# Shared helpers for the e2e scripts (sourced first thing). Each script runs in its own network namespace
# (unshare --net, as root): the fixed ports the seed uses (80, 5555) are then always free, and no packet leaves
# the machine. Sourcing this re-executes the script inside a fresh namespace.
if [[ "${FLAGMAN_E2E_NETNS:-}" != 1 ]]; then
  exec unshare --net env FLAGMAN_E2E_NETNS=1 "$0" "$@"
fi
ip link set lo up
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="${1:-$root/flagman-app/target/flagman.jar}"
source "$root/bin/lib/java.sh"
java_home="$(find_java)"

work="$(mktemp -d)"
pids=()
passed=0
failed=0
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ "$failed" == 1 && -f "$work/flagman.log" ]]; then echo "--- flagman log:"; cat "$work/flagman.log"; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { failed=1; echo "FAIL - $*"; exit 1; }
ok() { passed=$((passed + 1)); echo "ok - $*"; }

# await SECONDS DESCRIPTION COMMAND...: retries COMMAND until it succeeds or the deadline passes.
await() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS <= deadline)) || fail "$what (not within ${limit}s)"
    sleep 0.1
  done
}

# proxied_get SOURCE_IP HOST [PORT]: one request with a PROXY v1 header carrying SOURCE_IP.
proxied_get() {
  printf 'PROXY TCP4 %s 127.0.0.1 40000 %s\r\nGET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' \
    "$1" "${3:-80}" "$2" | curl -s --max-time 5 "telnet://127.0.0.1:${3:-80}" || true
}

# expect_get WHAT SOURCE_IP HOST TEXT
expect_get() {
  local out
  out="$(proxied_get "$2" "$3")"
  # Header names are case-insensitive, so the comparison is too.
  [[ "${out,,}" == *"${4,,}"* ]] || { echo "$out" | head -20; fail "$1: expected '$4'"; }
  ok "$1"
}

finish() { echo "$passed passed, 0 failed"; }
