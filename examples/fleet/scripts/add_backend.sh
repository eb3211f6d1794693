#!/usr/bin/env bash
# Adds a route, as the seed's add_backend.sh does: backend NAME-backend with one server, an ACL NAME-acl on the
# Host header, and a use_backend rule in FRONTEND.
# Usage: add_backend.sh NAME ADDRESS:PORT HOST_PATTERNS [FRONTEND]   (FRONTEND defaults to http-in)
# Example: add_backend.sh narrow 127.0.0.1:9002 '-i narrow.example.test narrow.staging.example.test'
source "$(dirname "${BASH_SOURCE[0]}")/api.sh"
[[ $# -ge 3 ]] || { sed -n '4,5p' "$0" | sed 's/^# //' >&2; exit 2; }
name=$1 address=$2 hosts=$3 frontend=${4:-http-in}

change POST backends "$(jq -nc --arg n "$name-backend" '{name: $n, mode: "http"}')" >/dev/null
echo "backend $name-backend added"
change POST "backends/$name-backend/servers" "$(jq -nc --arg n "$name" --arg a "${address%:*}" \
  --argjson p "${address##*:}" '{name: $n, address: $a, port: $p}')" >/dev/null
echo "server $name ($address) added"
index="$(call GET "frontends/$frontend/acls" | jq length)"
change POST "frontends/$frontend/acls/$index" "$(jq -nc --arg n "$name-acl" --arg v "$hosts" \
  '{acl_name: $n, criterion: "hdr(host)", value: $v}')" >/dev/null
echo "acl $name-acl (hdr(host) $hosts) added to frontend $frontend"
index="$(call GET "frontends/$frontend/backend_switching_rules" | jq length)"
change POST "frontends/$frontend/backend_switching_rules/$index" "$(jq -nc --arg n "$name-backend" \
  --arg c "$name-acl" '{name: $n, cond: "if", cond_test: $c}')" >/dev/null
echo "use_backend $name-backend if $name-acl added to frontend $frontend"
