#!/usr/bin/env python3
"""The festival rush (EVT): 1,000 check-ins and 3,000 station scores within 5
minutes across 5 stations, all recorded once, the p99 latency recorded.

Starts `xinghuo serve --demo` on a free port with a fresh temporary data
directory (SQLite; PostgreSQL with --engine postgresql, in a database of its
own made in the server given by --pg or XH_TEST_PG_URI and dropped
afterwards). As the demo's street administrator (street_admin, cookie and
CSRF token) it makes a published festival of 南村街道 (NC) with one date
running now at 泉星社区 (NC-QX), capacity 2,000, and five stations:

  耐力挑战 count · 柔韧挑战 pass · 平衡掌控 duration   required (the card)
  力量挑战 points · 敏捷挑战 time                      not required

Each participant is scored at 3 of the 5 stations: the ten sets of three in
turn, so every station scores 600 of the 1,000 and every set is held by 100.
Only one set is the required three, so exactly 100 cards complete (and the
other 900 must not): the completion is counted as well as the scores.

Registering 1,000 residents on the phone would need 1,000 accounts and would
make them walk-ins (checked in already), so the 1,000 tickets are written
straight into event_registrations (status registered, a random code each of
16 upper-case hex digits, as the server makes them since f7616c8 and as the
earlier builds' exact match finds them too; one in three consents to its name
on the leaderboards) and event_dates.taken is raised by 1,000, as the other
scripts write their accounts.

The rush, from keep-alive HTTP connections, one a thread, each its own login
(the demo's community_admin and street_admin, who may both check in and score):

  desks      2 threads: POST /api/event-dates/{date}/check-ins {code, direction: in},
             each participant at its desk (alternately), 1,000 in all
  stations   5 threads, one an operator: POST /api/event-stations/{id}/scores
             {code, value | passed}, 3,000 in all; a participant's stations
             come only after its check-in has been answered
  screens    --screens threads (default 5), one a station, polling
             GET /api/event-stations/{id}/leaderboard?date_id= every
             --screen-interval seconds (2), as the room screens do

Paced (--seconds, default 300; 60 for a quick run): each participant arrives
at a random moment of the first 70 % of the window and visits its three
stations, in a random order, 0.06–0.1 of the window apart, so check-ins and
scores interleave and the last score falls due within the window. A thread
that falls behind its schedule sends at once (its lag is reported). Then the
same again, unpaced, on a second festival made the same way (every thread as
fast as it goes; the stations still wait for each participant's check-in),
for the headroom in requests/s.

Every request's latency is recorded, by kind: p50/p95/p99/max. Afterwards,
for each festival, in the database: exactly 1,000 tickets checked in (each
by somebody), event_dates.taken and .checked_in 1,000, exactly 3,000 rows in
event_scores (600 a station) holding exactly the values sent, no (station,
ticket) twice, the completed cards exactly the 100 expected (and the answers
said just_completed exactly 100 times), exactly 3,000 audit entries
(event.score) appended during the rush and nothing else, one event.scored
live event a score at each station, `xinghuo audit verify` passing, and the
paced rush done within its window. The server's CPU time over each rush and
the load average (sampled every 5 s) are reported beside the latencies: the
machine may be shared.
Then 50 random tickets of the first festival are scanned again at the desk
(each must answer 200 result "already") and scored again at one of their
stations (each must answer 409 event.already_scored), and their rows, the
date's counts, the scores, the audit chain and live_events must be unchanged.

Last, wrk as bench/run.py runs it (-t1 -c64 -d10s --latency): GET /hello (the
ratio's base), GET /api/event-stations/{id}/leaderboard?date_id= of the first
festival's count station (600 scores) as community_admin, and /hello again.

Usage: bench/festival.py [--participants 1000] [--seconds 300] [--screens 5]
                         [--engine sqlite|postgresql] [--pg URI] [--keep]
The server binary is $XH_BINARY (default build/xinghuo). Prints a JSON line of
results (and a summary on stderr); exits 1 if any count is off or any request
errored. --keep leaves the data directory (and the PostgreSQL database).
"""
import argparse
import datetime
import http.client
import itertools
import json
import math
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkin import Db  # noqa: E402  (SQLite through sqlite3, PostgreSQL through psql)
from run import free_port, fsync_rate, hwm_kib, machine  # noqa: E402  (the benchmark's own helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("XH_BINARY", os.path.join(ROOT, "build", "xinghuo"))
BENCH = os.path.join(ROOT, "bench")
PASSWORD = "Demo@2026"
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
QUIET_PG = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}

