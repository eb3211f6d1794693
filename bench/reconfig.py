#!/usr/bin/env python3
"""Drives the Data Plane API v3 of a running Flagman: N changes, each adding a backend, its server and a
use_backend rule for /r<i>; measures the time from the API response to the first request that the new route
serves, by polling /r<i> until the routed upstream answers. Prints one summary line per metric.

usage: reconfig.py API_BASE USER PASSWORD PROXY_BASE ROUTED_UPSTREAM_PORT FRONTEND CHANGES
"""
import base64
import http.client
import json
import statistics
import sys
import time
from urllib.parse import urlsplit

api, user, password, proxy, routed_port, frontend, changes = sys.argv[1:8]
routed_port, changes = int(routed_port), int(changes)
auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
a = urlsplit(api)
p = urlsplit(proxy)


def call(method, path, body=None):
    c = http.client.HTTPConnection(a.hostname, a.port, timeout=30)
    headers = {"Authorization": auth}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    c.request(method, "/v3/services/haproxy/configuration" + path, body=data, headers=headers)
    r = c.getresponse()
    text = r.read().decode(errors="replace")
    c.close()
    if r.status >= 300:
        raise SystemExit(f"reconfig: {method} {path} -> {r.status} {text[:300]}")
    return text


def version():
    return int(call("GET", "/version").strip())


def routed(path):
    c = http.client.HTTPConnection(p.hostname, p.port, timeout=5)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status == 200 and r.read().strip() == b"routed"
    except OSError:
        return False
    finally:
        c.close()


delays, api_times, polls = [], [], 0
for i in range(changes):
    name = f"bench_b{i}"
    t0 = time.perf_counter()
    v = version()
    call("POST", f"/backends?version={v}", {"name": name, "mode": "http", "balance": {"algorithm": "roundrobin"}})
    call("POST", f"/backends/{name}/servers?version={v + 1}",
         {"name": "s1", "address": "127.0.0.1", "port": routed_port})
    call("POST", f"/frontends/{frontend}/backend_switching_rules/0?version={v + 2}",
         {"name": name, "cond": "if", "cond_test": f"{{ path_beg /r{i} }}"})
    applied = time.perf_counter()
    api_times.append(applied - t0)
    while not routed(f"/r{i}"):
        polls += 1
        if time.perf_counter() - applied > 10:
            raise SystemExit(f"reconfig: /r{i} not routed 10 s after the API answered")
    delays.append(time.perf_counter() - applied)

ms = sorted(d * 1000 for d in delays)
api_ms = sorted(d * 1000 for d in api_times)
p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
print(f"changes={changes} (3 API calls each: backend, server, use_backend rule)")
print(f"api_time_ms median={statistics.median(api_ms):.1f} max={api_ms[-1]:.1f}")
print(f"apply_to_first_routed_request_ms min={ms[0]:.2f} median={statistics.median(ms):.2f} p99={p99:.2f} "
      f"max={ms[-1]:.2f} extra_polls={polls}")
