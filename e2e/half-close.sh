#!/usr/bin/env bash
# Issue 7, defect 2, end to end: clients that shut down their sending side after the request (socat, nc -N,
# health checkers, scripts) get their response from the packaged program, for a proxied response as for a local
# one, with keep-alive and pipelined requests too; with `option abortonclose` a request whose client half-closed
# while it waits for its server is dropped instead. The upstream (HTTP/1.0) is never pooled, so every request
# needs a new server connection: the case that used to lose the response.
#
# Runs in a private network namespace (unshare --net).
# Usage: e2e/half-close.sh [path/to/flagman.jar]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

python3 "$here/upstream.py" app1 9001 & pids+=($!)
cat >"$work/haproxy.cfg" <<CFG
defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s
  timeout queue 10s

frontend web
  bind 127.0.0.1:8080
  http-request return status 404 content-type text/plain string "no such page" if { path /missing }
  default_backend app

frontend held
  bind 127.0.0.1:8081
  default_backend slow

backend app
  server a1 127.0.0.1:9001

# A server that accepts and never answers, one request at a time: the second request waits in the queue.
backend slow
  option abortonclose
  server s1 127.0.0.1:9009 maxconn 1
CFG
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 9009)); s.listen(16)
held = []
while True:
    c, _ = s.accept(); held.append(c)
    open(sys.argv[1], "a").write("accepted\n")
' "$work/held.log" & pids+=($!)
"$java_home/bin/java" -jar "$jar" run --config "$work/haproxy.cfg" >"$work/flagman.log" 2>&1 & pids+=($!)

serves_404() { [[ "$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/missing)" == 404 ]]; }
await 30 "flagman serves its local 404" serves_404

out="$(printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | socat -t 5 - TCP:127.0.0.1:8080)"
[[ "$out" == "HTTP/1.1 200 OK"* && "$out" == *"upstream=app1"* ]] || fail "socat should get the proxied response, got '$out'"
ok "printf request | socat: the proxied response arrives"

out="$(printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | nc -N 127.0.0.1 8080)"
[[ "$out" == *"upstream=app1"* ]] || fail "nc -N should get the proxied response, got '$out'"
ok "printf request | nc -N: the proxied response arrives"

out="$(printf 'GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | nc -N 127.0.0.1 8080)"
[[ "$out" == "HTTP/1.1 404 "* && "$out" == *"no such page" ]] || fail "the local 404 should arrive, got '$out'"
ok "a local response arrives too"

out="$(printf 'GET /ka HTTP/1.1\r\nHost: x\r\n\r\n' | nc -N 127.0.0.1 8080)"
[[ "$out" == *"upstream=app1"* ]] || fail "a keep-alive request then FIN should be answered, got '$out'"
ok "a keep-alive request followed by a FIN is answered, then the connection closes (nc exits)"

out="$(printf 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n' \
  | nc -N 127.0.0.1 8080)"
[[ "$(grep -o 'HTTP/1.1 [0-9]' <<<"$out" | wc -l)" == 3 && "$(grep -c 'upstream=app1' <<<"$out")" == 2 ]] \
  || fail "three pipelined requests then FIN should get three responses, got '$out'"
ok "pipelined requests followed by a FIN are all answered"

# abortonclose: the first request holds the only slot of s1; the second waits in the queue, half-closes, and is
# dropped at once (no response), as HAProxy's documentation describes.
exec 3<>/dev/tcp/127.0.0.1/8081
printf 'GET /first HTTP/1.1\r\nHost: x\r\n\r\n' >&3
await 10 "the first request reaches the silent server" grep -q accepted "$work/held.log"
start=$SECONDS
out="$(printf 'GET /second HTTP/1.1\r\nHost: x\r\n\r\n' | socat -t 8 - TCP:127.0.0.1:8081 || true)"
[[ -z "$out" && $((SECONDS - start)) -lt 8 ]] || fail "abortonclose should drop the queued request at its FIN, got '$out'"
ok "option abortonclose drops a queued request whose client half-closed"
exec 3>&-
kill -0 "${pids[2]}" || fail "flagman is no longer running"
finish