# (name, score type, required): the demo festival's five challenges.
STATIONS = [("耐力挑战（登山机）", "count", True), ("柔韧挑战（避障通道）", "pass", True),
            ("平衡掌控（滚动仓）", "duration", True), ("力量挑战（击锤）", "points", False),
            ("敏捷挑战（追灯）", "time", False)]
VISITS = 3  # stations a participant is scored at
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["桂兰", "建国", "秀英", "志强", "丽华", "海燕", "春生", "雅琪", "子涵", "浩然", "淑珍", "国庆",
         "红梅", "晓东", "玉芬", "明轩"]

BOARD_LUA = """-- A station's leaderboard at a date, as a room screen polls it, logged in
-- (written by bench/festival.py).
wrk.headers["Cookie"] = "xh_session=" .. os.getenv("XH_SESSION")
wrk.headers["Accept"] = "application/json"
wrk.path = "/api/event-stations/" .. os.getenv("XH_STATION_ID") .. "/leaderboard?date_id=" .. os.getenv("XH_DATE_ID")
"""


class Session:
    """One login on one keep-alive connection (a thread's own): cookie and CSRF token."""

    def __init__(self, port, username):
        self.port = port
        self.username = username
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.session = self.csrf = None
        self.last_used = time.monotonic()
        status, answer, _, headers = self.call("POST", "/api/auth/login",
                                               {"username": username, "password": PASSWORD}, with_headers=True)
        if status != 200:
            raise RuntimeError(f"login {username}: {status} {answer}")
        self.session = re.search(r"xh_session=([^;,\s]+)", headers.get("Set-Cookie", "")).group(1)
        self.csrf = answer["csrf_token"]

    def call(self, method, path, body=None, with_headers=False):
        """(status, the answer's JSON (or text), seconds from sending to the whole answer read)."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if self.session:
            headers["Cookie"] = f"xh_session={self.session}"
            headers["X-CSRF-Token"] = self.csrf
        if time.monotonic() - self.last_used > 50:
            # The server ends a keep-alive connection after 60 s quiet: a phone would connect anew.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        t0 = time.perf_counter()
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        raw = r.read()
        seconds = time.perf_counter() - t0
        self.last_used = time.monotonic()
        try:
            answer = json.loads(raw) if raw else None
        except ValueError:
            answer = raw.decode(errors="replace")
        if with_headers:
            return r.status, answer, seconds, r.headers
        return r.status, answer, seconds

    def must(self, method, path, body=None, status=(200, 201)):
        """A setup call: on a connection the server closed while idle (keep-alive ends after 60 s
        quiet), once more on a new one; the rush's own calls are never sent twice."""
        try:
            got, answer, _ = self.call(method, path, body)
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            got, answer, _ = self.call(method, path, body)
        if got not in status:
            raise RuntimeError(f"{method} {path} {json.dumps(body, ensure_ascii=False)}: {got} {answer}")
        return answer

    def close(self):
        self.conn.close()


def beijing(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, BEIJING).isoformat(timespec="seconds")


def make_festival(admin, street, community, title, capacity):
    """A published festival of the street with one date at the community, running now, and the
    five stations; returns (event id, date id, [station ids])."""
    now = int(time.time() * 1000)
    event = admin.must("POST", "/api/events", {
        "place_id": street, "kind": "festival", "title": title, "audience": "residents",
        "description": "压测：五项挑战，每人三站（bench/festival.py）",
        "dates": [{"place_id": community, "venue": "泉星花园文化广场", "starts_at": beijing(now - 30 * 60000),
                   "ends_at": beijing(now + 6 * 3600000), "capacity": capacity}]})
    stations = [admin.must("POST", f"/api/events/{event['id']}/stations",
                           {"name": name, "score_type": kind, "required": required})["id"]
                for name, kind, required in STATIONS]
    admin.must("PATCH", f"/api/events/{event['id']}", {"status": "published"})
    dates = admin.must("GET", f"/api/events/{event['id']}")["dates"]
    return event["id"], dates[0]["id"], stations


