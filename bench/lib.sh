# Shared by bench/run.sh and bench/reconfig.sh (sourced).

# free_ports N: prints N distinct free loopback ports, probed by binding port 0 (all held open at once).
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# wait_http URL SECONDS: polls until URL answers 200 (a process may take a while to start); 1 on timeout.
wait_http() {
  local url="$1" deadline=$((SECONDS + $2))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null)" == 200 ]]; do
    (( SECONDS < deadline )) || return 1
    sleep 0.1
  done
}

# upstream_conf WORKDIR PORT: the nginx configuration of the benchmarks' upstream (one worker, keep-alive, a 2-byte
# "ok" on 127.0.0.1:PORT), the same for every script so their figures compare.
upstream_conf() {
  cat <<CONF
worker_processes 1;
daemon off;
pid $1/upstream.pid;
error_log $1/upstream.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$2;
    location / { default_type text/plain; return 200 "ok"; }
  }
}
CONF
}
