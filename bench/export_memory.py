#!/usr/bin/env python3
"""Peak memory and time of whole-list exports (issue 12, item 24).

Generates one benchmark street on SQLite (`xinghuo gen`: about 64,700
residents, 29,000 places, the street's work orders), starts `xinghuo serve` on
a free port, signs in as the street's administrator and downloads the biggest
lists whole, as CSV and as XLSX. After each it reads the server's peak
resident set (VmHWM, reset before each) and reports it against the peak at
idle, with the rows in the file and the time taken.

  python3 bench/export_memory.py            (prints a Markdown table)
  python3 bench/export_memory.py --record   (also writes the set into bench/RESULTS.md)
"""
import io, os, re, sys, time, urllib.request, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the benchmark's own helpers: prepare, grow, Server, login, machine)

LISTS = ["/api/residents", "/api/places", "/api/work-orders"]




def rows_in(fmt, body):
    if fmt == "csv":
        return body.count(b"\r\n") - 1
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    return len(re.findall(rb"<row ", sheet)) - 1


def main():
    record = "--record" in sys.argv
    db, data_dir = run.prepare("sqlite", None)
    gen_seconds = run.grow(db, data_dir, 1)
    rows, idles = [], []
    for path in LISTS:
        for fmt in ("csv", "xlsx"):
            # A fresh server for each: a peak once reached stays in the
            # process (freed memory is kept for reuse), hiding later ones.
            server = run.Server(db, data_dir)
            try:
                session, _ = run.login(server, "bench_street", "Bench@2026")
                time.sleep(0.5)
                run.reset_hwm(server.proc.pid)
                idle = run.hwm_kib(server.proc.pid)
                idles.append(idle)
                req = urllib.request.Request(server.url(f"{path}?format={fmt}"),
                                             headers={"Cookie": f"xh_session={session}"})
                started = time.time()
                with urllib.request.urlopen(req, timeout=600) as r:
                    body = r.read()
                took = time.time() - started
                peak = run.hwm_kib(server.proc.pid)
            finally:
                server.stop()
            rows.append((path, fmt, rows_in(fmt, body), len(body), round((peak - idle) / 1024, 1),
                         round(took, 2)))
    idle = max(idles)
    table = ["| list | format | rows | file | peak above idle (MiB) | time (s) |",
             "|---|---|---:|---:|---:|---:|"]
    for path, fmt, n, size, mib, took in rows:
        table.append(f"| `{path}` | {fmt} | {n:,} | {size / 2**20:.1f} MiB | {mib} | {took} |")
    m = run.machine()
    text = (f"## export-memory — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n"
            f"Machine: {m['cores']} cores, {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}. "
            f"One generated street on SQLite (generated in {gen_seconds} s); server idle peak "
            f"{idle / 1024:.1f} MiB. Each list downloaded whole by the street's administrator "
            f"(`bench/export_memory.py`), each by a fresh server; the peak is its VmHWM above "
            f"its idle peak.\n\n"
            + "\n".join(table) + "\n")
    print(text)
    if record:
        run.record_set("export-memory", text)


if __name__ == "__main__":
    main()