def add_tickets(db, event_id, date_id, n, rng):
    """N registered tickets of the date, written straight into the database; their codes."""
    now = int(time.time() * 1000)
    path = db.one(f"SELECT path FROM event_dates WHERE id = {date_id}")[0]
    codes, seen = [], set()
    while len(codes) < n:
        code = secrets.token_hex(8).upper()  # 64 random bits as 16 upper-case hex digits, as the server's
        if code not in seen:
            seen.add(code)
            codes.append(code)
    statements = []
    for first in range(0, n, 200):
        rows = []
        for i in range(first, min(n, first + 200)):
            name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
            rows.append(f"({event_id}, {date_id}, '{path}', '{name}', 'registered', {1 if i % 3 == 0 else 0}, "
                        f"'{codes[i]}', {now}, {now})")
        statements.append("INSERT INTO event_registrations (event_id, date_id, path, name, status, public_name, "
                          "code, created_at, updated_at) VALUES " + ", ".join(rows))
    statements.append(f"UPDATE event_dates SET taken = taken + {n} WHERE id = {date_id}")
    db.script(statements)
    return codes


def score_body(kind, rng):
    """A plausible result of the station's type: the body, and value_x100 as the server keeps it."""
    if kind == "pass":
        passed = rng.random() < 0.85
        return {"passed": passed}, 100 if passed else 0
    value = {"count": lambda: rng.randint(20, 140), "duration": lambda: round(rng.uniform(10, 90), 2),
             "points": lambda: rng.randint(150, 990), "time": lambda: round(rng.uniform(8, 25), 2)}[kind]()
    return {"value": value}, round(value * 100)


def make_plan(codes, stations, seconds, rng):
    """Who comes when: [{code, at, visits: [(station index, at, body, value_x100)]}], the ten sets of
    three stations in turn; the times are seconds from the start (used when paced)."""
    sets = list(itertools.combinations(range(len(stations)), VISITS))
    arrivals = sorted(rng.uniform(0, 0.7 * seconds) for _ in codes)
    plan = []
    for i, code in enumerate(codes):
        chosen = list(sets[i % len(sets)])
        rng.shuffle(chosen)
        gap = 0.1 * seconds
        visits = []
        for k, s in enumerate(chosen):
            body, x100 = score_body(STATIONS[s][1], rng)
            visits.append((s, arrivals[i] + (k + 1) * gap * rng.uniform(0.6, 1.0), {"code": code, **body}, x100))
        visits.sort(key=lambda v: v[1])
        plan.append({"code": code, "at": arrivals[i], "visits": visits})
    return plan


def percentiles(xs):
    if not xs:
        return {"n": 0}
    s = sorted(xs)

    def p(q):
        return round(s[max(0, math.ceil(q * len(s)) - 1)] * 1000, 2)
    return {"n": len(s), "p50_ms": p(0.50), "p95_ms": p(0.95), "p99_ms": p(0.99), "max_ms": round(s[-1] * 1000, 2)}


