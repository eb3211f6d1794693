#!/usr/bin/env python3
"""Promotion latency, driven from outside like an operator: N times, one change on the staging node through the
Data Plane API (the host name of the ACL 'probe' becomes gen-<i>.probe.test), then the promote command; from the
moment that command returns, each production node is polled (a fresh connection per request, 1 ms apart) until
it routes gen-<i>.probe.test (200 instead of the 404 fallback). The latency of a promotion is the time until the
last production node routes by the new version. Prints p50, p99 (nearest rank), max and mean.
"""
import argparse
import base64
import http.client
import json
import math
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

ap = argparse.ArgumentParser()
ap.add_argument("--api", required=True)
ap.add_argument("--user", required=True)
ap.add_argument("--password", required=True)
ap.add_argument("--promote", required=True, help="the promote command line")
ap.add_argument("--nodes", required=True, help="host:port,... of the production nodes")
ap.add_argument("--promotions", type=int, default=50)
ap.add_argument("--warmup", type=int, default=1,
                help="promotions run first and left out of the figures (the nodes' first apply of a promoted"
                     " version is a cold path: class loading, JIT)")
ap.add_argument("--frontend", default="http-in")
args = ap.parse_args()
api = urlsplit(args.api)
auth = "Basic " + base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
nodes = [(h, int(p)) for h, p in (n.rsplit(":", 1) for n in args.nodes.split(","))]


def call(method, path, body=None):
    c = http.client.HTTPConnection(api.hostname, api.port, timeout=300)
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
        raise SystemExit(f"promote: {method} {path} -> {r.status} {text[:300]}")
    return text


def status(node, host):
    """The status code a node answers for Host: host (0 when it cannot be reached)."""
    try:
        with socket.create_connection(node, timeout=2) as s:
            s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            head = s.recv(64)
            return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    except (OSError, ValueError, IndexError):
        return 0


def await_node(node, host, deadline, out, index):
    while time.perf_counter() < deadline:
        if status(node, host) == 200:
            out[index] = time.perf_counter()
            return
        time.sleep(0.001)


def promote():
    """Runs the promote command; retries (for up to 60 s) while staging has not reported the version yet."""
    deadline = time.perf_counter() + 60
    retries = 0
    while True:
        p = subprocess.run(shlex.split(args.promote), capture_output=True, text=True)
        if p.returncode == 0:
            return retries
        if time.perf_counter() > deadline or "not applied" not in (p.stdout + p.stderr):
            raise SystemExit(f"promote: {args.promote} -> exit {p.returncode}: {p.stdout}{p.stderr}")
        retries += 1
        time.sleep(0.05)


latencies, command_times, change_times, retries = [], [], [], 0
for i in range(1, args.warmup + args.promotions + 1):
    host = f"gen-{i}.probe.test"
    started = time.perf_counter()
    version = call("GET", "/version").strip()
    call("PUT", f"/frontends/{args.frontend}/acls/0?version={version}",
         {"acl_name": "probe", "criterion": "hdr(host)", "value": f"-i {host}"})
    before = time.perf_counter()
    change_times.append(before - started)
    retries += promote()
    t0 = time.perf_counter()
    command_times.append(t0 - before)
    seen = [None] * len(nodes)
    threads = [threading.Thread(target=await_node, args=(n, host, t0 + 120, seen, k)) for k, n in enumerate(nodes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if None in seen:
        missing = [f"{h}:{p}" for (h, p), s in zip(nodes, seen) if s is None]
        raise SystemExit(f"promote: promotion {i}: {', '.join(missing)} did not route {host} within 120 s")
    if i <= args.warmup:
        print(f"warm-up promotion {i}: {(max(seen) - t0) * 1000:.1f} ms (not counted)", file=sys.stderr, flush=True)
        change_times.pop()
        command_times.pop()
        continue
    latencies.append(max(seen) - t0)
    print(f"promotion {i - args.warmup}: {latencies[-1] * 1000:.1f} ms", file=sys.stderr, flush=True)

ms = sorted(x * 1000 for x in latencies)
rank = lambda q: ms[max(0, math.ceil(q * len(ms)) - 1)]
print(f"promotions: {len(ms)}; latency from the promote command returning to every production node routing by the"
      f" new version: p50 {rank(0.5):.1f} ms, p99 {rank(0.99):.1f} ms, max {ms[-1]:.1f} ms,"
      f" mean {statistics.mean(ms):.1f} ms")
print(f"change on staging (API version + PUT, published to etcd): median"
      f" {statistics.median(change_times) * 1000:.0f} ms")
print(f"promote command: median {statistics.median(command_times) * 1000:.0f} ms (a JVM start included);"
      f" retries while staging had not reported the change yet: {retries}")
