#!/usr/bin/env python3
"""Xinghuo load benchmarks: generate data, start the server, run wrk scenarios,
and record requests/s, latency, errors and peak RSS, each as a ratio to the
server's own /hello in the same run.

  bench/run.py --quick      street scale, SQLite and PostgreSQL   (make bench)
  bench/run.py --full       street, district and city, both engines (make bench-full)

Results go to build/bench/results-<set>.json and bench/RESULTS.md.
"""
import argparse, json, os, platform, re, shutil, socket, subprocess, sys, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
OUT = os.path.join(ROOT, "build", "bench")
XINGHUO = os.path.join(ROOT, "build", "xinghuo")
SCENARIOS = ["hello", "residents_list", "places_list", "resident_detail", "place_detail",
             "dashboard", "write_need", "workorders_list", "workorder_detail", "write_workorder",
             "points_award", "points_redeem", "points_statement", "points_leaderboard",
             "activities_list"]
STREETS = {"street": 1, "district": 10, "city": 40}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)}


def fsync_rate(directory, seconds=2.0):
    """How many write+fsync pairs of 4 KiB this disk completes per second."""
    path = os.path.join(directory, "fsync.probe")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    n, start = 0, time.time()
    while time.time() - start < seconds:
        os.pwrite(fd, b"x" * 4096, (n % 256) * 4096)
        os.fsync(fd)
        n += 1
    os.close(fd)
    os.unlink(path)
    return round(n / (time.time() - start))


