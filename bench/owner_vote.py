#!/usr/bin/env python3
"""Owners' vote at compound scale (GOV-5): a vote over a compound of 5,000 units.

Loads the demo street into a fresh SQLite database, adds a compound (压测花园:
50 buildings × 4 units × 25 households, each with its exclusive area) and an
owner's account per household with an API token, written straight into the
database before the server starts, because 5,000 sign-ins would measure
password hashing rather than voting. It then starts `xinghuo serve`, calls a
rebuild_or_renovate vote on the compound as the demo community
administrator, opens it (the roll of 5,000 frozen), and runs wrk:

  hello          GET /hello (the ratio's base), 64 connections
  ballots        POST …/ballot, each request another owner's token (durable:
                 answered after the commit), 64 connections, until every owner
                 has voted once
  tally          GET /api/owner-votes/{id} (the live turnout by building and
                 the sums) as staff, 64 connections, after the ballots
  pending        GET …/pending?limit=20 (the units not yet voted) as staff,
                 64 connections, with half of the owners voted

Usage: bench/owner_vote.py [--units 5000] [--seconds 5]
Prints a JSON line of results (and a summary on stderr).
"""
import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import free_port, fsync_rate, machine  # noqa: E402  (the benchmark's own helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("XH_BINARY", os.path.join(ROOT, "build", "xinghuo"))
SCENARIOS = os.path.join(ROOT, "bench", "scenarios")


def add_compound(db_path, units):
    """The compound, its households and one owner's account and token each; the staff token."""
    db = sqlite3.connect(db_path)
    now = int(time.time() * 1000)
    community, community_path = db.execute("SELECT id, path FROM places WHERE code = 'NC-QX'").fetchone()

    def place(parent_id, parent_path, kind, name, area=None):
        cur = db.execute("INSERT INTO places (parent_id, kind, name, path, created_at, updated_at, area_centi_m2) "
                         "VALUES (?, ?, ?, '', ?, ?, ?)", (parent_id, kind, name, now, now, area))
        path = f"{parent_path}{cur.lastrowid}/"
        db.execute("UPDATE places SET path = ? WHERE id = ?", (path, cur.lastrowid))
        return cur.lastrowid, path

    compound, compound_path = place(community, community_path, "compound", "压测花园")
    password_hash = db.execute("SELECT password_hash FROM users WHERE username = 'resident'").fetchone()[0]
    tokens = []
    per_unit, units_per_building = 25, 4
    n = 0
    b = 0
    while n < units:
        b += 1
        building, building_path = place(compound, compound_path, "building", f"压测花园{b}号楼")
        for u in range(1, units_per_building + 1):
            unit, unit_path = place(building, building_path, "unit", f"{u}单元")
            for h in range(1, per_unit + 1):
                if n >= units:
                    break
                n += 1
                floor, room = (h - 1) // 2 + 1, (h - 1) % 2 + 1
                household, _ = place(unit, unit_path, "household", f"{floor}0{room}室", 6000 + (n * 37) % 9000)
                cur = db.execute("INSERT INTO users (username, display_name, password_hash, password_changed_at, "
                                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                                 (f"owner{n}", f"业主{n}", password_hash, now, now, now))
                user = cur.lastrowid
                db.execute("INSERT INTO role_assignments (user_id, role, place_id, granted_at) VALUES (?, 'resident', ?, ?)",
                           (user, household, now))
                token = f"bench-owner-{n}-" + hashlib.sha256(str(n).encode()).hexdigest()[:16]
                db.execute("INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, 'bench', ?, ?, ?)",
                           (user, hashlib.sha256(token.encode()).hexdigest(), now, now + 86400000))
                tokens.append(token)
    staff_token = "bench-staff-" + hashlib.sha256(b"staff").hexdigest()[:16]
    staff = db.execute("SELECT id FROM users WHERE username = 'community_admin'").fetchone()[0]
    db.execute("INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, 'bench', ?, ?, ?)",
               (staff, hashlib.sha256(staff_token.encode()).hexdigest(), now, now + 86400000))
    db.commit()
    db.close()
    return compound, tokens, staff_token


