# Every address the fleet example uses, in one place (sourced by up, down and the scripts). Each one can be
# overridden from the environment, e.g. `FLEET_HTTPS_PORT=9443 examples/fleet/up`; `up` records the values it
# used in run/ports.env and later commands read them from there. Everything listens on 127.0.0.1.

: "${FLEET_HTTP_PORT:=8080}"        # front load balancer, plain HTTP: redirects to HTTPS
: "${FLEET_HTTPS_PORT:=8443}"       # front load balancer, TLS (self-signed certificate made at first start)
: "${FLEET_STAGING_PORT:=8081}"     # staging-1's bind (accept-proxy: only the front talks to it)
: "${FLEET_PROD1_PORT:=8082}"       # prod-1's bind (accept-proxy)
: "${FLEET_PROD2_PORT:=8083}"       # prod-2's bind (accept-proxy)
: "${FLEET_STAGING_API:=5555}"      # staging-1's Data Plane API (the seed's scripts talk to localhost:5555)
: "${FLEET_PROD1_API:=5556}"        # prod-1's Data Plane API (reads; writes are refused)
: "${FLEET_PROD2_API:=5557}"        # prod-2's Data Plane API
: "${FLEET_BROAD_PORT:=9001}"       # upstream app "broad"
: "${FLEET_NARROW_PORT:=9002}"      # upstream app "narrow" (no route yet: the tour adds one on staging)
: "${FLEET_ETCD_PORT:=2379}"        # etcd, client URL
: "${FLEET_ETCD_PEER_PORT:=2380}"   # etcd, peer URL (one member)

FLEET_PORT_VARS=(FLEET_HTTP_PORT FLEET_HTTPS_PORT FLEET_STAGING_PORT FLEET_PROD1_PORT FLEET_PROD2_PORT
  FLEET_STAGING_API FLEET_PROD1_API FLEET_PROD2_API FLEET_BROAD_PORT FLEET_NARROW_PORT FLEET_ETCD_PORT
  FLEET_ETCD_PEER_PORT)
