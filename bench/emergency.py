#!/usr/bin/env python3
"""A city-wide flood warning (GRD-3): level II declared for every street at city
scale, then raised to level I, and the situation board under load.

Generates the city (`xinghuo gen --streets 40`, about 72 risk points a
street: one at each compound, ~2,900 in all) into a fresh temporary directory
(SQLite; PostgreSQL with --engine postgresql, in a database of its own made
in the server given by --pg or XH_TEST_PG_URI and dropped afterwards).
`xinghuo gen` makes one street administrator, bench_street, for street 1
only, so the script adds one for each other street (bench_street_2 …
bench_street_40, bench_street's password, the role street_admin over that
street), written straight into the database before the server starts, as
bench/checkin.py and bench/owner_vote.py write their accounts. It then
starts `xinghuo serve` on a free port, logs in as each street's
administrator (cookie and CSRF token, as bench/run.py does) and:

  declare     POST /api/emergencies {hazard: flood, level: 2, place_id: street,
              reason}, each street's as its administrator, one after another
              (--parallel N: N at a time); the whole timed, the answers'
              tasks_created summed, the rows of emergency_tasks counted
  raise       POST /api/emergencies/{id}/level {level: 1, reason}, each the
              same way: tasks created and cancelled, per second
  hello       GET /hello (the ratio's base), wrk as bench/run.py runs it
              (-t1 -c64 -d10s --latency)
  board       GET /api/emergencies/{id}/board of street 1's emergency as
              bench_street, the same wrk
  hello_after GET /hello again, to show how much the shared machine drifted

The task counts are checked against the frequency table (patrol_frequencies:
the street's own rows for the hazard, else the defaults of street 0): level
II patrols every kind of risk point, so declaring it makes one open task per
active risk point; level I patrols every kind at another pace, so raising
cancels each open task and makes a new one. Afterwards no risk point may
hold more than one open task.

Usage: bench/emergency.py [--streets 40] [--seconds 10] [--connections 64]
                          [--parallel 1] [--engine sqlite|postgresql] [--keep]
The server binary is $XH_BINARY (default build/xinghuo). Prints a JSON line of
results (and a summary on stderr); exits 1 if a task count does not match what
the frequency table implies or the board answers with errors. --keep leaves
the data directory (and the PostgreSQL database) for profiling.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkin import Db  # noqa: E402  (SQLite through sqlite3, PostgreSQL through psql)
from run import free_port, fsync_rate, hwm_kib, machine  # noqa: E402  (the benchmark's own helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("XH_BINARY", os.path.join(ROOT, "build", "xinghuo"))
BENCH = os.path.join(ROOT, "bench")
PASSWORD = "Bench@2026"
HAZARD = "flood"
QUIET_PG = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}

BOARD_LUA = """-- The situation board of one emergency, as its street's administrator
-- (written by bench/emergency.py).
wrk.headers["Cookie"] = "xh_session=" .. os.getenv("XH_SESSION")
wrk.headers["Accept"] = "application/json"
wrk.path = "/api/emergencies/" .. os.getenv("XH_EMERGENCY_ID") .. "/board"
"""


def add_street_admins(db, streets):
    """bench_street_<n> for each street after the first, street_admin over it."""
    now = int(time.time() * 1000)
    statements = []
    for n, (street_id, _) in enumerate(streets, start=1):
        if n == 1:
            continue
        statements.append(
            "INSERT INTO users (username, display_name, password_hash, password_changed_at, created_at, updated_at) "
            f"SELECT 'bench_street_{n}', '压测街道管理员{n}', password_hash, {now}, {now}, {now} FROM users "
            "WHERE username = 'bench_street'")
        statements.append(
            "INSERT INTO role_assignments (user_id, role, place_id, granted_at) "
            f"SELECT id, 'street_admin', {street_id}, {now} FROM users WHERE username = 'bench_street_{n}'")
    if statements:
        db.script(statements)
    return ["bench_street"] + [f"bench_street_{n}" for n in range(2, len(streets) + 1)]


class Client:
    """One login's session: cookie and CSRF token."""

    def __init__(self, port, username):
        self.port = port
        req = urllib.request.Request(self.url("/api/auth/login"), method="POST",
                                     data=json.dumps({"username": username, "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            self.session = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
            self.csrf = json.load(r)["csrf_token"]

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.url(path), method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Cookie": f"xh_session={self.session}", "X-CSRF-Token": self.csrf,
                                              "Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=600) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}") from None


def timed_calls(jobs, parallel):
    """Runs [(client, method, path, body)] `parallel` at a time; returns the answers, each call's
    seconds and the whole's seconds."""
    def one(job):
        client, method, path, body = job
        t0 = time.perf_counter()
        answer = client.call(method, path, body)
        return answer, time.perf_counter() - t0

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=parallel) as pool:
        done = list(pool.map(one, jobs))
    total = time.perf_counter() - start
    return [a for a, _ in done], [s for _, s in done], total


def expected_tasks(db, streets):
    """What the frequency table implies, street by street: the tasks that declaring level II
    creates, and the tasks that raising it to level I creates and cancels."""
    freq = {}
    for street_id, level, kind, every in db.rows(
            f"SELECT street_id, level, kind, every_hours FROM patrol_frequencies WHERE hazard = '{HAZARD}'"):
        freq.setdefault(int(street_id), {}).setdefault(int(level), {})[kind] = int(every)

    def table(street_id, level):
        own = freq.get(street_id)
        return (own if own else freq.get(0, {})).get(level, {})

    points = {}
    for (path, kind) in db.rows("SELECT path, kind FROM risk_points WHERE active = 1"):
        street = int(path.strip("/").split("/")[0])
        points.setdefault(street, []).append(kind)
    out = {}
    for street_id, _ in streets:
        two, one = table(street_id, 2), table(street_id, 1)
        kinds = points.get(street_id, [])
        out[street_id] = {
            "points": len(kinds),
            "declare_created": sum(1 for k in kinds if k in two),
            "raise_created": sum(1 for k in kinds if k in one and two.get(k) != one[k]),
            "raise_cancelled": sum(1 for k in kinds if k in two and one.get(k) != two[k]),
            "open_after": sum(1 for k in kinds if k in one),
            "kinds_patrolled_at_2": len(two),
        }
    return out


def wrk(port, script, seconds, connections, env):
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script,
                          f"http://127.0.0.1:{port}/"],
                         check=True, text=True, capture_output=True,
                         env={**os.environ, "XH_BENCH_DIR": BENCH, **env}).stdout

    def latency(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return None
        value, unit = float(m.group(1)), m.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 3)

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(g) for g in sock.groups()) if sock else 0)
    return {"rps": round(rps), "p50_ms": latency(50), "p99_ms": latency(99), "requests": total, "errors": errors}


