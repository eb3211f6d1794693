#!/usr/bin/env bash
# Adds the ACL 'internal' (the intranet's source networks) to FRONTEND, as the seed's add_internalacl.sh does.
# (examples/fleet/worker.cfg already has one; a second line with the same name adds its networks to it.)
# Usage: add_internalacl.sh [FRONTEND]   (default http-in)
source "$(dirname "${BASH_SOURCE[0]}")/api.sh"
frontend=${1:-http-in}
index="$(call GET "frontends/$frontend/acls" | jq length)"
change POST "frontends/$frontend/acls/$index" \
  '{"acl_name":"internal","criterion":"src","value":"10.10.0.0/16 10.250.0.0/16 192.168.0.0/16 172.16.0.0/12"}' >/dev/null
echo "acl internal added to frontend $frontend"
