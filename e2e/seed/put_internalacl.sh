#!/bin/bash
# Usage: ./put_internalacl.sh BACKEND_NAME FRONTEND_NAME

if [ -f ./.env ]; then
  source ./.env
fi

API_URL="http://localhost:5555"
API_URL_CONFIG="v3/services/haproxy/configuration/version"
API_URL_BACKEND="v3/services/haproxy/configuration/backends"
API_URL_ACL="v3/services/haproxy/configuration/acls"
API_URL_RULES="v3/services/haproxy/configuration/backend_switching_rules"
API_USER="$API_USER"
API_PASS="$API_PASS"

BACKEND_NAME="${1}"
FRONTEND_NAME="${2:-http-in}"


# The current HAProxy config version
CONFIG_VERSION=$(curl -s -u $API_USER:$API_PASS "$API_URL/$API_URL_CONFIG")

if [[ -z "$CONFIG_VERSION" ]]; then
  echo "Failed to get current config version"
  exit 1
fi

echo "Current config version: $CONFIG_VERSION"

# List existing backend switching rules
RULES_JSON=$(curl -s -u "$API_USER:$API_PASS" \
  "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/backend_switching_rules")
#echo "Current rules: $RULES_JSON"
# Find the rule matching our backend
RULE_INDEX=$(echo "$RULES_JSON" | jq "map(.name==\"$BACKEND_NAME\") | index(true)")
#echo "Current rule index: $RULE_INDEX"

if [[ "$RULE_INDEX" == "null" ]]; then
  echo "No existing rule found for backend $BACKEND_NAME"
  exit 1
fi

# Get the existing cond_test and append "internal" ACL
EXISTING_COND_TEST=$(echo "$RULES_JSON" | jq -r ".[$RULE_INDEX].cond_test")
echo "Cond test: $EXISTING_COND_TEST"
NEW_COND_TEST="$EXISTING_COND_TEST internal"
echo "New cond test: $NEW_COND_TEST"

# Update the existing rule with the new cond_test
curl -s -u "$API_USER:$API_PASS" -X PUT \
  "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/backend_switching_rules/$RULE_INDEX?version=$CONFIG_VERSION" \
  -H "Content-Type: application/json" \
  -d "{
        \"name\": \"$BACKEND_NAME\",
        \"cond\": \"if\",
        \"cond_test\": \"$NEW_COND_TEST\",
        \"backend\": \"$BACKEND_NAME\"
      }"

echo "✅ Internal ACL added to routing rule for $BACKEND_NAME"