def load_average():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--streets", type=int, default=40)
    ap.add_argument("--seconds", type=int, default=10, help="each wrk run (as bench/run.py)")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--parallel", type=int, default=1, help="declarations (and raises) in flight at once")
    ap.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg", default=os.environ.get("XH_TEST_PG_URI", ""), help="PostgreSQL base URI")
    ap.add_argument("--keep", action="store_true", help="keep the data directory (and database) afterwards")
    args = ap.parse_args()
    if args.engine == "postgresql" and not args.pg:
        ap.error("PostgreSQL needs --pg or XH_TEST_PG_URI (scripts/pg.sh start prints one)")
    data_dir = tempfile.mkdtemp(prefix="xh-emergency-bench-")
    pg_database = None
    if args.engine == "sqlite":
        uri = f"sqlite:{os.path.join(data_dir, 'xinghuo.db')}"
    else:
        # A database of our own, never another's.
        pg_database = f"xh_bench_emergency_{os.getpid()}"
        subprocess.run(["psql", args.pg, "-X", "-qc", f"CREATE DATABASE {pg_database}"], check=True, env=QUIET_PG)
        uri = args.pg.rsplit("/", 1)[0] + "/" + pg_database
    db = Db(uri)
    server = None
    problems = []
    try:
        t0 = time.time()
        gen_out = subprocess.run([BINARY, "gen", "--streets", str(args.streets), "--db", uri, "--data-dir", data_dir],
                                 check=True, text=True, capture_output=True).stdout
        gen_seconds = round(time.time() - t0, 1)
        streets = [(int(i), name) for i, name in db.rows("SELECT id, name FROM places WHERE kind = 'street' ORDER BY id")]
        if len(streets) != args.streets:
            raise RuntimeError(f"{len(streets)} streets generated, expected {args.streets}")
        usernames = add_street_admins(db, streets)
        expected = expected_tasks(db, streets)
        risk_points = sum(e["points"] for e in expected.values())

        port = free_port()
        server = subprocess.Popen([BINARY, "serve", "--db", uri, "--data-dir", data_dir, "--port", str(port),
                                   "--access-log", "off"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                if server.poll() is not None:
                    raise RuntimeError(f"the server exited ({server.returncode})")
                time.sleep(0.1)
        clients = [Client(port, u) for u in usernames]

        # Level II for every street.
        load_before = load_average()
        jobs = [(c, "POST", "/api/emergencies",
                 {"hazard": HAZARD, "level": 2, "place_id": street_id, "reason": f"全市防汛II级应急响应（压测）{name}"})
                for c, (street_id, name) in zip(clients, streets)]
        answers, each, total = timed_calls(jobs, args.parallel)
        declared = {street_id: a for (street_id, _), a in zip(streets, answers)}
        created = sum(a["tasks_created"] for a in answers)
        rows = db.one("SELECT COUNT(*) FROM emergency_tasks")[0]
        by_status = {s: int(n) for s, n in db.rows("SELECT status, COUNT(*) FROM emergency_tasks GROUP BY status")}
        want = sum(e["declare_created"] for e in expected.values())
        for street_id, _ in streets:
            got, should = declared[street_id]["tasks_created"], expected[street_id]["declare_created"]
            if got != should:
                problems.append(f"declare street {street_id}: {got} tasks created, the table implies {should}")
        if rows != want or created != want or by_status != {"open": want}:
            problems.append(f"declare: answers say {created} created, emergency_tasks holds {rows} {by_status}; "
                            f"the table implies {want} open (one per risk point: level II patrols every kind)")
        declare = {
            "emergencies": len(answers),
            "tasks_created": created,
            "task_rows": rows,
            "expected": want,
            "called_up": sum(a.get("called_up", 0) for a in answers),
            "seconds": round(total, 3),
            "tasks_per_s": round(created / total) if total else None,
            "per_declaration_ms": {"min": round(min(each) * 1000, 1), "median": round(statistics.median(each) * 1000, 1),
                                   "max": round(max(each) * 1000, 1)},
            "load_average_before": load_before,
        }

        # Raised to level I.
        load_before = load_average()
        jobs = [(c, "POST", f"/api/emergencies/{declared[street_id]['id']}/level",
                 {"level": 1, "reason": f"雨情加剧，提升至I级（压测）{name}"})
                for c, (street_id, name) in zip(clients, streets)]
        answers, each, total = timed_calls(jobs, args.parallel)
        r_created = sum(a["tasks_created"] for a in answers)
        r_cancelled = sum(a["tasks_cancelled"] for a in answers)
        for (street_id, _), a in zip(streets, answers):
            e = expected[street_id]
            if (a["tasks_created"], a["tasks_cancelled"]) != (e["raise_created"], e["raise_cancelled"]):
                problems.append(f"raise street {street_id}: {a['tasks_created']} created, {a['tasks_cancelled']} "
                                f"cancelled; the table implies {e['raise_created']} and {e['raise_cancelled']}")
        rows_after = db.one("SELECT COUNT(*) FROM emergency_tasks")[0]
        by_status_after = {s: int(n) for s, n in db.rows("SELECT status, COUNT(*) FROM emergency_tasks GROUP BY status")}
        want_created = sum(e["raise_created"] for e in expected.values())
        want_cancelled = sum(e["raise_cancelled"] for e in expected.values())
        want_open = sum(e["open_after"] for e in expected.values())
        want_status = {k: v for k, v in {"open": want_open, "cancelled": want_cancelled}.items() if v}
        if r_created != want_created or r_cancelled != want_cancelled or rows_after != want + want_created \
                or by_status_after != want_status:
            problems.append(f"raise: answers say {r_created} created, {r_cancelled} cancelled; emergency_tasks holds "
                            f"{rows_after} {by_status_after}; the table implies {want_created} created, "
                            f"{want_cancelled} cancelled, {want_open} open")
        doubled = db.one("SELECT COUNT(*) FROM (SELECT emergency_id, risk_point_id FROM emergency_tasks WHERE "
                         "status = 'open' GROUP BY emergency_id, risk_point_id HAVING COUNT(*) > 1) AS d")[0]
        if doubled:
            problems.append(f"{doubled} risk points hold more than one open task")
        raise_ = {
            "emergencies": len(answers),
            "tasks_created": r_created,
            "tasks_cancelled": r_cancelled,
            "task_rows": rows_after,
            "by_status": by_status_after,
            "seconds": round(total, 3),
            "tasks_per_s": round((r_created + r_cancelled) / total) if total else None,
            "per_raise_ms": {"min": round(min(each) * 1000, 1), "median": round(statistics.median(each) * 1000, 1),
                             "max": round(max(each) * 1000, 1)},
            "load_average_before": load_before,
        }

        # The board of street 1's emergency, as bench_street.
        first_id = declared[streets[0][0]]["id"]
        t0 = time.perf_counter()
        board = clients[0].call("GET", f"/api/emergencies/{first_id}/board")
        one_board_ms = round((time.perf_counter() - t0) * 1000, 1)
        board_shape = {"points": len(board["points"]), "tasks": board["tasks"],
                       "supplies": len(board["supplies"]), "reports": board["reports"]["total"],
                       "bytes": len(json.dumps(board, ensure_ascii=False).encode()), "single_request_ms": one_board_ms}
        board_lua = os.path.join(data_dir, "emergency_board.lua")
        with open(board_lua, "w") as f:
            f.write(BOARD_LUA)
        env = {"XH_SESSION": clients[0].session, "XH_EMERGENCY_ID": str(first_id)}
        hello_lua = os.path.join(BENCH, "scenarios", "hello.lua")
        results = {"hello": wrk(port, hello_lua, args.seconds, args.connections, env)}
        results["board"] = wrk(port, board_lua, args.seconds, args.connections, env)
        results["hello_after"] = wrk(port, hello_lua, args.seconds, args.connections, env)
        if results["board"]["errors"]:
            problems.append(f"board: {results['board']['errors']} errors under load")
        hello = results["hello"]["rps"]
        for r in results.values():
            r["ratio_to_hello"] = round(r["rps"] / hello, 3) if hello else None
        ratio = results["board"]["ratio_to_hello"]

        out = {
            "engine": args.engine,
            "streets": args.streets,
            "risk_points": risk_points,
            "gen_seconds": gen_seconds,
            "declare": declare,
            "raise": raise_,
            "board_shape": board_shape,
            "wrk": f"wrk -t1 -c{args.connections} -d{args.seconds}s --latency",
            "results": results,
            "board_ratio_to_hello": ratio,
            "board_meets_10pct": ratio is not None and ratio >= 0.10,
            "counts_match": not problems,
            "problems": problems,
            "peak_rss_mib": round(hwm_kib(server.pid) / 1024, 1),  # the server's, over the whole run
            "load_average_end": load_average(),
            "fsyncs_per_s": fsync_rate(data_dir),
            "parallel": args.parallel,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": machine(),
        }
        print(json.dumps(out, ensure_ascii=False), flush=True)
        gen_line = next((line for line in gen_out.splitlines() if "risk points" in line), "").strip()
        print(f"generated {args.streets} streets in {gen_seconds} s: {gen_line}", file=sys.stderr)
        print(f"declare level II × {declare['emergencies']}: {created} tasks in {declare['seconds']} s = "
              f"{declare['tasks_per_s']} tasks/s (each {declare['per_declaration_ms']} ms); "
              f"emergency_tasks holds {rows}, the table implies {want}", file=sys.stderr)
        print(f"raise to level I × {raise_['emergencies']}: {r_created} created + {r_cancelled} cancelled in "
              f"{raise_['seconds']} s = {raise_['tasks_per_s']} tasks/s (each {raise_['per_raise_ms']} ms); "
              f"emergency_tasks {rows_after} {by_status_after}", file=sys.stderr)
        for name, r in results.items():
            print(f"{name:12} {r['rps']:>7} req/s ({r['ratio_to_hello']} × /hello)  p50 {r['p50_ms']} ms  "
                  f"p99 {r['p99_ms']} ms  errors {r['errors']}", file=sys.stderr)
        print(f"board: {board_shape['points']} points, {board_shape['bytes']} bytes; "
              f"{'meets' if out['board_meets_10pct'] else 'MISSES'} 10 % of /hello ({ratio}); "
              f"{'counts match' if not problems else 'PROBLEMS: ' + '; '.join(problems)}", file=sys.stderr)
        if args.keep:
            print(f"kept: {uri} (data directory {data_dir})", file=sys.stderr)
        if problems:
            sys.exit(1)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=60)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if pg_database:
                subprocess.run(["psql", args.pg, "-X", "-qc", f"DROP DATABASE IF EXISTS {pg_database} WITH (FORCE)"],
                               env=QUIET_PG)


if __name__ == "__main__":
    main()
