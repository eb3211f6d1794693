#!/usr/bin/env bash
# Removes what add_backend.sh NAME added, as the seed's delete_backend.sh does: the use_backend rules of
# NAME-backend in FRONTEND, the ACL NAME-acl, then the backend.
# Usage: delete_backend.sh NAME [FRONTEND]   (default http-in)
source "$(dirname "${BASH_SOURCE[0]}")/api.sh"
[[ $# -ge 1 ]] || { sed -n '4p' "$0" | sed 's/^# //' >&2; exit 2; }
name=$1 frontend=${2:-http-in}
# highest index first, so the indexes still to delete do not move
for i in $(call GET "frontends/$frontend/backend_switching_rules" \
    | jq -r --arg b "$name-backend" 'to_entries[] | select(.value.name == $b) | .key' | sort -nr); do
  change DELETE "frontends/$frontend/backend_switching_rules/$i" >/dev/null
  echo "use_backend rule $i deleted"
done
for i in $(call GET "frontends/$frontend/acls" \
    | jq -r --arg a "$name-acl" 'to_entries[] | select(.value.acl_name == $a) | .key' | sort -nr); do
  change DELETE "frontends/$frontend/acls/$i" >/dev/null
  echo "acl $i deleted"
done
change DELETE "backends/$name-backend" >/dev/null
echo "backend $name-backend deleted"