def cpu_seconds(pid):
    """The process's user + system CPU time so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rush(db, server_pid, port, date_id, station_ids, plan, seconds, paced, desk_users, station_users, screens,
         screen_interval):
    """Runs the check-ins and scores of `plan` from their threads; returns what happened, and the
    audit chain's head before the first request (after the threads' logins, which are audited)."""
    n = len(plan)
    checked = [threading.Event() for _ in range(n)]
    lock = threading.Lock()
    record = {"checkin": [], "score": [], "leaderboard": []}
    lags, errors, results, just_completed = [], [], {}, [0]
    first_last = [math.inf, 0.0]
    stop = threading.Event()

    def note_error(what):
        with lock:
            errors.append(what)

    def sessions(users):
        return [Session(port, u) for u in users]

    desks = sessions(desk_users)
    operators = sessions([station_users[s % len(station_users)] for s in range(len(station_ids))])
    screen_sessions = sessions(["community_admin"] * screens)
    audit_before = audit_head(db)
    cpu_before = cpu_seconds(server_pid)
    start = time.perf_counter() + 1.0

    def wait_until(at):
        if not paced:
            return
        delay = start + at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        with lock:
            lags.append(max(0.0, time.perf_counter() - (start + at)))

    def timed(session, kind, method, path, body):
        t0 = time.perf_counter()
        status, answer, secs = session.call(method, path, body)
        with lock:
            record[kind].append(secs)
            if kind != "leaderboard":
                first_last[0] = min(first_last[0], t0)
                first_last[1] = max(first_last[1], t0 + secs)
        return status, answer

    def desk(k):
        s = desks[k]
        try:
            for i in range(k, n, len(desks)):
                wait_until(plan[i]["at"])
                body = {"code": plan[i]["code"], "direction": "in"}
                status, answer = timed(s, "checkin", "POST", f"/api/event-dates/{date_id}/check-ins", body)
                result = answer.get("result") if isinstance(answer, dict) else None
                with lock:
                    results[result] = results.get(result, 0) + 1
                if status != 200 or result != "checked_in":
                    note_error(f"POST /api/event-dates/{date_id}/check-ins {json.dumps(body)}: {status} {answer}")
                checked[i].set()
        except Exception as e:  # a broken connection: counted, and the stations are let go
            note_error(f"desk {k}: {e!r}")
            for c in checked:
                c.set()

    def station(j):
        s = operators[j]
        jobs = sorted((v[1], i, v[2]) for i, p in enumerate(plan) for v in p["visits"] if v[0] == j)
        try:
            for at, i, body in jobs:
                wait_until(at)
                if not checked[i].wait(600):
                    note_error(f"station {j}: participant {i} never checked in")
                    continue
                path = f"/api/event-stations/{station_ids[j]}/scores"
                status, answer = timed(s, "score", "POST", path, body)
                if status != 201:
                    note_error(f"POST {path} {json.dumps(body)}: {status} {answer}")
                elif answer.get("just_completed"):
                    with lock:
                        just_completed[0] += 1
        except Exception as e:
            note_error(f"station {j}: {e!r}")

    def screen(j):
        s = screen_sessions[j]
        path = f"/api/event-stations/{station_ids[j % len(station_ids)]}/leaderboard?date_id={date_id}"
        try:
            while not stop.is_set():
                t0 = time.perf_counter()
                status, answer = timed(s, "leaderboard", "GET", path, None)
                if status != 200:
                    note_error(f"GET {path}: {status} {answer}")
                stop.wait(max(0.0, screen_interval - (time.perf_counter() - t0)))
        except Exception as e:
            note_error(f"screen {j}: {e!r}")

    load_before = load_average()
    loads = []

    def sample_load():
        while not stop.wait(5.0):
            loads.append(load_average()[0])
    sampler = threading.Thread(target=sample_load)
    sampler.start()
    workers = [threading.Thread(target=desk, args=(k,)) for k in range(len(desks))]
    workers += [threading.Thread(target=station, args=(j,)) for j in range(len(station_ids))]
    watchers = [threading.Thread(target=screen, args=(j,)) for j in range(screens)]
    for t in workers + watchers:
        t.start()
    for t in workers:
        t.join()
    stop.set()
    for t in watchers + [sampler]:
        t.join()
    cpu = cpu_seconds(server_pid) - cpu_before
    for s in desks + operators + screen_sessions:
        s.close()
    span = first_last[1] - first_last[0]
    requests = len(record["checkin"]) + len(record["score"])
    return audit_before, {
        "paced": paced,
        "window_s": seconds if paced else None,
        "span_s": round(span, 2),
        "requests": requests,
        "req_per_s": round(requests / span, 1) if span > 0 else None,
        "checkin": percentiles(record["checkin"]),
        "score": percentiles(record["score"]),
        "leaderboard": percentiles(record["leaderboard"]),
        "max_lag_ms": round(max(lags) * 1000, 1) if lags else None,
        "late_over_1s": sum(1 for x in lags if x > 1.0),
        "checkin_results": results,
        "just_completed": just_completed[0],
        "errors": len(errors),
        "error_examples": errors[:10],
        "server_cpu_s": round(cpu, 2),  # the server's CPU over the rush, the screens' reads included
        "server_cpu_ms_per_request": round(cpu * 1000 / requests, 2) if requests else None,
        "load_average_before": load_before,
        "load_1min_during": [min(loads), sorted(loads)[len(loads) // 2], max(loads)] if loads else None,
        "load_average_after": load_average(),
    }


def audit_head(db):
    return int(db.one("SELECT seq FROM audit_head WHERE id = 1")[0])


def check_festival(db, event_id, date_id, station_ids, plan, answers, audit_before, audit_after):
    """The database against what was sent: the problems found, and the counts."""
    problems = []
    n = len(plan)
    checked, by = db.one(f"SELECT COUNT(*), COUNT(checked_in_by) FROM event_registrations WHERE date_id = {date_id} "
                         "AND checked_in_at IS NOT NULL")
    taken, checked_in = db.one(f"SELECT taken, checked_in FROM event_dates WHERE id = {date_id}")
    if (checked, by, taken, checked_in) != (n, n, n, n):
        problems.append(f"date {date_id}: {checked} tickets checked in ({by} by somebody), event_dates taken {taken} "
                        f"checked_in {checked_in}; expected {n} each")
    # The codes read with a prefix: through psql, a code of digits alone would come back a number.
    code_of = {int(i): c[2:] for i, c in db.rows(f"SELECT id, 'c:' || code FROM event_registrations "
                                                 f"WHERE date_id = {date_id}")}
    rows = db.rows(f"SELECT sc.station_id, sc.registration_id, sc.value_x100, sc.date_id FROM event_scores sc "
                   f"JOIN event_stations st ON st.id = sc.station_id WHERE st.event_id = {event_id}")
    got = {}
    for station_id, rid, x100, d in rows:
        key = (int(station_id), code_of.get(int(rid)))
        got[key] = got.get(key, []) + [(None if x100 is None else int(x100), int(d))]
    want = {(station_ids[s], p["code"]): [(x100, date_id)] for p in plan for s, _, _, x100 in p["visits"]}
    per_station = {sid: sum(1 for k in got if k[0] == sid) for sid in station_ids}
    doubled = db.one(f"SELECT COUNT(*) FROM (SELECT station_id, registration_id FROM event_scores WHERE date_id = "
                     f"{date_id} GROUP BY station_id, registration_id HAVING COUNT(*) > 1) AS d")[0]
    if len(rows) != len(want) or doubled:
        problems.append(f"event {event_id}: {len(rows)} rows in event_scores ({doubled} (station, ticket) twice), "
                        f"expected {len(want)}")
    wrong = [k for k in set(got) | set(want) if got.get(k) != want.get(k)]
    if wrong:
        problems.append(f"event {event_id}: {len(wrong)} (station, ticket) scores missing, extra or not the value "
                        f"sent, e.g. " + "; ".join(f"{k}: stored {got.get(k)}, sent {want.get(k)}" for k in wrong[:5]))
    required = [j for j, (_, _, req) in enumerate(STATIONS) if req]
    want_done = {p["code"] for p in plan if set(required) <= {v[0] for v in p["visits"]}}
    done = {c[2:] for (c,) in db.rows(f"SELECT 'c:' || code FROM event_registrations WHERE date_id = {date_id} "
                                      "AND completed_at IS NOT NULL")}
    if done != want_done or answers["just_completed"] != len(want_done):
        problems.append(f"event {event_id}: {len(done)} cards completed ({len(done ^ want_done)} differ from the "
                        f"expected {len(want_done)}), the answers said just_completed {answers['just_completed']} times")
    appended = dict(db.rows(f"SELECT action, COUNT(*) FROM audit_log WHERE seq > {audit_before} AND seq <= "
                            f"{audit_after} GROUP BY action"))
    if appended != {"event.score": len(want)}:
        problems.append(f"event {event_id}: audit entries appended during the rush {appended}, expected "
                        f"{{'event.score': {len(want)}}}")
    live = dict(db.rows("SELECT topic, COUNT(*) FROM live_events WHERE topic IN ("
                        + ", ".join(f"'event_station:{s}'" for s in station_ids) + f", 'event_date:{date_id}') "
                        "GROUP BY topic"))
    live_scored = {sid: int(live.get(f"event_station:{sid}", 0)) for sid in station_ids}
    if live_scored != per_station:
        problems.append(f"event {event_id}: event.scored live events per station {live_scored}, scores {per_station}")
    if answers["errors"]:
        problems.append(f"event {event_id}: {answers['errors']} requests errored, e.g. {answers['error_examples'][:3]}")
    counts = {"checked_in": checked, "date_taken": taken, "date_checked_in": checked_in, "scores": len(rows),
              "per_station": list(per_station.values()), "doubled": doubled, "values_wrong": len(wrong),
              "completed": len(done), "completed_expected": len(want_done), "audit_appended": appended,
              "live_date_events": int(live.get(f"event_date:{date_id}", 0))}
    return problems, counts


def repeat_scan(db, port, date_id, station_ids, plan, rng, k=50):
    """K random tickets scanned again at the desk ("already") and scored again at one of their
    stations (409 event.already_scored): nothing may change."""
    chosen = rng.sample(plan, k)
    codes = ", ".join(f"'{p['code']}'" for p in chosen)

    def snapshot():
        return {
            "tickets": db.rows("SELECT id, status, checked_in_at, checked_in_by, checked_out_at, completed_at, "
                               f"updated_at FROM event_registrations WHERE code IN ({codes}) ORDER BY id"),
            "date": db.rows(f"SELECT taken, checked_in FROM event_dates WHERE id = {date_id}"),
            "scores": db.rows(f"SELECT COUNT(*), SUM(value_x100), MAX(id) FROM event_scores WHERE date_id = {date_id}"),
            "audit": db.rows("SELECT seq, hash FROM audit_head"),
            "live": db.rows("SELECT COUNT(*), MAX(id) FROM live_events"),
        }
    desk, operator = Session(port, "community_admin"), Session(port, "street_admin")  # logins are audited
    before = snapshot()
    problems, answers = [], {}
    for p in chosen:
        body = {"code": p["code"], "direction": "in"}
        status, answer, _ = desk.call("POST", f"/api/event-dates/{date_id}/check-ins", body)
        result = answer.get("result") if isinstance(answer, dict) else None
        answers[f"checkin {status} {result}"] = answers.get(f"checkin {status} {result}", 0) + 1
        if status != 200 or result != "already":
            problems.append(f"repeat POST /api/event-dates/{date_id}/check-ins {json.dumps(body)}: {status} {answer}")
        s, _, body, _ = p["visits"][0]
        path = f"/api/event-stations/{station_ids[s]}/scores"
        status, answer, _ = operator.call("POST", path, body)
        code = answer.get("error", {}).get("code") if isinstance(answer, dict) else None
        answers[f"score {status} {code}"] = answers.get(f"score {status} {code}", 0) + 1
        if status != 409 or code != "event.already_scored":
            problems.append(f"repeat POST {path} {json.dumps(body)}: {status} {answer}")
    desk.close()
    operator.close()
    after = snapshot()
    changed = [name for name in before if before[name] != after[name]]
    if changed:
        problems.append(f"the repeat scans changed {changed}: before {[before[c] for c in changed]}, "
                        f"after {[after[c] for c in changed]}")
    return problems, {"tickets": k, "answers": answers, "changed": changed}


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
    ap.add_argument("--participants", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=300, help="the paced rush's window (60 for a quick run)")
    ap.add_argument("--desks", type=int, default=2)
    ap.add_argument("--screens", type=int, default=5, help="leaderboard pollers during each rush")
    ap.add_argument("--screen-interval", type=float, default=2.0)
    ap.add_argument("--wrk-seconds", type=int, default=10, help="each wrk run (as bench/run.py)")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--seed", type=int, default=20260601)
    ap.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg", default=os.environ.get("XH_TEST_PG_URI", ""), help="PostgreSQL base URI")
    ap.add_argument("--keep", action="store_true", help="keep the data directory (and database) afterwards")
    args = ap.parse_args()
    if args.engine == "postgresql" and not args.pg:
        ap.error("PostgreSQL needs --pg or XH_TEST_PG_URI (scripts/pg.sh start prints one)")
    if not 10 <= args.participants <= 2000:
        ap.error("--participants: 10 to 2,000 (the date's capacity)")
    if args.seconds < 10:
        ap.error("--seconds: at least 10")
    rng = random.Random(args.seed)
    data_dir = tempfile.mkdtemp(prefix="xh-festival-bench-")
    pg_database = None
    if args.engine == "sqlite":
        uri = f"sqlite:{os.path.join(data_dir, 'xinghuo.db')}"
    else:
        # A database of our own, never another's.
        pg_database = f"xh_bench_festival_{os.getpid()}"
        subprocess.run(["psql", args.pg, "-X", "-qc", f"CREATE DATABASE {pg_database}"], check=True, env=QUIET_PG)
        uri = args.pg.rsplit("/", 1)[0] + "/" + pg_database
    db = Db(uri)
    server = None
    problems = []
    try:
        port = free_port()
        t0 = time.time()
        server = subprocess.Popen([BINARY, "serve", "--db", uri, "--data-dir", data_dir, "--port", str(port),
                                   "--access-log", "off", "--demo"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(3000):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                if server.poll() is not None:
                    raise RuntimeError(f"the server exited ({server.returncode})")
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not answer /healthz in 300 s")
        start_seconds = round(time.time() - t0, 1)
        street = int(db.one("SELECT id FROM places WHERE code = 'NC'")[0])
        community = int(db.one("SELECT id FROM places WHERE code = 'NC-QX'")[0])
        n = args.participants
        desk_users = ["community_admin", "street_admin"] * args.desks
        station_users = ["street_admin", "community_admin"]

        festivals = {}
        for run_name, title, paced in (("paced", "压测邻里节（限速）", True), ("unpaced", "压测邻里节（全速）", False)):
            admin = Session(port, "street_admin")
            event_id, date_id, station_ids = make_festival(admin, street, community, title, 2 * n)
            admin.close()
            codes = add_tickets(db, event_id, date_id, n, rng)
            plan = make_plan(codes, station_ids, args.seconds, rng)
            fsyncs = fsync_rate(data_dir)  # what the disk gives just before (a commit is one fsync on SQLite)
            before, answers = rush(db, server.pid, port, date_id, station_ids, plan, args.seconds, paced, desk_users[:args.desks],
                           station_users, args.screens, args.screen_interval)
            after = audit_head(db)
            answers["fsyncs_per_s_before"] = fsyncs
            found, counts = check_festival(db, event_id, date_id, station_ids, plan, answers, before, after)
            problems += found
            if paced and answers["span_s"] > args.seconds:
                problems.append(f"paced: the rush took {answers['span_s']} s, beyond its window of {args.seconds} s")
            festivals[run_name] = {"event_id": event_id, "date_id": date_id, "station_ids": station_ids,
                                   "plan": plan, "answers": answers, "counts": counts}
            a = answers
            print(f"{run_name}: {a['requests']} requests in {a['span_s']} s ({a['req_per_s']} req/s); check-in "
                  f"{a['checkin']}; score {a['score']}; leaderboard {a['leaderboard']}; errors {a['errors']}; "
                  f"{'ok' if not found else 'PROBLEMS: ' + '; '.join(found)}", file=sys.stderr, flush=True)
            if run_name == "paced":
                found, repeat = repeat_scan(db, port, date_id, station_ids, plan, rng)
                problems += found

        verify = subprocess.run([BINARY, "audit", "verify", "--db", uri, "--data-dir", data_dir],
                                text=True, capture_output=True)
        verify_out = (verify.stdout + verify.stderr).strip()
        if verify.returncode != 0:
            problems.append(f"xinghuo audit verify: exit {verify.returncode}: {verify_out}")

        # The board a room screen polls, and the ratio's base.
        first = festivals["paced"]
        board_station, board_date = first["station_ids"][0], first["date_id"]
        viewer = Session(port, "community_admin")
        status, board, one_s = viewer.call("GET", f"/api/event-stations/{board_station}/leaderboard?date_id={board_date}")
        board_shape = {"status": status, "scored": board.get("scored"), "entries": len(board.get("entries", [])),
                       "bytes": len(json.dumps(board, ensure_ascii=False).encode()),
                       "single_request_ms": round(one_s * 1000, 2)}
        board_lua = os.path.join(data_dir, "festival_board.lua")
        with open(board_lua, "w") as f:
            f.write(BOARD_LUA)
        env = {"XH_SESSION": viewer.session, "XH_STATION_ID": str(board_station), "XH_DATE_ID": str(board_date)}
        hello_lua = os.path.join(BENCH, "scenarios", "hello.lua")
        results = {"hello": wrk(port, hello_lua, args.wrk_seconds, args.connections, env)}
        results["leaderboard"] = wrk(port, board_lua, args.wrk_seconds, args.connections, env)
        results["hello_after"] = wrk(port, hello_lua, args.wrk_seconds, args.connections, env)
        viewer.close()
        if results["leaderboard"]["errors"]:
            problems.append(f"leaderboard: {results['leaderboard']['errors']} errors under wrk")
        hello = results["hello"]["rps"]
        for r in results.values():
            r["ratio_to_hello"] = round(r["rps"] / hello, 4) if hello else None
        for f in festivals.values():
            rate = f["answers"]["req_per_s"]
            f["answers"]["ratio_to_hello"] = round(rate / hello, 4) if hello and rate else None

        out = {
            "engine": args.engine,
            "participants": n,
            "stations": [{"name": name, "score_type": kind, "required": req} for name, kind, req in STATIONS],
            "visits_each": VISITS,
            "seconds": args.seconds,
            "desks": args.desks,
            "screens": args.screens,
            "screen_interval_s": args.screen_interval,
            "server_start_s": start_seconds,
            "paced": festivals["paced"]["answers"],
            "paced_counts": festivals["paced"]["counts"],
            "unpaced": festivals["unpaced"]["answers"],
            "unpaced_counts": festivals["unpaced"]["counts"],
            # the unpaced rate over the rate the paced window asks for
            "headroom": (round(festivals["unpaced"]["answers"]["req_per_s"] / (n * (1 + VISITS) / args.seconds), 1)
                         if festivals["unpaced"]["answers"]["req_per_s"] else None),
            "repeat": repeat,
            "audit_verify": verify_out,
            "board_shape": board_shape,
            "wrk": f"wrk -t1 -c{args.connections} -d{args.wrk_seconds}s --latency",
            "results": results,
            "counts_match": not problems,
            "problems": problems,
            "peak_rss_mib": round(hwm_kib(server.pid) / 1024, 1),  # the server's, over the whole run
            "load_average_end": load_average(),
            "fsyncs_per_s": fsync_rate(data_dir),
            "seed": args.seed,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": machine(),
        }
        print(json.dumps(out, ensure_ascii=False), flush=True)
        for name in ("paced", "unpaced"):
            a, c = festivals[name]["answers"], festivals[name]["counts"]
            print(f"{name:8} {a['requests']} requests in {a['span_s']} s = {a['req_per_s']} req/s "
                  f"({a['ratio_to_hello']} × /hello), max lag {a['max_lag_ms']} ms, errors {a['errors']}",
                  file=sys.stderr)
            for kind in ("checkin", "score", "leaderboard"):
                p = a[kind]
                if p["n"]:
                    print(f"  {kind:12} n {p['n']:>5}  p50 {p['p50_ms']} ms  p95 {p['p95_ms']} ms  "
                          f"p99 {p['p99_ms']} ms  max {p['max_ms']} ms", file=sys.stderr)
            print(f"  checked in {c['checked_in']} (date {c['date_checked_in']}), scores {c['scores']} "
                  f"{c['per_station']}, completed {c['completed']} of {c['completed_expected']} expected, "
                  f"audit {c['audit_appended']}", file=sys.stderr)
        print(f"repeat scans of {repeat['tickets']}: {repeat['answers']}, changed {repeat['changed'] or 'nothing'}",
              file=sys.stderr)
        print(f"audit verify: {verify_out}", file=sys.stderr)
        for name, r in results.items():
            print(f"{name:12} {r['rps']:>7} req/s ({r['ratio_to_hello']} × /hello)  p50 {r['p50_ms']} ms  "
                  f"p99 {r['p99_ms']} ms  errors {r['errors']}", file=sys.stderr)
        print(f"{'counts match' if not problems else 'PROBLEMS: ' + '; '.join(problems)}", file=sys.stderr)
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
