#!/usr/bin/env python3
"""Hostile clients for bench/hostile.sh: slowloris connections and idle keep-alive connections, bounded in time.

  hostile_clients.py HOST PORT --slow N --idle M --drip SECONDS --duration SECONDS

Each slowloris connection sends a request line and then one header byte every --drip seconds, never finishing the
head; when the proxy closes it, it reconnects (as slowloris does). Each idle connection sends one complete
keep-alive request, reads the answer and then stays silent; reconnects when closed. At the end prints one JSON
line: how many connections were open at the end, how many the proxy closed, and how long the proxy let a
slowloris connection live (median/max seconds), which shows whether `timeout http-request` bounds the whole head.
"""
import argparse, asyncio, json, statistics, time

async def slowloris(host, port, drip, stop, stats):
    while time.monotonic() < stop:
        try:
            r, w = await asyncio.open_connection(host, port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.2)
            continue
        opened = time.monotonic()
        stats["open_slow"] += 1
        try:
            w.write(b"GET / HTTP/1.1\r\nHost: bench\r\nX-Slow: ")
            await w.drain()
            while time.monotonic() < stop:
                try:
                    data = await asyncio.wait_for(r.read(4096), timeout=drip)
                    if not data:
                        break  # closed by the proxy
                    stats["answered_slow"] += 1  # e.g. a 408
                except asyncio.TimeoutError:
                    w.write(b"a")
                    await w.drain()
            else:
                continue
            stats["closed_slow"] += 1
            stats["lifetimes"].append(time.monotonic() - opened)
        except (OSError, ConnectionError):
            stats["closed_slow"] += 1
            stats["lifetimes"].append(time.monotonic() - opened)
        finally:
            stats["open_slow"] -= 1
            w.close()

async def idle(host, port, stop, stats):
    while time.monotonic() < stop:
        try:
            r, w = await asyncio.open_connection(host, port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.2)
            continue
        stats["open_idle"] += 1
        try:
            w.write(b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n")
            await w.drain()
            await asyncio.wait_for(r.read(4096), timeout=10)
            remaining = stop - time.monotonic()
            if remaining > 0:
                try:
                    data = await asyncio.wait_for(r.read(4096), timeout=remaining)
                    if not data:
                        stats["closed_idle"] += 1
                except asyncio.TimeoutError:
                    pass
        except (OSError, ConnectionError, asyncio.TimeoutError):
            stats["closed_idle"] += 1
        finally:
            stats["open_idle"] -= 1
            w.close()

async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host"); ap.add_argument("port", type=int)
    ap.add_argument("--slow", type=int, default=1000); ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--drip", type=float, default=2.0); ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--ready-file")
    a = ap.parse_args()
    stats = dict(open_slow=0, open_idle=0, closed_slow=0, closed_idle=0, answered_slow=0, refused=0, lifetimes=[])
    stop = time.monotonic() + a.duration
    tasks = [asyncio.create_task(slowloris(a.host, a.port, a.drip, stop, stats)) for _ in range(a.slow)]
    tasks += [asyncio.create_task(idle(a.host, a.port, stop, stats)) for _ in range(a.idle)]
    # Report the connection count once everything had a chance to connect (the load is then in place).
    deadline = time.monotonic() + min(10, a.duration)
    while time.monotonic() < deadline and stats["open_slow"] + stats["open_idle"] < a.slow + a.idle:
        await asyncio.sleep(0.1)
    held = stats["open_slow"] + stats["open_idle"]
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write(str(held))
    await asyncio.gather(*tasks, return_exceptions=True)
    life = stats.pop("lifetimes")
    stats["held_at_start"] = held
    stats["slow_lifetime_median_s"] = round(statistics.median(life), 2) if life else None
    stats["slow_lifetime_max_s"] = round(max(life), 2) if life else None
    print(json.dumps(stats))

asyncio.run(main())