def call(port, token, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


def wrk(port, script, seconds, connections, env):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                          os.path.join(SCENARIOS, script), f"http://127.0.0.1:{port}/"],
                         check=True, text=True, capture_output=True, env={**os.environ, **env}).stdout
    rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))

    def pct(label):
        for line in out.splitlines():
            parts = line.split()
            if parts and parts[0] == label:
                v = parts[1]
                return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
        return None
    statuses = {}
    for line in out.splitlines():
        if line.startswith("status "):
            _, code, count = line.split()
            statuses[code] = int(count)
    r = {"rps": round(rps), "p50_ms": pct("50%"), "p99_ms": pct("99%"), "statuses": statuses}
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=64)
    args = ap.parse_args()
    data_dir = tempfile.mkdtemp(prefix="xh-vote-bench-")
    db_path = os.path.join(data_dir, "xinghuo.db")
    server = None
    try:
        subprocess.run([BINARY, "demo", "--db", f"sqlite:{db_path}", "--data-dir", data_dir], check=True,
                       capture_output=True)
        compound, tokens, staff = add_compound(db_path, args.units)
        token_file = os.path.join(data_dir, "tokens.txt")
        with open(token_file, "w") as f:
            f.write("\n".join(tokens) + "\n")
        port = free_port()
        server = subprocess.Popen([BINARY, "serve", "--db", f"sqlite:{db_path}", "--data-dir", data_dir, "--port",
                                   str(port), "--access-log", "off"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        vote = call(port, staff, "POST", "/api/owner-votes", {
            "place_id": compound, "title": "压测花园加装电梯", "matter": "rebuild_or_renovate",
            "closes_at": "2030-01-01T18:00:00+08:00"})
        t0 = time.time()
        opened = call(port, staff, "POST", f"/api/owner-votes/{vote['id']}/open", {})
        open_ms = round((time.time() - t0) * 1000)
        env = {"XH_VOTE_ID": str(vote["id"]), "XH_TOKENS": token_file, "XH_STAFF_TOKEN": staff, "XH_THREADS": "2"}
        results = {"hello": wrk(port, "hello.lua", args.seconds, args.connections, env)}
        # Half of the owners vote, then the list of those who have not is read.
        half = len(tokens) // 2
        env_half = {**env, "XH_TOKEN_LIMIT": str(half)}
        results["ballots_first_half"] = wrk(port, "owner_ballot.lua", 30, args.connections, env_half)
        results["pending"] = wrk(port, "owner_pending.lua", args.seconds, args.connections, env)
        results["ballots_second_half"] = wrk(port, "owner_ballot.lua", 30, args.connections,
                                             {**env, "XH_TOKEN_FIRST": str(half + 1)})
        results["tally"] = wrk(port, "owner_tally.lua", args.seconds, args.connections, env)
        final = call(port, staff, "GET", f"/api/owner-votes/{vote['id']}")
        # The server's own rate of durable ballots: wrk's run lasts its whole duration, so its
        # requests/s would count the idle time after the last owner voted.
        db = sqlite3.connect(db_path)
        for name, first, last in (("ballots_first_half", 1, half), ("ballots_second_half", half + 1, len(tokens))):
            n, t0_ms, t1_ms = db.execute(
                "SELECT COUNT(*), MIN(b.cast_at), MAX(b.cast_at) FROM owner_ballots b JOIN users u ON u.id = b.cast_by "
                "WHERE b.vote_id = ? AND CAST(SUBSTR(u.username, 6) AS INTEGER) BETWEEN ? AND ?",
                (vote["id"], first, last)).fetchone()
            results[name]["ballots_per_s"] = round(n / max(1e-3, (t1_ms - t0_ms) / 1000))
        db.close()
        hello = results["hello"]["rps"]
        for r in results.values():
            r["x_hello"] = round(r["rps"] / hello, 3) if hello else None
        out = {
            "units": args.units,
            "roll": opened["roll"],
            "open_ms": open_ms,
            "voted_owners": final["participating"]["owners"],
            "fsyncs_per_s": fsync_rate(data_dir),
            "results": results,
            "machine": machine(),
        }
        print(json.dumps(out, ensure_ascii=False))
        for name, r in results.items():
            print(f"{name:20} {r['rps']:>7} req/s ({r['x_hello']} × /hello)  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
                  f"{r['statuses']} {('ballots/s ' + str(r['ballots_per_s'])) if 'ballots_per_s' in r else ''}", file=sys.stderr)
        print(f"opened (roll frozen) in {open_ms} ms; owners voted: {out['voted_owners']} of {args.units}", file=sys.stderr)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
