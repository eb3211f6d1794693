# Shared by the scripts here (sourced): they are the seed's CRUD scripts rewritten for the fleet example.
# They talk to the staging worker's Data Plane API: API_URL, API_USER and API_PASS from the environment, else
# what examples/fleet/up recorded in examples/fleet/run/ (ports.env, .env). Unlike the seed's, each change is
# sent with the configuration's current version (read just before it), and an error status stops the script
# with the API's message.
set -euo pipefail
fleet_run="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/run"
if [[ -z "${API_URL:-}" ]]; then
  port=5555
  [[ -f "$fleet_run/ports.env" ]] && port="$(sed -n 's/^FLEET_STAGING_API=//p' "$fleet_run/ports.env")"
  API_URL="http://127.0.0.1:$port"
fi
if [[ -z "${API_PASS:-}" && -f "$fleet_run/.env" ]]; then
  source "$fleet_run/.env"
fi
: "${API_USER:=admin}" "${API_PASS:?API_PASS is not set and examples/fleet/run/.env does not exist (run examples/fleet/up)}"
CONF="$API_URL/v3/services/haproxy/configuration"

# call METHOD PATH [JSON]: one API call under $CONF; prints the answer; an error status fails with the message.
call() {
  local args=(-s -u "$API_USER:$API_PASS" -X "$1" -w '\n%{http_code}') out code
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' -d "$3")
  out="$(curl "${args[@]}" "$CONF/$2")" || { echo "${0##*/}: cannot reach $API_URL" >&2; return 1; }
  code="${out##*$'\n'}"
  out="${out%$'\n'*}"
  if [[ "$code" != 2?? ]]; then
    echo "${0##*/}: $1 $2: HTTP $code: $out" >&2
    return 1
  fi
  printf '%s\n' "$out"
}

# change METHOD PATH [JSON]: a configuration change, sent with the current configuration version.
change() {
  local version
  version="$(call GET version)"
  call "$1" "$2?version=$version" "${@:3}"
}
