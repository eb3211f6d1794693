#!/usr/bin/env bash
# Issue 3's acceptance, end to end: `flagman run --config` on the seed's worker config (haproxy.cfg: bind *:80
# with accept-proxy kept, only the 404 page path adjusted). A client that sends a PROXY header gets the 404
# fallback; then backends, ACLs and use_backend rules are added to the file by hand, Flagman applies the edit
# live, and requests route by Host, src ACLs restrict as written, X-Forwarded-For / X-Forwarded-Proto reach
# the upstream, and a TCP-mode listen section relays bytes both ways.
#
# Runs in a private network namespace (unshare --net) so that port 80 is free and private.
# Usage: e2e/worker-config.sh [path/to/flagman.jar]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cp "$here/seed/404.html" "$work/"
sed -e "s|/etc/haproxy/errors/custom_404.html|$work/404.html|" "$here/seed/haproxy.cfg" >"$work/haproxy.cfg"

python3 "$here/upstream.py" app1 9001 & pids+=($!)
python3 "$here/upstream.py" app2 9002 & pids+=($!)
python3 "$here/echo.py" 9007 & pids+=($!)
"$java_home/bin/java" -jar "$jar" run --config "$work/haproxy.cfg" >"$work/flagman.log" 2>&1 & pids+=($!)
flagman_pid=$!

serves_404() { [[ "$(proxied_get 10.1.1.1 any.example.com)" == *"404 - nothing here"* ]]; }
await 30 "flagman serves the seed config" serves_404
ok "the seed worker config serves its 404 fallback to a client that sends a PROXY header"

no_proxy_header="$(printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | curl -s --max-time 5 telnet://127.0.0.1:80 || true)"
[[ -z "$no_proxy_header" ]] || fail "a client without a PROXY header must be closed, got: $no_proxy_header"
ok "a connection without a PROXY header is closed without an answer"

# Add routes to the file by hand, as an operator would; Flagman sees the change and applies it live.
python3 - "$work/haproxy.cfg" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
text = text.replace("  default_backend fallback-backend\n",
    "  acl app1_host hdr(host) -i app1.example.com\n"
    "  acl app2_host hdr(host) -i app2.example.com\n"
    "  acl internal src 10.0.0.0/8 192.168.0.0/16\n"
    "  use_backend app1 if app1_host\n"
    "  use_backend app2 if app2_host internal\n"
    "  default_backend fallback-backend\n")
text += ("\nbackend app1\n  mode http\n  server a1 127.0.0.1:9001\n"
         "\nbackend app2\n  mode http\n  server a2 127.0.0.1:9002\n"
         "\nlisten dns-tcp\n  mode tcp\n  bind 127.0.0.1:5353\n  server echo 127.0.0.1:9007\n")
open(path, "w").write(text)
PY
routes_app1() { [[ "$(proxied_get 203.0.113.9 app1.example.com)" == *"upstream=app1"* ]]; }
await 10 "the hand edit is applied live" routes_app1
ok "after a hand edit, app1.example.com routes to app1 without a restart"
kill -0 "$flagman_pid" || fail "flagman is no longer running"

expect_get "Host app2.example.com from the intranet routes to app2" 10.20.30.40 app2.example.com "upstream=app2"
expect_get "Host app2.example.com from outside is restricted to the fallback" 203.0.113.9 app2.example.com "404 - nothing here"
expect_get "an unknown host gets the 404 page" 10.20.30.40 unknown.example.com "404 - nothing here"
expect_get "X-Forwarded-For carries the client address from the PROXY header" 198.51.100.7 app1.example.com "X-Forwarded-For: 198.51.100.7"
expect_get "X-Forwarded-Proto reaches the upstream" 198.51.100.7 app1.example.com "X-Forwarded-Proto: https"
# option httplog + log stdout format raw: one line per request in HAProxy's format, with the PROXY source.
httplog='^198\.51\.100\.7:40000 \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:.]+\] http-in app1/a1 [0-9]+/[0-9]+/[0-9]+/[0-9]+/[0-9]+ 200 [0-9]+ - - ---- [0-9/]+ [0-9]+/[0-9]+ "GET / HTTP/1\.1"$'
await 5 "an httplog line reaches stdout" grep -Eq "$httplog" "$work/flagman.log"
ok "each request is logged to stdout in HAProxy's httplog format"

# The client half-closes after its query; the reply must still come back (half-close is relayed).
tcp_reply="$(python3 -c '
import socket
s = socket.create_connection(("127.0.0.1", 5353), timeout=5)
s.sendall(b"dns query bytes\n")
s.shutdown(socket.SHUT_WR)
data = b""
while chunk := s.recv(4096):
    data += chunk
print(data.decode(), end="")
' || true)"
[[ "$tcp_reply" == "echo: dns query bytes"* ]] || fail "the TCP listen section should relay both ways, got '$tcp_reply'"
ok "a TCP-mode listen section relays bytes both ways"

# A typo leaves the running configuration untouched.
sed -i 's/default_backend fallback-backend/defualt_backend fallback-backend/' "$work/haproxy.cfg"
await 10 "the invalid edit is reported" grep -q "defualt_backend" "$work/flagman.log"
expect_get "after an invalid edit the previous configuration keeps serving" 203.0.113.9 app1.example.com "upstream=app1"
finish
