#!/usr/bin/env python3
"""Live fan-out: many WebSocket clients on /api/live, one event to all of them.

Starts `xinghuo serve` on the demo street (SQLite, or PostgreSQL with --pg-uri;
with --processes 2 a second process on the same database serves half of the
clients), opens N connections as one resident (the per-user and per-address
limits raised for the run), subscribes each to the same work order, then takes
steps on the order through the first process's HTTP API and measures, per
event, when every client received it (delivery latency from the moment the
step was sent: p50, p99, max), the server's resident memory per idle
connection, and the events delivered per second while steps follow each other.

The clients are bench/live_client.cpp (built as build/release/xh_live_client:
one epoll loop, so that the client's share of the machine's cores is small),
or with --client python the same protocol in this script (much heavier on the
cores it shares with the servers: its figures are mostly its own).

With --meeting the clients are the phones of a meeting in session (GOV-3) and
the steps are the chair's actions — grant, extend and end the floor, open and
close a vote — each one event on meeting:<id> that every phone and the hall's
screen receive.

Usage: bench/live_fanout.py [--clients 10000] [--pg-uri URI] [--processes 2] [--client python]
                            [--server-args '--io-threads 2'] [--meeting --clients 301]
Writes a JSON line of results to stdout (and the text summary to stderr).
"""
import argparse
import base64
import json
import os
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import free_port, machine  # noqa: E402  (the benchmark's own helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("XH_BINARY", os.path.join(ROOT, "build", "xinghuo"))
CLIENT = os.environ.get("XH_LIVE_CLIENT", os.path.join(ROOT, "build", "release", "xh_live_client"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Http:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.cookie = ""
        self.csrf = ""

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.cookie:
            req.add_header("Cookie", self.cookie)
        if self.csrf:
            req.add_header("X-CSRF-Token", self.csrf)
        with urllib.request.urlopen(req, timeout=30) as r:
            if not self.cookie:
                for k, v in r.headers.items():
                    if k.lower() == "set-cookie" and v.startswith("xh_session="):
                        self.cookie = v.split(";")[0]
            text = r.read()
            return json.loads(text) if text else None

    def login(self, user):
        r = self.call("POST", "/api/auth/login", {"username": user, "password": "Demo@2026"})
        self.csrf = r["csrf_token"]
        return self


def start_server(args, data_dir, db, port, demo):
    cmd = [BINARY, "serve", "--port", str(port), "--data-dir", data_dir, "--access-log", "off",
           "--live-per-user", "1000000", "--live-per-address", "1000000"]
    if db:
        cmd += ["--db", db]
    if demo:
        cmd += ["--demo"]
    cmd += args.server_args.split()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return proc
        except Exception:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    head = bytes([0x81])
    n = len(payload)
    head += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class Client:
    __slots__ = ("sock", "buf", "upgraded", "events", "port")

    def __init__(self, port):
        self.sock = socket.socket()
        self.sock.setblocking(False)
        self.sock.connect_ex(("127.0.0.1", port))
        self.buf = b""
        self.upgraded = False
        self.events = []  # (event id, time received)
        self.port = port


def frames_of(client):
    """Complete server frames in the buffer (unmasked), as payload bytes."""
    out = []
    b = client.buf
    while len(b) >= 2:
        n = b[1] & 0x7F
        at = 2
        if n == 126:
            if len(b) < 4:
                break
            n = struct.unpack(">H", b[2:4])[0]
            at = 4
        elif n == 127:
            if len(b) < 10:
                break
            n = struct.unpack(">Q", b[2:10])[0]
            at = 10
        if len(b) < at + n:
            break
        opcode = b[0] & 0x0F
        payload = b[at:at + n]
        b = b[at + n:]
        if opcode == 9:  # ping → pong
            try:
                client.sock.send(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
            except OSError:
                pass
        elif opcode == 1:
            out.append(payload)
    client.buf = b
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=10000)
    ap.add_argument("--pg-uri", default="")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--steps", type=int, default=0, help="take only the first N steps (0: all)")
    ap.add_argument("--client", choices=["cpp", "python"], default="cpp")
    ap.add_argument("--server-args", default="", help="more options for every server, e.g. '--io-threads 2'")
    ap.add_argument("--meeting", action="store_true",
                    help="the clients are members' phones (and the hall's screen) on a meeting in session; "
                         "the steps are the chair's actions: grant, extend, end the floor, open and close a vote")
    args = ap.parse_args()

    data_dir = tempfile.mkdtemp(prefix="xh-live-bench-")
    procs = []
    try:
        ports = [free_port() for _ in range(args.processes)]
        for i, port in enumerate(ports):
            procs.append(start_server(args, data_dir, args.pg_uri, port, demo=(i == 0)))
        resident = Http(ports[0]).login("resident")
        staff = Http(ports[0]).login("community_admin")
        if args.meeting:
            topic, steps = meeting_steps(resident, staff)
            order = None
        else:
            places = resident.call("GET", "/api/places/mine")
            building = next(a for a in places["items"][0]["ancestors"] if a["kind"] == "building")
            order = resident.call("POST", "/api/work-orders", {"category": "clutter", "place_id": building["id"], "text": "压测：楼道杂物"})
            topic = f"work_order:{order['id']}"
            steps = [(s, lambda s=s: staff.call("POST", f"/api/work-orders/{order['id']}/actions/{s}", {}))
                     for s in ["accept", "dispatch", "start", "resolve"]]
        steps = steps[: args.steps] if args.steps else steps
        args.steps = len(steps)
        rss_before = [rss_kib(p.pid) for p in procs]
        if args.client == "cpp":
            out = measure_cpp(args, ports, procs, resident, steps, topic, rss_before)
            out["scenario"] = "meeting" if args.meeting else "work_order"
            print(json.dumps(out))
            report(out)
            return

        sel = selectors.DefaultSelector()
        clients = []
        subscribe = frame(json.dumps({"op": "subscribe", "topic": topic}))
        t_open = time.time()
        for i in range(args.clients):
            port = ports[i % len(ports)]
            c = Client(port)
            clients.append(c)
            sel.register(c.sock, selectors.EVENT_WRITE, c)
            # Connect in waves, serving what is ready meanwhile.
            if i % 200 == 199:
                pump(sel, resident.cookie, subscribe, 0.01)
        subscribed = 0
        deadline = time.time() + 120
        while time.time() < deadline:
            pump(sel, resident.cookie, subscribe, 0.05)
            subscribed = sum(1 for c in clients if c.upgraded)
            if subscribed == len(clients):
                break
        # Let the "subscribed" answers arrive.
        settle = time.time() + 3
        while time.time() < settle:
            pump(sel, resident.cookie, subscribe, 0.05)
        opened_s = time.time() - t_open
        time.sleep(2)
        rss_after = [rss_kib(p.pid) for p in procs]
        per_conn = (sum(rss_after) - sum(rss_before)) * 1024 / max(1, subscribed)

        sent_at = {}
        results = []
        t_first = None
        for s, act in steps:
            t0 = time.time()
            t_first = t_first or t0
            act()
            sent_at[s] = t0
            # Gather this event on every client.
            want = len(results) + 1
            end = time.time() + 30
            while time.time() < end:
                pump(sel, resident.cookie, subscribe, 0.01)
                if all(len(c.events) >= want for c in clients if c.upgraded):
                    break
            lat = sorted((c.events[want - 1][1] - t0) * 1000 for c in clients if len(c.events) >= want)
            got = len(lat)
            results.append({
                "step": s, "delivered": got, "of": subscribed,
                "first_ms": round(lat[0], 1) if lat else None,
                "p50_ms": round(lat[len(lat) // 2], 1) if lat else None,
                "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))], 1) if lat else None,
                "max_ms": round(lat[-1], 1) if lat else None,
            })
        t_last = max((c.events[-1][1] for c in clients if c.events), default=time.time())
        delivered = sum(len(c.events) for c in clients)
        out = {
            "client": "python",
            "engine": "postgresql" if args.pg_uri else "sqlite",
            "processes": args.processes,
            "clients": args.clients,
            "connected": subscribed,
            "connect_s": round(opened_s, 1),
            "rss_kib_before": rss_before,
            "rss_kib_after": rss_after,
            "bytes_per_connection": round(per_conn),
            "events": results,
            "deliveries_per_s": round(delivered / max(1e-6, t_last - t_first)),
            "machine": machine(),
        }
        print(json.dumps(out))
        report(out)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


def report(out):
    for r in out["events"]:
        print(f"{r['step']}: answered in {r.get('answered_ms')} ms; {r['delivered']}/{r['of']} clients, first {r['first_ms']} ms, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms", file=sys.stderr)
    print(f"RSS per connection: {out['bytes_per_connection']} bytes; deliveries/s: {out['deliveries_per_s']}", file=sys.stderr)


def meeting_steps(resident, staff):
    """A meeting of the demo's round table, opened, the resident checked in and
    waiting for the floor; the chair's actions as the steps."""
    council = next(c for c in staff.call("GET", "/api/councils")["items"] if c["name"] == "泉星社区圆桌议事会")
    meeting = staff.call("POST", f"/api/councils/{council['id']}/meetings", {
        "title": "压测：议事会", "starts_at": "2030-01-01T19:00:00+08:00",
        "agenda": [{"kind": "motion", "title": "压测动议", "minutes": 30}]})
    m = f"/api/meetings/{meeting['id']}"
    staff.call("POST", f"{m}/open", {})
    code = staff.call("GET", f"{m}/checkin-code")["code"]
    resident.call("POST", f"{m}/checkin", {"code": code})
    resident.call("POST", f"{m}/floor", {"side": "pro"})
    opened = {}

    def open_vote():
        opened.update(staff.call("POST", f"{m}/votes", {"method": "phones"})["vote"])

    steps = [("grant", lambda: staff.call("POST", f"{m}/floor/grant", {})),
             ("extend", lambda: staff.call("POST", f"{m}/floor/extend", {})),
             ("end", lambda: staff.call("POST", f"{m}/floor/end", {})),
             ("vote_open", open_vote),
             ("vote_close", lambda: staff.call("POST", f"{m}/votes/{opened['id']}/close", {}))]
    return f"meeting:{meeting['id']}", steps


def measure_cpp(args, ports, procs, resident, steps, topic, rss_before):
    """The connections held by xh_live_client; the steps taken from here."""
    t_open = time.time()
    client = subprocess.Popen([CLIENT, ",".join(map(str, ports)), resident.cookie, topic, str(args.clients),
                               str(args.steps)], stdout=subprocess.PIPE, text=True)
    try:
        ready = client.stdout.readline().split()
        subscribed = int(ready[1])
        opened_s = time.time() - t_open
        time.sleep(2)
        rss_after = [rss_kib(p.pid) for p in procs]
        per_conn = (sum(rss_after) - sum(rss_before)) * 1024 / max(1, subscribed)
        results = []
        t_first = t_last = None
        delivered = 0
        for s, act in steps:
            t0 = time.time_ns()
            t_first = t_first or t0
            act()
            answered = round((time.time_ns() - t0) / 1e6, 1)
            _, _, count, first, p50, p99, last = client.stdout.readline().split()
            count = int(count)
            delivered += count
            t_last = int(last) if count else t_last
            ms = lambda t: round((int(t) - t0) / 1e6, 1) if count else None  # noqa: E731
            results.append({"step": s, "answered_ms": answered, "delivered": count, "of": subscribed, "first_ms": ms(first),
                            "p50_ms": ms(p50), "p99_ms": ms(p99), "max_ms": ms(last)})
        client.wait(timeout=60)
    finally:
        if client.poll() is None:
            client.kill()
    return {
        "client": "cpp",
        "engine": "postgresql" if args.pg_uri else "sqlite",
        "processes": args.processes,
        "clients": args.clients,
        "connected": subscribed,
        "connect_s": round(opened_s, 1),
        "rss_kib_before": rss_before,
        "rss_kib_after": rss_after,
        "bytes_per_connection": round(per_conn),
        "events": results,
        "deliveries_per_s": round(delivered / max(1e-6, ((t_last or t_first) - t_first) / 1e9)),
        "machine": machine(),
    }


def pump(sel, cookie, subscribe, timeout):
    for key, mask in sel.select(timeout):
        c = key.data
        if mask & selectors.EVENT_WRITE and not c.upgraded and not c.buf:
            key_b64 = base64.b64encode(os.urandom(16)).decode()
            req = (f"GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:{c.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key_b64}\r\nSec-WebSocket-Version: 13\r\n"
                   f"Origin: http://127.0.0.1:{c.port}\r\nCookie: {cookie}\r\n\r\n")
            try:
                c.sock.send(req.encode())
            except OSError:
                continue
            c.buf = b"\0"  # handshake sent
            sel.modify(c.sock, selectors.EVENT_READ, c)
            continue
        try:
            data = c.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            sel.unregister(c.sock)
            continue
        if not data:
            sel.unregister(c.sock)
            continue
        now = time.time()
        if not c.upgraded:
            c.buf = (c.buf[1:] if c.buf == b"\0" else c.buf) + data
            end = c.buf.find(b"\r\n\r\n")
            if end < 0:
                continue
            if not c.buf.startswith(b"HTTP/1.1 101"):
                sel.unregister(c.sock)
                continue
            c.upgraded = True
            c.buf = c.buf[end + 4:]
            c.sock.send(subscribe)
        else:
            c.buf += data
        for payload in frames_of(c):
            # The arrival time is what counts: no JSON parsing on the client's hot path.
            if payload.startswith(b'{"op":"event"'):
                c.events.append((0, now))


if __name__ == "__main__":
    main()
