#!/bin/bash
# Usage: ./add_backend.sh BACKEND_NAME SERVER_ADDRESS:PORT ACL_CRITERIA FRONTEND_NAME

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

BACKEND_NAME="$1"
SERVER_ADDR="$2"
ACL_CRITERIA="$3"
FRONTEND_NAME="$4"

if [[ -z "$BACKEND_NAME" || -z "$SERVER_ADDR" || -z "$ACL_CRITERIA" || -z "$FRONTEND_NAME" ]]; then
  echo "Usage: $0 BACKEND_NAME SERVER_ADDRESS:PORT ACL_CRITERIA FRONTEND_NAME"
  exit 1
fi

# The current HAProxy config version
CONFIG_VERSION=$(curl -s -u $API_USER:$API_PASS "$API_URL/$API_URL_CONFIG")

if [[ -z "$CONFIG_VERSION" ]]; then
  echo "Failed to get current config version"
  exit 1
fi

echo "Current config version: $CONFIG_VERSION"

# 1 Create the backend

curl -s -u $API_USER:$API_PASS -X POST "$API_URL/$API_URL_BACKEND?version=$CONFIG_VERSION" \
  -H "Content-Type: application/json" \
  -d "{
    \"name\": \"$BACKEND_NAME-backend\",
    \"mode\": \"http\"
  }"

# Increment version
CONFIG_VERSION=$((CONFIG_VERSION + 1))

echo "✅ Backend added"

sleep 5

# 2 Create the server

curl -s -u $API_USER:$API_PASS -X POST "$API_URL/$API_URL_BACKEND/$BACKEND_NAME-backend/servers?version=$CONFIG_VERSION" \
  -H "Content-Type: application/json" \
  -d "{
    \"name\": \"${BACKEND_NAME}-backend\",
    \"address\": \"$(echo $SERVER_ADDR | cut -d: -f1)\",
    \"port\": $(echo $SERVER_ADDR | cut -d: -f2)
  }"

echo "✅ Server added"

# Increment version
CONFIG_VERSION=$((CONFIG_VERSION + 1))

# 3 Add ACL to the frontend

# Find next available ACL index for the frontend
ACL_INDEX=$(curl -s -u "$API_USER:$API_PASS" \
  "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/acls" \
  | jq '. | length')

echo "Next available ACL index for frontend $FRONTEND_NAME: $ACL_INDEX"

curl -s -u "$API_USER:$API_PASS" -X POST \
  "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/acls/$ACL_INDEX?version=$CONFIG_VERSION" \
  -H "Content-Type: application/json" \
  -d "{
    \"acl_name\": \"$BACKEND_NAME-acl\",
    \"criterion\": \"hdr(host)\",
    \"value\": \"$ACL_CRITERIA\"
  }"

echo "✅ ACL '$BACKEND_NAME' with criterion '$ACL_CRITERIA' added to frontend '$FRONTEND_NAME'"

# Increment version
CONFIG_VERSION=$((CONFIG_VERSION + 1))

# Find next available rule index for the frontend
RULE_INDEX=$(curl -s -u "$API_USER:$API_PASS" \
  "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/backend_switching_rules" \
  | jq 'length')

# 4 Add a use_backend rule to the frontend using the ACL
curl -u $API_USER:$API_PASS -X POST \
  "$API_URL/v3/services/haproxy/configuration/frontends/$FRONTEND_NAME/backend_switching_rules/${RULE_INDEX}?version=$CONFIG_VERSION" \
  -H "Content-Type: application/json" \
  -d "{
    \"name\": \"${BACKEND_NAME}-backend\",
    \"cond\": \"if\",
    \"cond_test\": \"$BACKEND_NAME-acl\",
    \"backend\": \"$BACKEND_NAME\"
  }"


echo "✅ Routing Rule added"
