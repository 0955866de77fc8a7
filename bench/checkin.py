#!/usr/bin/env python3
"""Check-in at a festival-sized activity (VOL-2): 1,000 volunteers check in within a minute.

Loads the demo street into a fresh database (SQLite; PostgreSQL with --engine
postgresql) and adds N confirmed volunteers of 泉星社区 (default 1,000): an
account each with the role volunteer over the community, its volunteers row
(confirmed) and an API token, written straight into the database before the
server starts, as bench/owner_vote.py does, because 1,000 sign-ins would
measure password hashing rather than checking in. It then starts
`xinghuo serve` and, as the demo community administrator, makes an activity of
义工奶奶队 at 泉星社区, open to all, for N, of 60 minutes, starting two to three
minutes later (check-in opens 30 minutes before the start), and runs wrk,
2 threads, 64 connections:

  hello       GET /hello (the ratio's base)
  signups     POST /api/activities/{id}/signups {starts_at}, each request another
              volunteer's token (durable), until all N have signed up; then /hello
  checkins    POST /api/activity-occurrences/{occ}/check {code, direction: in}
              with the leader's code read just before (GET …/code, good for at
              least 30 s), each request another volunteer's (durable), until all
              N have checked in; then /hello
  duplicates  at once, with a fresh code, every volunteer scans again, twice,
              back to back on two connections: each answer must be 200
              {result: "already"}

Counted once: exactly N hold a place; after the check-ins exactly N are
checked in, each answered "counted" once; the duplicates change no row and
emit no event. The rates are the server's own (the rows' created_at and
checked_in_at): wrk's run lasts its whole duration, so its requests/s would
count the /hello after the last volunteer. For the same reason the scans'
own latencies are timed in the Lua (`own_*`); wrk's p50/p99 include /hello.

Usage: bench/checkin.py [--volunteers 1000] [--seconds 10] [--engine sqlite|postgresql]
Prints a JSON line of results (and a summary on stderr); exits 1 if anything
was not counted exactly once.
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import free_port, fsync_rate, machine  # noqa: E402  (the benchmark's own helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("XH_BINARY", os.path.join(ROOT, "build", "xinghuo"))
BENCH = os.path.join(ROOT, "bench")
SCENARIOS = os.path.join(BENCH, "scenarios")
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
PG_DATABASE = "xh_bench_checkin"
QUIET_PG = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}


class Db:
    """The benchmark's own reads and writes, beside the server: SQLite through
    sqlite3, PostgreSQL through psql. The SQL carries its values inline (numbers
    and texts this script made), the same text for both engines."""

    def __init__(self, uri):
        self.uri = uri
        self.sqlite = uri[len("sqlite:"):] if uri.startswith("sqlite:") else None

    def rows(self, sql):
        if self.sqlite:
            db = sqlite3.connect(self.sqlite)
            try:
                return [tuple(r) for r in db.execute(sql).fetchall()]
            finally:
                db.close()
        out = subprocess.run(["psql", self.uri, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                              "-c", sql], check=True, text=True, capture_output=True).stdout
        return [tuple(None if v == "" else int(v) if v.lstrip("-").isdigit() else v for v in line.split("\t"))
                for line in out.splitlines() if line]

    def one(self, sql):
        return self.rows(sql)[0]

    def script(self, statements):
        """Runs the statements in one transaction."""
        if self.sqlite:
            db = sqlite3.connect(self.sqlite)
            try:
                db.executescript("BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;")
            finally:
                db.close()
        else:
            subprocess.run(["psql", self.uri, "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", "-"],
                           input=";\n".join(statements) + ";\n", check=True, text=True, capture_output=True)


def add_volunteers(db, n):
    """N accounts (role volunteer over NC-QX), each a confirmed volunteer of 泉星社区 with a
    token; the staff token. Returns the community, [(token, volunteer id)] and the staff token."""
    now = int(time.time() * 1000)
    community, community_path = db.one("SELECT id, path FROM places WHERE code = 'NC-QX'")
    password_hash = db.one("SELECT password_hash FROM users WHERE username = 'resident'")[0]
    tokens = [f"bench-volunteer-{i}-" + hashlib.sha256(f"v{i}".encode()).hexdigest()[:16] for i in range(1, n + 1)]
    statements = []
    for first in range(1, n + 1, 200):
        chunk = range(first, min(n, first + 199) + 1)
        statements.append(
            "INSERT INTO users (username, display_name, password_hash, password_changed_at, created_at, "
            "updated_at) VALUES " + ", ".join(f"('checkin{i}', '签到志愿者{i}', '{password_hash}', {now}, {now}, {now})"
                                             for i in chunk))
        statements.append(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) SELECT u.id, 'bench', "
            f"t.column2, {now}, {now + 86400000} FROM (VALUES "
            + ", ".join(f"('checkin{i}', '{hashlib.sha256(tokens[i - 1].encode()).hexdigest()}')" for i in chunk)
            + ") AS t JOIN users u ON u.username = t.column1")
    mine = "SELECT id FROM users WHERE username LIKE 'checkin%' ORDER BY id"
    statements.append(f"INSERT INTO role_assignments (user_id, role, place_id, granted_at) "
                      f"SELECT id, 'volunteer', {community}, {now} FROM ({mine}) AS u")
    statements.append(f"INSERT INTO volunteers (user_id, community_id, path, status, created_at, updated_at) "
                      f"SELECT id, {community}, '{community_path}', 'confirmed', {now}, {now} FROM ({mine}) AS u")
    staff_token = "bench-staff-" + hashlib.sha256(b"staff").hexdigest()[:16]
    statements.append("INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) SELECT id, "
                      f"'bench', '{hashlib.sha256(staff_token.encode()).hexdigest()}', {now}, {now + 86400000} "
                      "FROM users WHERE username = 'community_admin'")
    db.script(statements)
    ids = dict(db.rows("SELECT u.username, v.id FROM volunteers v JOIN users u ON u.id = v.user_id "
                       "WHERE u.username LIKE 'checkin%'"))
    return community, [(tokens[i - 1], ids[f"checkin{i}"]) for i in range(1, n + 1)], staff_token


def call(port, token, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}") from None


def wrk(port, script, seconds, connections, env):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                          os.path.join(SCENARIOS, script), f"http://127.0.0.1:{port}/"],
                         check=True, text=True, capture_output=True,
                         env={**os.environ, "XH_BENCH_DIR": BENCH, "XH_THREADS": "2", **env}).stdout
    rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))

    def pct(label):
        for line in out.splitlines():
            parts = line.split()
            if parts and parts[0] == label:
                v = parts[1]
                return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
        return None
    r = {"rps": round(rps), "p50_ms": pct("50%"), "p99_ms": pct("99%")}
    statuses, tally = {}, {}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("status "):
            statuses[parts[1]] = int(parts[2])
        elif line.startswith("tally "):
            tally[parts[1]] = int(parts[2])
        elif line.startswith("own "):
            r.update(own_n=int(parts[1]), own_p50_ms=float(parts[2]), own_p99_ms=float(parts[3]),
                     own_max_ms=float(parts[4]))
        elif line.strip().startswith("Socket errors:"):
            r["socket_errors"] = line.strip()[len("Socket errors: "):]
    r["statuses"] = statuses
    if tally or script != "hello.lua":
        r["tally"] = tally
    return r


def snapshot(db, occurrence):
    return db.rows("SELECT id, volunteer_id, status, checked_in_at, checked_in_by, updated_at FROM activity_signups "
                   f"WHERE occurrence_id = {occurrence} ORDER BY id")


def checked_in_events(db, occurrence):
    return db.one(f"SELECT COUNT(*) FROM live_events WHERE topic = 'activity_occurrence:{occurrence}' "
                  "AND data LIKE '%\"checked_in\"%'")[0]


def per_second(n, first_ms, last_ms):
    return round(n / max(1e-3, (last_ms - first_ms) / 1000)) if n else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--volunteers", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=10, help="each of the hello, check-in and duplicates runs")
    ap.add_argument("--signup-seconds", type=int, default=30)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg", default=os.environ.get("XH_TEST_PG_URI", ""), help="PostgreSQL base URI")
    args = ap.parse_args()
    if not 1 <= args.volunteers <= 5000:
        ap.error("--volunteers: 1 to 5,000 (an activity's capacity)")
    if args.seconds > 25:
        ap.error("--seconds: at most 25, while the code read before the run is still taken")
    if args.engine == "postgresql" and not args.pg:
        ap.error("PostgreSQL needs --pg or XH_TEST_PG_URI (scripts/pg.sh start prints one)")
    n = args.volunteers
    data_dir = tempfile.mkdtemp(prefix="xh-checkin-bench-")
    if args.engine == "sqlite":
        uri = f"sqlite:{os.path.join(data_dir, 'xinghuo.db')}"
    else:
        subprocess.run(["psql", args.pg, "-X", "-qc", f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"],
                       check=True, env=QUIET_PG)
        subprocess.run(["psql", args.pg, "-X", "-qc", f"CREATE DATABASE {PG_DATABASE}"], check=True, env=QUIET_PG)
        uri = args.pg.rsplit("/", 1)[0] + "/" + PG_DATABASE
    db = Db(uri)
    server = None
    try:
        subprocess.run([BINARY, "demo", "--db", uri, "--data-dir", data_dir], check=True, capture_output=True)
        community, volunteers, staff = add_volunteers(db, n)
        token_file = os.path.join(data_dir, "tokens.txt")
        with open(token_file, "w") as f:
            f.write("".join(f"{token} {volunteer}\n" for token, volunteer in volunteers))
        port = free_port()
        server = subprocess.Popen([BINARY, "serve", "--db", uri, "--data-dir", data_dir, "--port",
                                   str(port), "--access-log", "off"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        results = {"hello": wrk(port, "hello.lua", args.seconds, args.connections, {})}

        # The activity, made now so that the sign-ups end before it starts.
        team = next(t["id"] for t in call(port, staff, "GET", "/api/volunteer-teams?limit=100")["items"]
                    if t["name"] == "义工奶奶队")
        start = datetime.datetime.fromtimestamp(math.ceil((time.time() + 120) / 60) * 60, BEIJING)
        activity = call(port, staff, "POST", "/api/activities", {
            "team_id": team, "title": "泉星社区邻里节志愿服务", "place_id": community,
            "first_date": start.strftime("%Y-%m-%d"), "times": [start.strftime("%H:%M")],
            "duration_minutes": 60, "capacity": n, "open_to_all": True, "cancel_cutoff_minutes": 0})
        starts_at = start.isoformat()
        env = {"XH_TOKENS": token_file, "XH_ACTIVITY_ID": str(activity["id"]), "XH_STARTS_AT": starts_at}
        results["signups"] = wrk(port, "checkin_signup.lua", args.signup_seconds, args.connections, env)
        occurrence = next(o["occurrence_id"] for o in call(port, staff, "GET", f"/api/activities/{activity['id']}")
                          ["occurrences"] if o["occurrence_id"])
        problems = []
        by_status = dict(db.rows(f"SELECT status, COUNT(*) FROM activity_signups WHERE occurrence_id = {occurrence} "
                                 "GROUP BY status"))
        occ_signed = db.one(f"SELECT signed FROM activity_occurrences WHERE id = {occurrence}")[0]
        if by_status != {"signed": n} or occ_signed != n:
            problems.append(f"sign-ups: {by_status}, occurrence.signed {occ_signed}, expected {n} signed")
        signups, t0, t1 = db.one(f"SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM activity_signups "
                                 f"WHERE occurrence_id = {occurrence}")
        results["signups"]["signups_per_s"] = per_second(signups, t0, t1)

        # The check-ins, with the leader's code of this moment.
        env = {"XH_TOKENS": token_file, "XH_OCCURRENCE_ID": str(occurrence)}
        code = call(port, staff, "GET", f"/api/activity-occurrences/{occurrence}/code")["code"]
        results["checkins"] = wrk(port, "checkin_check.lua", args.seconds, args.connections, {**env, "XH_CODE": code})
        checked, t0, t1 = db.one("SELECT COUNT(*), MIN(checked_in_at), MAX(checked_in_at) FROM activity_signups "
                                 f"WHERE occurrence_id = {occurrence} AND checked_in_at IS NOT NULL")
        results["checkins"]["checkins_per_s"] = per_second(checked, t0, t1)
        span_s = round((t1 - t0) / 1000, 3) if checked else None
        tally = results["checkins"]["tally"]
        if checked != n or tally != {"counted": n}:
            problems.append(f"check-ins: {checked} checked in, answers {tally}, expected {n} counted")
        before, events = snapshot(db, occurrence), checked_in_events(db, occurrence)
        if events != n:
            problems.append(f"check-ins: {events} checked_in events, expected {n}")

        # Every volunteer again, twice at once, with a fresh code: nothing changes.
        code = call(port, staff, "GET", f"/api/activity-occurrences/{occurrence}/code")["code"]
        results["duplicates"] = wrk(port, "checkin_check.lua", args.seconds, args.connections,
                                    {**env, "XH_CODE": code, "XH_REPEAT": "2"})
        tally = results["duplicates"]["tally"]
        if tally != {"already": 2 * n}:
            problems.append(f"duplicates: answers {tally}, expected {2 * n} already")
        after = snapshot(db, occurrence)
        changed = sum(1 for a, b in zip(before, after) if a != b) + abs(len(before) - len(after))
        if changed:
            problems.append(f"duplicates: {changed} sign-up rows changed")
        checked_after, distinct = db.one("SELECT COUNT(*), COUNT(DISTINCT volunteer_id) FROM activity_signups "
                                         f"WHERE occurrence_id = {occurrence} AND checked_in_at IS NOT NULL")
        if checked_after != n or distinct != n:
            problems.append(f"duplicates: {checked_after} checked in ({distinct} volunteers), expected {n}")
        if checked_in_events(db, occurrence) != events:
            problems.append("duplicates: checked_in events emitted")
        view = call(port, staff, "GET", f"/api/activity-occurrences/{occurrence}")
        shown = sum(1 for s in view["signups"] if s["checked_in_at"])
        if shown != n:
            problems.append(f"the leader's list shows {shown} checked in, expected {n}")

        hello = results["hello"]["rps"]
        for r in results.values():
            r["x_hello"] = round(r["rps"] / hello, 3) if hello else None
        out = {
            "engine": args.engine,
            "volunteers": n,
            "starts_at": starts_at,
            "signed": by_status.get("signed", 0),
            "checked_in": checked_after,
            "checkin_span_s": span_s,
            "within_minute": span_s is not None and checked == n and span_s <= 60,
            "counted_once": not problems,
            "problems": problems,
            "fsyncs_per_s": fsync_rate(data_dir),
            "results": results,
            "machine": machine(),
        }
        print(json.dumps(out, ensure_ascii=False))
        for name, r in results.items():
            own = (f"  own p50 {r['own_p50_ms']} ms p99 {r['own_p99_ms']} ms max {r['own_max_ms']} ms"
                   if "own_n" in r else "")
            rate = "".join(f"  {k.replace('_per_s', '')}/s {r[k]}" for k in ("signups_per_s", "checkins_per_s") if k in r)
            print(f"{name:11} {r['rps']:>7} req/s ({r['x_hello']} × /hello)  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
                  f"{r['statuses']} {r.get('tally', '')}{rate}{own}", file=sys.stderr)
        print(f"{args.engine}: {out['signed']} of {n} signed up; {checked_after} checked in, the first to the last in "
              f"{span_s} s; {'counted once' if not problems else 'NOT counted once: ' + '; '.join(problems)}",
              file=sys.stderr)
        if problems:
            sys.exit(1)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)
        if args.engine == "postgresql":
            subprocess.run(["psql", args.pg, "-X", "-qc", f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"],
                           env=QUIET_PG)


if __name__ == "__main__":
    main()
