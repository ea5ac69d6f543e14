#!/usr/bin/env python3
"""Scale-out benchmark: writes and reads per second with one or several xiehui processes.

    python3 bench/scaleout.py --binary build/xiehui [--seconds 10] [--connections 64]
        [--configs one,two,galera]

Configurations (each on a fresh database, the demo data seeded by the first process):
    one     1 process  on the MariaDB server of XIEHUI_TEST_MYSQL
    two     2 processes on that same server
    galera  3 processes on the three nodes of XIEHUI_TEST_GALERA_1..3, one each
    galera-writer  3 processes all on node 1 of that cluster (one writing node, the others
            replicas: what a proxy that sends everything to one live node gives)

For each, wrk runs on every process at once (the connections split evenly between them, so the
client load is the same in every configuration) for --seconds each:
    sign-ups   POST /api/classes/{id}/enrollments   (one class of 10,000 seats, then its waitlist)
    payments   POST /api/dues/invoices/{id}/payments  (1 元 each, over the demo's open invoices)
    GET        GET /api/members/{id}                (staff, Bearer token)
and prints req/s summed over the processes, p99 (the worst process's), non-2xx answers, and for
the writes the retry rate: write transactions run again after a conflict (the processes'
xiehui_db_write_retries_total) per acknowledged write, and writes lost to conflicts. After the
writes it checks that the class's confirmed count equals the enrolments acknowledged, and that
receipt numbers are unique and gapless.

All of it on one machine: the processes, the database servers (three Galera nodes on the same
cores) and wrk compete for the same CPUs, so the figures understate what separate machines give;
the point is that the results stay exact and what the retry rate is.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "drills"))
from crash_drill import (Api, Database, Server, SetupError, galera_env_nodes,  # noqa: E402
                         mysql_client, sign_in_token)

STAFF = ("mishu", "Demo-Staff-2026")
ADMIN = ("admin", "Demo-Admin-2026")

LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lua")


def log(msg: str) -> None:
    print(f"scaleout: {msg}", file=sys.stderr, flush=True)


def metric(text: str, name: str, labels: str = "") -> float:
    """The sum of every series of `name` whose labels contain `labels`."""
    total = 0.0
    # Labels may hold braces themselves (route="/api/classes/{id}/enrollments").
    for m in re.finditer(rf"^{re.escape(name)}(\{{.*\}})? ([0-9.e+]+)$", text, re.M):
        if labels in (m.group(1) or ""):
            total += float(m.group(2))
    return total


def write_figures(ports: list[int]) -> tuple[float, float, float, float]:
    """Retries, conflicts lost, 4xx and 5xx answers, summed over the processes."""
    out = [0.0, 0.0, 0.0, 0.0]
    for p in ports:
        text = Api(p).call("GET", "/metrics", expect=(200,)).raw.decode("utf-8", "replace")
        out[0] += metric(text, "xiehui_db_write_retries_total")
        out[1] += metric(text, "xiehui_db_write_conflicts_lost_total")
        out[2] += metric(text, "xiehui_http_requests_total", 'code="4xx"')
        out[3] += metric(text, "xiehui_http_requests_total", 'code="5xx"')
    return tuple(out)


def parse_ms(text: str) -> float:
    m = re.match(r"([0-9.]+)(us|ms|s)", text)
    if not m:
        return 0.0
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]


def run_wrk(ports: list[int], connections: int, seconds: int, workdir: str, label: str,
            script: str | None, path: str, args_for) -> dict:
    """wrk on every port at once; connections split evenly. Returns summed figures."""
    per = max(1, connections // len(ports))
    procs = []
    for i, port in enumerate(ports):
        cmd = ["wrk", "-t1", f"-c{per}", f"-d{seconds}s", "--timeout", "15s", "--latency"]
        if script:
            cmd += ["-s", script]
        cmd += [f"http://127.0.0.1:{port}{path}"]
        extra = args_for(i)
        if extra:
            cmd += ["--"] + extra
        out = open(os.path.join(workdir, f"wrk-{label}-{i}.txt"), "w")
        procs.append((subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT), out))
    rps = 0.0
    done = 0
    non2xx = 0
    p99 = 0.0
    for i, (p, out) in enumerate(procs):
        p.wait()
        out.close()
        text = open(out.name).read()
        m = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
        rps += float(m.group(1)) if m else 0.0
        m = re.search(r"^\s+(\d+) requests in", text, re.M)
        done += int(m.group(1)) if m else 0
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        non2xx += int(m.group(1)) if m else 0
        m = re.search(r"^\s+99%\s+(\S+)", text, re.M)
        p99 = max(p99, parse_ms(m.group(1)) if m else 0.0)
    return {"rps": rps, "requests": done, "non2xx": non2xx, "p99": p99}


def run_config(name: str, args, db: Database, conns: list[str], workdir: str) -> list[dict]:
    servers = []
    rows = []
    try:
        config = os.path.join(workdir, "config.json")
        with open(config, "w") as f:
            # As bench.sh: no access log line per request, no daily runs in the middle.
            f.write('{"log_level": "warn", "dues_daily_run": false, "scheduler": false}\n')
        for i, conn in enumerate(conns):
            s = Server(args.binary, conn, workdir, log_name=f"{name}-{i + 1}.log",
                       name=f"{name} process {i + 1}", extra_args=["--config", config])
            s.start(demo=(i == 0))  # the demo seed runs once, into the empty database
            servers.append(s)
        ports = [s.port for s in servers]
        token = sign_in_token(ports[0], *STAFF)
        staff = Api(ports[0], token)
        course = staff.post("/api/courses", {"title": f"扩展压测 {name}", "topics": []})
        cls = staff.post(f"/api/courses/{course['id']}/classes", {
            "venue": "长沙", "starts_at": "2030-12-07", "ends_at": "2030-12-08",
            "signup_deadline": "2030-11-30", "capacity": 10_000, "per_member_quota": None,
            "fee_fen": 0, "status": "open"})
        member = staff.pages("/api/members?status=active")[0]["id"]
        invoices = []
        for status in ("unpaid", "partial"):
            invoices += staff.pages(f"/api/dues/invoices?status={status}")
        invoices = [str(i["id"]) for i in invoices if i["outstanding_fen"] >= 100_000]
        if not invoices:
            raise SetupError("the demo has no open invoices to pay")
        paid_on = time.strftime("%Y-%m-%d")

        def measure(label, script, path, args_for, write: bool):
            before = write_figures(ports)
            r = run_wrk(ports, args.connections, args.seconds, workdir, f"{name}-{label}",
                        script, path, args_for)
            after = write_figures(ports)
            delta = [a - b for a, b in zip(after, before)]
            acked = r["requests"] - r["non2xx"]
            r.update(config=name, measure=label, processes=len(ports),
                     retries=delta[0], lost=delta[1], answered_4xx=delta[2], answered_5xx=delta[3],
                     rate=delta[0] / acked if write and acked else None, acked=acked)
            rows.append(r)
            log(f"{name} {label}: {r['rps']:.0f} req/s, p99 {r['p99']:.1f} ms, non-2xx "
                f"{r['non2xx']} (4xx {delta[2]:.0f}, 5xx {delta[3]:.0f})"
                + (f", retries {delta[0]:.0f}, lost {delta[1]:.0f}" if write else ""))
            return r

        signups = measure("sign-ups", args.signup_lua, "/",
                          lambda i: [f"/api/classes/{cls['id']}/enrollments", token, str(member),
                                     str(i + 1)], True)
        payments = measure("payments", args.payment_lua, "/",
                           lambda i: [token, ",".join(invoices), str(len(invoices)), paid_on,
                                      f"{name}-{i}"], True)
        measure("GET member", args.get_lua, f"/api/members/{member}", lambda i: [token], False)

        # Exact results: every acknowledged sign-up confirmed, receipt numbers gapless.
        time.sleep(1)
        c = staff.get(f"/api/classes/{cls['id']}")
        placed = c["confirmed"] + c["waitlisted"]
        # wrk counts the answers it read; a request cut off at the end may still have committed.
        if placed < signups["acked"] or placed > signups["acked"] + args.connections:
            raise SetupError(f"{name}: {placed} places, {signups['acked']} acknowledged")
        if c["confirmed"] > 10_000:
            raise SetupError(f"{name}: {c['confirmed']} confirmed of 10,000 seats")
        seqs = mysql_client(db.params, f"SELECT receipt_year, COUNT(*), COUNT(DISTINCT receipt_seq),"
                            f" MAX(receipt_seq) FROM {db.mysql_name}.dues_payments "
                            "GROUP BY receipt_year")
        for line in seqs.strip().splitlines():
            year, n, distinct, top = line.split()
            if not (n == distinct == top):
                raise SetupError(f"{name}: receipts of {year}: {n} rows, {distinct} numbers, "
                                 f"highest {top}")
        signups["check"] = (f"{placed} places for {signups['acked']} acknowledged, "
                            f"{c['confirmed']} confirmed of 10,000")
        payments["check"] = "receipt numbers gapless"
        audit = Api(ports[-1], sign_in_token(ports[-1], *ADMIN)).get("/api/audit/verify")
        if not audit.get("ok"):
            raise SetupError(f"{name}: the audit chain is broken: {audit}")
        return rows
    finally:
        for s in servers:
            s.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--configs", default="one,two,galera,galera-writer")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("scaleout: wrk is not installed", file=sys.stderr)
        return 2
    workdir = tempfile.mkdtemp(prefix="xiehui-scaleout-")
    args.binary = shutil.copy(os.path.abspath(args.binary), os.path.join(workdir, "xiehui"))
    # The scripts scripts/bench.sh uses too, and a GET with a Bearer token.
    args.signup_lua = os.path.join(LUA, "signup.lua")
    args.payment_lua = os.path.join(LUA, "payment.lua")
    args.get_lua = os.path.join(workdir, "get.lua")
    with open(args.get_lua, "w") as f:
        f.write('function init(args) token = args[1] end\n'
                'request = function() return wrk.format("GET", nil, '
                '{["Authorization"] = "Bearer " .. token}) end\n')

    rows = []
    for name in args.configs.split(","):
        if name in ("galera", "galera-writer"):
            nodes = galera_env_nodes()
            if not nodes:
                log(f"{name}: XIEHUI_TEST_GALERA_1..3 not set; skipped")
                continue
            db = Database("galera", workdir, nodes)
            # galera-writer: every process on node 1, as behind a proxy that sends all traffic
            # to one node while it lives (docs/DEPLOY.md).
            conns = db.conns if name == "galera" else [db.conns[0]] * 3
        else:
            if not os.environ.get("XIEHUI_TEST_MYSQL"):
                log(f"{name}: XIEHUI_TEST_MYSQL not set; skipped")
                continue
            db = Database("mariadb", workdir)
            conns = [db.conn] * (1 if name == "one" else 2)
        try:
            rows += run_config(name, args, db, conns, workdir)
        finally:
            db.drop()

    labels = {"one": "1 process, 1 MariaDB", "two": "2 processes, 1 MariaDB",
              "galera": "3 processes, 3 Galera nodes", "galera-writer": "3 processes, Galera node 1"}
    print(f"{'configuration':<30} {'measure':<11} {'req/s':>8} {'p99 ms':>8} {'non-2xx':>8} "
          f"{'5xx':>5} {'retries/write':>13} {'lost':>5}  check")
    for r in rows:
        rate = f"{r['rate']:.2f}" if r["rate"] is not None else "-"
        lost = f"{r['lost']:.0f}" if r["rate"] is not None else "-"
        print(f"{labels[r['config']]:<30} {r['measure']:<11} {r['rps']:>8.0f} {r['p99']:>8.1f} "
              f"{r['non2xx']:>8} {r['answered_5xx']:>5.0f} {rate:>13} {lost:>5}  "
              f"{r.get('check', '')}")
    print(f"(wrk, {args.connections} connections split over the processes, {args.seconds} s each; "
          f"{os.cpu_count()} cores shared by wrk, every process and every database node)")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
