#!/usr/bin/env python3
"""Peak memory of a roster import, whatever the file (issue 12, item 9).

Starts `xinghuo serve` on the demo street (SQLite, a fresh directory, a free
port), signs in as community_admin, and uploads rosters made to exhaust a
server — huge cells, a shared string reused many times, far-right empty
cells, millions of blank lines, a million rows — then a clean roster of
20,000 residents, each as a dry run. After each it reads the server's peak
resident set (VmHWM), and reports it against the peak at idle.

  python3 bench/import_memory.py            (prints a Markdown table)
  python3 bench/import_memory.py --record   (also writes the set into bench/RESULTS.md)
"""
import io, json, os, re, sys, tempfile, time, urllib.request, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the benchmark's own helpers: Server, login, machine)

HEADER = "小区,楼栋,单元,房号,姓名,与户关系\n"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_CELLS = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>'
                     for c, t in zip("ABCDEF", ["小区", "楼栋", "单元", "房号", "姓名", "与户关系"]))


def sheet(rows):
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData><row r="1">{HEAD_CELLS}</row>{rows}</sheetData></worksheet>')


def row(r, name_cell, extra=""):
    cells = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{t}</t></is></c>'
                    for c, t in zip("ABCD", ["幸福里", "1号楼", "1单元", str(100 + r)]))
    return f'<row r="{r}">{cells}{name_cell}<c r="F{r}" t="inlineStr"><is><t>业主</t></is></c>{extra}</row>'


def xlsx(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in entries.items():
            z.writestr(name, text)
    return out.getvalue()


def files():
    huge = "a" * (100 * 1024 * 1024)
    yield "XLSX, two cells of 100 MB", "xlsx", xlsx({"xl/worksheets/sheet1.xml": sheet(
        row(2, f'<c r="E2" t="inlineStr"><is><t>{huge}</t></is></c>') +
        row(3, f'<c r="E3" t="inlineStr"><is><t>{huge}</t></is></c>'))})
    del huge
    yield "XLSX, one 8 MiB shared string used 40 times", "xlsx", xlsx({
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
                                '.org/spreadsheetml/2006/main"><si><t>' + "b" * (8 * 1024 * 1024) + "</t></si></sst>",
        "xl/worksheets/sheet1.xml": sheet("".join(row(r, f'<c r="E{r}" t="s"><v>0</v></c>') for r in range(2, 42)))})
    yield "XLSX, 20,000 rows with an empty cell at XFD", "xlsx", xlsx({"xl/worksheets/sheet1.xml": sheet("".join(
        row(r, f'<c r="E{r}" t="inlineStr"><is><t>居民{r}</t></is></c>',
            f'<c r="XFD{r}" t="inlineStr"><is><t></t></is></c>') for r in range(2, 20001)))})
    yield "CSV, 10 MiB of blank lines", "csv", (HEADER + "\n" * (10 * 1024 * 1024)).encode()
    yield "CSV, a million rows", "csv", (HEADER + "a,b,c,1,x,y\n" * 1000000).encode()
    yield "CSV, 20,000 good rows", "csv", (HEADER + "".join(
        f"幸福里,{1 + i // 2000}号楼,{1 + i // 200 % 10}单元,{100 + i % 200},居民{i},业主\n"
        for i in range(20000))).encode()




def main():
    record = "--record" in sys.argv
    data = tempfile.mkdtemp(prefix="xh-import-mem-")
    port = run.free_port()
    import subprocess
    proc = subprocess.Popen([run.XINGHUO, "serve", "--port", str(port), "--data-dir", data, "--demo",
                             "--access-log", "off"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        req = urllib.request.Request(base + "/api/auth/login", method="POST",
                                     data=json.dumps({"username": "community_admin", "password": "Demo@2026"}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            session = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
            csrf = json.load(r)["csrf_token"]
        me = json.load(urllib.request.urlopen(urllib.request.Request(
            base + "/api/auth/me", headers={"Cookie": f"xh_session={session}"})))
        community = me["roles"][0]["place_id"]
        time.sleep(1)
        run.reset_hwm(proc.pid)
        idle = run.hwm_kib(proc.pid)
        rows = []
        for what, fmt, body in files():
            run.reset_hwm(proc.pid)
            before = run.hwm_kib(proc.pid)
            req = urllib.request.Request(
                f"{base}/api/imports/roster?community_id={community}&format={fmt}&dry_run=true", method="POST",
                data=body, headers={"Cookie": f"xh_session={session}", "X-CSRF-Token": csrf,
                                    "Content-Type": "text/csv" if fmt == "csv" else XLSX_TYPE})
            started = time.time()
            try:
                with urllib.request.urlopen(req, timeout=300) as r:
                    status, answer = r.status, json.load(r)
            except urllib.error.HTTPError as e:
                status, answer = e.code, json.load(e)
            took = time.time() - started
            peak = run.hwm_kib(proc.pid)
            outcome = answer.get("error", {}).get("code") or f"{answer.get('error_count', 0)} errors, " \
                                                             f"{answer.get('created', {}).get('rows', 0)} rows valid"
            rows.append((what, len(body), status, outcome, round((peak - idle) / 1024, 1), round(took, 2)))
            del body
        table = ["| file | size | status | answer | peak above idle (MiB) | time (s) |",
                 "|---|---:|---:|---|---:|---:|"]
        for what, size, status, outcome, mib, took in rows:
            table.append(f"| {what} | {size / 2**20:.2f} MiB | {status} | {outcome} | {mib} | {took} |")
        m = run.machine()
        text = (f"## import-memory — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n"
                f"Machine: {m['cores']} cores, {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}. "
                f"Server idle peak: {idle / 1024:.1f} MiB. Each file uploaded once as a dry run "
                f"(`bench/import_memory.py`); the peak is the server's VmHWM, reset before each.\n\n"
                + "\n".join(table) + "\n")
        print(text)
        if record:
            run.record_set("import-memory", text)
    finally:
        proc.terminate()
        proc.wait(timeout=60)


if __name__ == "__main__":
    main()