def hwm_kib(pid):
    """The process's peak resident set (VmHWM), in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def reset_hwm(pid):
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")  # resets the peak (Linux >= 4.0)


def record_set(name, text):
    """Writes `text` into bench/RESULTS.md as the set `name`, replacing its last run."""
    path = os.path.join(BENCH, "RESULTS.md")
    with open(path) as f:
        doc = f.read()
    block = f"<!-- set:{name} -->\n\n{text}\n<!-- /set:{name} -->"
    if f"<!-- set:{name} -->" in doc:
        doc = re.sub(rf"<!-- set:{name} -->.*?<!-- /set:{name} -->", lambda _: block, doc, flags=re.S)
    else:
        doc = doc.replace("<!-- results -->", block + "\n\n<!-- results -->", 1)
    with open(path, "w") as f:
        f.write(doc)


class Server:
    def __init__(self, db, data_dir):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [XINGHUO, "serve", "--port", str(self.port), "--db", db, "--data-dir", data_dir,
             "--access-log", "off"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def peak_rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        return None

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


def login(server, username, password):
    req = urllib.request.Request(server.url("/api/auth/login"), method="POST",
                                 data=json.dumps({"username": username, "password": password}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        cookie = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
        return cookie, json.load(r)["csrf_token"]


def get(server, session, path):
    req = urllib.request.Request(server.url(path), headers={"Cookie": f"xh_session={session}"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def write_config(server, path):
    session, csrf = login(server, "bench_community", "Bench@2026")
    me = get(server, session, "/api/auth/me")
    community = me["roles"][0]["place_id"]
    # Writes go to another community, as the street administrator, so the rows
    # they add do not change what the read scenarios measure.
    writer_session, writer_csrf = login(server, "bench_street", "Bench@2026")
    other = [p["id"] for p in get(server, writer_session, "/api/places?kind=community&limit=500")["items"]
             if p["id"] != community][0]
    units = [p["id"] for p in get(server, session, "/api/places?kind=unit&limit=500")["items"]]
    buildings = [p["id"] for p in get(server, session, "/api/places?kind=building&limit=500")["items"]]
    residents = [r["id"] for r in get(server, session, "/api/residents?limit=500")["items"]]
    orders = [o["id"] for o in get(server, session, "/api/work-orders?limit=500")["items"]]
    write_buildings = [p["id"] for p in get(
        server, writer_session, f"/api/places?kind=building&under_id={other}&limit=100")["items"]]
    resident_session, resident_csrf = login(server, "bench_resident", "Bench@2026")
    me = get(server, resident_session, "/api/points/me")
    item = get(server, resident_session, "/api/points/items?limit=1")["items"][0]["id"]
    lua = lambda xs: "{" + ",".join(str(x) for x in xs) + "}"
    with open(path, "w") as f:
        f.write(f'return {{ session = "{session}", csrf = "{csrf}", community = {community},\n'
                f'  writer_session = "{writer_session}", writer_csrf = "{writer_csrf}", write_place = {other},\n'
                f"  units = {lua(units)},\n  buildings = {lua(buildings)},\n  residents = {lua(residents)},\n"
                f"  orders = {lua(orders)},\n  write_buildings = {lua(write_buildings)},\n"
                f'  resident_session = "{resident_session}", resident_csrf = "{resident_csrf}",\n'
                f"  point_account = {me['account_id']}, point_item = {item},\n"
                f"  point_residents = {lua(residents[:200])} }}\n")


def wrk(server, scenario, config, seconds, connections):
    env = dict(os.environ, XH_BENCH_CONFIG=config, XH_BENCH_DIR=BENCH)
    out = sh(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
              "-s", os.path.join(BENCH, "scenarios", scenario + ".lua"), server.url("/")], env=env)

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
    return {"rps": round(rps), "p50_ms": latency(50), "p99_ms": latency(99), "requests": total,
            "errors": errors}


def prepare(engine, pg_base):
    data_dir = os.path.join(OUT, engine)
    shutil.rmtree(data_dir, ignore_errors=True)
    os.makedirs(data_dir)
    if engine == "sqlite":
        return "sqlite:" + os.path.join(data_dir, "xinghuo.db"), data_dir
    subprocess.run(["psql", pg_base, "-qc", "DROP DATABASE IF EXISTS xh_bench WITH (FORCE)"], check=True)
    subprocess.run(["psql", pg_base, "-qc", "CREATE DATABASE xh_bench"], check=True)
    return pg_base.rsplit("/", 1)[0] + "/xh_bench", data_dir


def grow(db, data_dir, streets):
    start = time.time()
    sh([XINGHUO, "gen", "--streets", str(streets), "--db", db, "--data-dir", data_dir])
    return round(time.time() - start, 1)


def verify_ledger(db, data_dir, postings):
    """Appends postings/2 transactions to the ledger, then times `xinghuo ledger verify`."""
    start = time.time()
    sh([XINGHUO, "gen", "--scale", "none", "--ledger-transactions", str(postings // 2), "--db", db,
        "--data-dir", data_dir])
    gen_seconds = round(time.time() - start, 1)
    start = time.time()
    out = sh([XINGHUO, "ledger", "verify", "--db", db, "--data-dir", data_dir])
    return {"postings": postings, "gen_seconds": gen_seconds,
            "verify_seconds": round(time.time() - start, 1), "output": out.strip()}


def run(engines, scales, seconds, connections, pg_base, label, scenarios=SCENARIOS,
        verify_postings=0):
    results = {"set": label, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "machine": machine(), "wrk": f"wrk -t1 -c{connections} -d{seconds}s --latency",
               "runs": []}
    os.makedirs(OUT, exist_ok=True)
    results["machine"]["fsync_per_s"] = fsync_rate(OUT)
    for engine in engines:
        db, data_dir = prepare(engine, pg_base)
        have = 0
        for scale in scales:
            want = STREETS[scale]
            gen_seconds = grow(db, data_dir, want - have)
            have = want
            server = Server(db, data_dir)
            try:
                config = os.path.join(OUT, f"config-{engine}.lua")
                write_config(server, config)
                run_ = {"engine": engine, "scale": scale, "streets": want, "gen_seconds": gen_seconds,
                        "scenarios": {}}
                for scenario in scenarios:
                    r = wrk(server, scenario, config, seconds, connections)
                    run_["scenarios"][scenario] = r
                    print(f"{engine:10} {scale:9} {scenario:16} {r['rps']:>8} req/s  "
                          f"p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  errors {r['errors']}", flush=True)
                hello = run_["scenarios"]["hello"]["rps"]
                for r in run_["scenarios"].values():
                    r["ratio_to_hello"] = round(r["rps"] / hello, 3) if hello else None
                run_["peak_rss_mib"] = server.peak_rss_mib()
                results["runs"].append(run_)
            finally:
                server.stop()
            if verify_postings and scale == scales[-1]:
                v = verify_ledger(db, data_dir, verify_postings)
                print(f"{engine:10} ledger verify over {verify_postings} postings: {v['verify_seconds']} s", flush=True)
                results.setdefault("ledger_verify", []).append(dict(engine=engine, **v))
    with open(os.path.join(OUT, f"results-{label}.json"), "w") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    return results


def markdown(results):
    m = results["machine"]
    lines = [f"## {results['set']} — {results['date']}", "",
             f"Machine: {m['cores']} cores, {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}; "
             f"this disk completes **{m['fsync_per_s']} write+fsync/s** (4 KiB).",
             f"Load: `{results['wrk']}` on the same machine (wrk takes one core, the server the other).",
             "", "| engine | scale | scenario | req/s | × /hello | p50 ms | p99 ms | errors |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    for run_ in results["runs"]:
        for name, r in run_["scenarios"].items():
            lines.append(f"| {run_['engine']} | {run_['scale']} | {name} | {r['rps']} | "
                         f"{r['ratio_to_hello']} | {r['p50_ms']} | {r['p99_ms']} | {r['errors']} |")
    lines += ["", "| engine | scale | streets | generated in (s) | peak RSS (MiB) |", "|---|---|---:|---:|---:|"]
    for run_ in results["runs"]:
        lines.append(f"| {run_['engine']} | {run_['scale']} | {run_['streets']} | {run_['gen_seconds']} | "
                     f"{run_['peak_rss_mib']} |")
    for v in results.get("ledger_verify", []):
        lines += ["", f"`xinghuo ledger verify` over {v['postings']:,} postings on {v['engine']}: "
                      f"**{v['verify_seconds']} s** (generated in {v['gen_seconds']} s) — {v['output']}"]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="street, district and city scale")
    ap.add_argument("--quick", action="store_true", help="street scale only (default)")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--scales", help="comma-separated scales (overrides --full/--quick)")
    ap.add_argument("--scenarios", help="comma-separated scenarios (hello is always run first)")
    ap.add_argument("--label", help="a name for this set: its table replaces the section of that name")
    ap.add_argument("--verify-postings", type=int, default=0,
                    help="after the scenarios, grow the ledger to this many more postings and time `ledger verify`")
    ap.add_argument("--pg", default=os.environ.get("XH_TEST_PG_URI", ""), help="PostgreSQL base URI")
    a = ap.parse_args()
    scales = ["street", "district", "city"] if a.full else ["street"]
    if a.scales:
        scales = a.scales.split(",")
    scenarios = SCENARIOS
    if a.scenarios:
        scenarios = ["hello"] + [s for s in a.scenarios.split(",") if s != "hello"]
    engines = a.engines.split(",")
    if "postgresql" in engines and not a.pg:
        sys.exit("PostgreSQL needs --pg or XH_TEST_PG_URI (scripts/bench.sh starts one)")
    label = a.label or ("full" if a.full else "quick")
    results = run(engines, scales, a.seconds, a.connections, a.pg, label, scenarios, a.verify_postings)
    table = markdown(results)
    print(table)
    path = os.path.join(BENCH, "RESULTS.md")
    if a.label:
        # A named set keeps its own section, replaced on each run of that name.
        text = open(path).read()
        start, end = f"<!-- set:{a.label} -->", f"<!-- /set:{a.label} -->"
        section = f"{start}\n\n{table}\n{end}"
        if start in text:
            text = text.split(start)[0] + section + text.split(end, 1)[1]
        elif "<!-- results -->" in text:  # before the quick/full table, which is rewritten
            text = text.replace("<!-- results -->", section + "\n\n<!-- results -->", 1)
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        with open(path, "w") as f:
            f.write(text)
        return
    head = open(path).read().split("<!-- results -->")[0] if os.path.exists(path) else "# Benchmark results\n\n"
    with open(path, "w") as f:
        f.write(head + "<!-- results -->\n\n" + table)


if __name__ == "__main__":
    main()
