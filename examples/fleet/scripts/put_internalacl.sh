#!/usr/bin/env bash
# Makes a route intranet-only, as the seed's put_internalacl.sh does: the use_backend rule of BACKEND in
# FRONTEND also requires the ACL 'internal'.
# Usage: put_internalacl.sh BACKEND [FRONTEND]   (e.g. put_internalacl.sh narrow-backend)
source "$(dirname "${BASH_SOURCE[0]}")/api.sh"
[[ $# -ge 1 ]] || { sed -n '4p' "$0" | sed 's/^# //' >&2; exit 2; }
backend=$1 frontend=${2:-http-in}
rules="$(call GET "frontends/$frontend/backend_switching_rules")"
index="$(jq --arg b "$backend" 'map(.name == $b) | index(true)' <<<"$rules")"
[[ "$index" != null ]] || { echo "${0##*/}: no use_backend rule for $backend in frontend $frontend" >&2; exit 1; }
rule="$(jq -c --argjson i "$index" '.[$i] | .cond_test += " internal" | del(.index)' <<<"$rules")"
change PUT "frontends/$frontend/backend_switching_rules/$index" "$rule" >/dev/null
echo "use_backend $backend now requires 'internal': $(jq -r '.cond + " " + .cond_test' <<<"$rule")"
