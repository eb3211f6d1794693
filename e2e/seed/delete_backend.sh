#!/bin/bash
# Usage: ./delete_backend.sh BACKEND_NAME FRONTEND_NAME

if [ -f ./.env ]; then
  source ./.env
fi

API_URL="http://localhost:5555"
API_URL_CONFIG="v3/services/haproxy/configuration/version"
API_URL_BACKEND="v3/services/haproxy/configuration/backends"
API_USER="$API_USER"
API_PASS="$API_PASS"

BACKEND_NAME="$1"
FRONTEND_NAME="${2:-http-in}"

if [[ -z "$BACKEND_NAME" || -z "$FRONTEND_NAME" ]]; then
  echo "Usage: $0 BACKEND_NAME FRONTEND_NAME"
  exit 1
fi

CONFIG_VERSION=$(curl -s -u $API_USER:$API_PASS "$API_URL/$API_URL_CONFIG")
if [[ -z "$CONFIG_VERSION" ]]; then
  echo "Failed to get current config version"
  exit 1
fi
echo "Current config version: $CONFIG_VERSION"

# 1. Delete backend switching rules
# Get all rule indexes referencing this backend/ACL
RULE_INDEXES=($(curl -s -u $API_USER:$API_PASS \
  "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/backend_switching_rules" \
  | jq -r "to_entries[] | select(.value.cond_test==\"$BACKEND_NAME\") | .key" | sort -nr))

# Delete rules in descending order
for INDEX in "${RULE_INDEXES[@]}"; do
  curl -s -u $API_USER:$API_PASS -X DELETE \
    "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/backend_switching_rules/$INDEX?version=$CONFIG_VERSION"
  echo "✅ Routing rule at index $INDEX deleted"
  CONFIG_VERSION=$((CONFIG_VERSION + 1))
done

# 2. Delete ACLs
ACL_INDEXES=$(curl -s -u $API_USER:$API_PASS \
  "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/acls" \
  | jq -r "to_entries[] | select(.value.acl_name==\"$BACKEND_NAME\") | .key")

for INDEX in $ACL_INDEXES; do
  curl -s -u $API_USER:$API_PASS -X DELETE \
    "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/acls/$INDEX?version=$CONFIG_VERSION"
  echo "✅ ACL at index $INDEX deleted"
  CONFIG_VERSION=$((CONFIG_VERSION + 1))
done

# 3. Delete the backend
curl -s -u $API_USER:$API_PASS -X DELETE \
  "$API_URL/$API_URL_BACKEND/$BACKEND_NAME?version=$CONFIG_VERSION"
echo "✅ Backend '$BACKEND_NAME' deleted"
