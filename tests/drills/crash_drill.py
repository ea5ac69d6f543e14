#!/usr/bin/env python3
"""Crash drill: every acknowledged write survives a SIGKILL of the server.

    python3 tests/drills/crash_drill.py --binary build/xiehui --backend sqlite|mariadb \
        [--rounds 2] [--seconds 4] [--threads 8] [--keep]
    python3 tests/drills/crash_drill.py --binary build/xiehui --backend galera --galera-dir DIR \
        [--rounds 3] [--seconds 6] [--after-kill 1.5] [--threads 8] [--pace 0.1] [--keep]

What it does
------------
1. Creates a fresh database (SQLite: a file in a temporary directory; MariaDB: a database
   ``xh_drill_<pid>`` in the server named by ``XIEHUI_TEST_MYSQL``, created and dropped with the
   ``mariadb`` client) and starts ``xiehui serve --demo --db CONN --listen 127.0.0.1:0``, reading
   the port from the ``listening on http://127.0.0.1:PORT`` line. ``--binary`` is copied into
   the temporary directory first, so that every restart runs the same executable even if a build
   relinks it meanwhile.
2. Prepares, through the API: API tokens for admin and staff (mishu), member accounts for several
   member units (created by admin), a room, a training course, and per round a fresh training
   class (capacity small enough that late sign-ups are waitlisted), a fresh exchange visit with a
   pool of pending delegates (applied for by staff), and a set of open dues invoices of the demo.
3. Runs a stream of writes from ``--threads`` client threads (keep-alive connections, bearer
   tokens) over four writers:
     sign-ups   POST /api/classes/{id}/enrollments           (member units, unique mobiles)
     payments   POST /api/dues/invoices/{id}/payments        (staff, Idempotency-Key, 1–50 fen)
     bookings   POST /api/bookings                           (staff, one 30-minute slot each)
     approvals  POST /api/visit-delegates/{id}/approve       (staff, each pending delegate once)
   Each thread records every write that was answered 2xx, with the id and values it returned.
   None of these writes should ever be refused; any non-2xx answer fails the drill.
4. After ``--seconds`` it sends SIGKILL to the server while requests are in flight, restarts it
   on the same database (``--demo`` again: the demo seed runs only into an empty database) and
   checks through the API, for everything acknowledged in this and all earlier rounds:
     - every acknowledged enrolment, payment, booking and approval is there with the acknowledged
       values (status, unit, mobile, amount, receipt number, times, title …);
     - counters agree with rows: a class's confirmed/waitlisted figures equal its roster, confirmed
       never exceeds capacity; a visit's approved/waitlisted figures equal its delegates, approved
       never exceeds capacity, every approved delegate has an open charge; an invoice's paid_fen
       is the sum of its valid payments and outstanding = amount - reduced - paid; the dues report
       (trigger-maintained aggregates) agrees with the invoices; receipt numbers are unique and
       gapless per year; no two active bookings of the drill's room overlap;
     - an acknowledged payment replayed with its Idempotency-Key answers the stored 201 (same
       payment id and receipt number) and records nothing twice;
     - nothing is half-written: every drill row has its audit row, and every drill audit row has
       its business row;
     - ``GET /api/audit/verify`` (admin) reports the hash chain intact.
   Rows that were committed but never acknowledged (the kill cut the answer) are allowed and
   counted as "unacknowledged but committed".
5. Repeats 3–4 for ``--rounds`` kill/restart cycles, stops the server (SIGKILL by pid), drops the
   MariaDB database / removes the temporary directory (kept with ``--keep`` or on failure for
   SQLite) and prints one summary line per writer and a final line such as

     crash drill sqlite: 2 rounds, sign-ups 812/812, payments 640/640, bookings 655/655,
     approvals 590/590, lost 0, audit chain ok (15230 rows)

Galera (``--backend galera``)
----------------------------
Three xiehui processes on a three-node cluster started by ``scripts/galera_test_cluster.sh start
DIR``; ``--galera-dir DIR`` names it (its ``env`` gives the nodes, its ``kill``/``restart`` kill
and revive them). Without ``--galera-dir`` the nodes come from ``XIEHUI_TEST_GALERA_1..3`` and
only xiehui processes are killed; with neither the drill is skipped (77).

1. The database is created on node 1. Process i talks to node i; process 1 starts first with
   ``--demo`` (it migrates and seeds), processes 2 and 3 only once it listens and without
   ``--demo`` (they find the schema current: no two nodes ever migrate at once). Logs:
   ``server-1.log`` … ``server-3.log``. Setup goes through process 1; client thread t writes
   through process t % 3.
2. Round r SIGKILLs process (r % 3) + 1 and, through the script, node ((r + 1) % 3) + 1 (another
   node than the killed process's: one process dead, another without its node), lets the
   survivors serve the stream ``--after-kill`` more seconds (the cluster stalls until it evicts
   the dead node, ~5 s), stops the stream, restarts the process (without ``--demo``) and the node
   (the script returns once it is Synced), waits until every process answers ``/readyz`` on all
   its pooled sessions, and checks everything above through the process that was not hit, plus
   ``/api/audit/verify`` through each of the three. Three rounds kill each process and each
   node once.
3. Any non-2xx answer still fails the drill, except connection errors and 503 answers from the
   killed process and the process whose node was killed, between the kills and the restarts
   (counted as "kill windows"). A 503 from a healthy process, e.g. a write that lost its
   certification conflicts 20 times, fails the drill. A process whose node returns answers one
   503 per pooled session that still holds a connection to the dead node; those (seen while
   waiting for ``/readyz``) are counted, not failed.
4. Reported besides: writes per writer, unacknowledged but committed, the kill-window answers,
   the slowest write, and ``xiehui_db_write_retries_total`` / ``xiehui_db_write_conflicts_lost_total``
   from each process's ``/metrics`` (scraped right before a process is killed and at the end,
   summed), with retries per acknowledged write. Final line such as

     crash drill galera: 3 rounds, sign-ups 333/333, payments 358/358, bookings 341/341,
     approvals 328/328, lost 0, audit chain ok on 3 processes (1907 rows), retries 633
     (0.47 per write), conflicts lost 0, 68s

Every write on Galera takes the cluster's write token, so writes run one at a time across the
cluster and a conflict runs the loser again (up to 20 times). The galera defaults (8 threads,
each pausing ``--pace`` 0.1 s between writes, ~55 writes/s; 6 s + 1.5 s of stream per round;
classes of 40 seats and visits of 30 places so that waitlists are reached) make the default
drill take 1–2 minutes. Back-to-back writers (``--pace 0``) lose conflicts: some writes are
answered 503 after their 20 attempts, and the drill fails. On the way out the drill SIGKILLs its
processes by pid, starts again every node it killed (also after a failure or SIGTERM), and drops
the database; the cluster keeps running for its owner to stop.

Exit status: 0 when nothing acknowledged was lost and every check passed; 1 on any loss or
failed check (each problem is printed); 2 on a setup failure (server would not start, the API
refused the preparation); 77 when ``--backend mariadb`` is asked for and ``XIEHUI_TEST_MYSQL``
is unset, or ``--backend galera`` without a cluster (CTest's skip code).

Standard library only. The server's stderr (its log) goes to ``server.log`` (Galera:
``server-1.log`` … ``server-3.log``) in the drill's temporary directory, printed in part when
something fails; the directory is kept after a failure of the SQLite or Galera drill.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
ADMIN = ("admin", "Demo-Admin-2026")
STAFF = ("mishu", "Demo-Staff-2026")
MEMBER_PASSWORD = "Drill-Member-2026!"
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:([0-9]{1,5})")
WRITERS = ("sign-ups", "payments", "bookings", "approvals")
AUDIT_ACTIONS = {
    "sign-ups": ["enrollment.create"],
    "payments": ["dues.payment"],
    "bookings": ["booking.create"],
    "approvals": ["delegate.approve", "delegate.waitlist"],
}


class SetupError(Exception):
    """The drill could not prepare its run (not a finding about durability)."""


def log(msg: str) -> None:
    print(msg, flush=True)


# ---------------------------------------------------------------------------------------------
# HTTP


class Reply:
    def __init__(self, status: int, headers: dict, raw: bytes):
        self.status = status
        self.headers = headers
        self.raw = raw
        try:
            self.data = json.loads(raw) if raw else None
        except ValueError:
            self.data = None

    def text(self) -> str:
        return self.raw[:600].decode("utf-8", "replace")


class Http:
    """One keep-alive connection; a failed exchange drops the connection (next call reconnects)."""

    def __init__(self, port: int, token: str | None = None, timeout: float = 60.0):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None

    def call(self, method: str, path: str, body=None, headers: dict | None = None) -> Reply:
        hdrs = {"Accept": "application/json", "Accept-Language": "en"}
        if self.token:
            hdrs["Authorization"] = "Bearer " + self.token
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        if headers:
            hdrs.update(headers)
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=payload, headers=hdrs)
            res = self.conn.getresponse()
            raw = res.read()
            reply = Reply(res.status, {k.lower(): v for k, v in res.getheaders()}, raw)
            if res.will_close:
                self.close()
            return reply
        except BaseException:
            self.close()
            raise


class Api:
    """Setup and verification calls: retried once on a dropped connection, must succeed."""

    def __init__(self, port: int, token: str | None = None):
        self.http = Http(port, token)

    def call(self, method, path, body=None, expect=(200, 201, 204), headers=None) -> Reply:
        for attempt in (1, 2):
            try:
                reply = self.http.call(method, path, body, headers)
                break
            except (OSError, http.client.HTTPException) as e:
                if attempt == 2 or method not in ("GET", "HEAD"):
                    raise SetupError(f"{method} {path}: {e!r}") from e
        if reply.status not in expect:
            raise SetupError(f"{method} {path} -> {reply.status}: {reply.text()}")
        return reply

    def get(self, path: str) -> dict:
        return self.call("GET", path, expect=(200,)).data

    def post(self, path: str, body=None, expect=(200, 201)) -> dict:
        return self.call("POST", path, body, expect=expect).data

    def pages(self, path: str, page_size: int = 200) -> list:
        items, page = [], 1
        sep = "&" if "?" in path else "?"
        while True:
            data = self.get(f"{path}{sep}page={page}&page_size={page_size}")
            items.extend(data["items"])
            if len(items) >= data.get("total", 0) or not data["items"]:
                return items
            page += 1


def sign_in_token(port: int, username: str, password: str) -> str:
    """Signs in with a session (cookie + CSRF) and creates a personal API token with it."""
    h = Http(port)
    r = h.call("POST", "/api/session", {"username": username, "password": password})
    if r.status != 200:
        raise SetupError(f"sign-in as {username} -> {r.status}: {r.text()}")
    cookie = r.headers.get("set-cookie", "").split(";", 1)[0]
    csrf = r.data["csrf_token"]
    t = h.call("POST", "/api/tokens", {"name": "crash drill"},
               headers={"Cookie": cookie, "X-CSRF-Token": csrf})
    h.close()
    if t.status not in (200, 201):
        raise SetupError(f"POST /api/tokens as {username} -> {t.status}: {t.text()}")
    return t.data["token"]


# ---------------------------------------------------------------------------------------------
# The server process


class Server:
    def __init__(self, binary: str, conn: str, workdir: str, log_name: str = "server.log",
                 name: str = "server", extra_args: list[str] | None = None):
        self.binary = binary
        self.extra_args = extra_args or []
        self.conn = conn
        self.workdir = workdir
        self.name = name
        self.log_path = os.path.join(workdir, log_name)
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("XIEHUI_CONFIG", "XIEHUI_DB", "XIEHUI_LISTEN")}

    def start(self, timeout: float = 180.0, demo: bool = True) -> int:
        args = [self.binary, "serve"] + (["--demo"] if demo else []) + [
            "--db", self.conn, "--listen", "127.0.0.1:0"] + self.extra_args
        with open(self.log_path, "ab") as logf:
            logf.write(f"==== {time.strftime('%H:%M:%S')} start: serve"
                       f"{' --demo' if demo else ''}\n".encode())
            logf.flush()
            try:
                self.proc = subprocess.Popen(args, cwd=self.workdir, env=self.env,
                                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                             stderr=logf)
            except OSError as e:
                raise SetupError(f"cannot run {self.binary}: {e}") from e
        lines: queue.Queue = queue.Queue()

        def pump(stream):
            # Keeps reading so that the server can never block on a full stdout pipe.
            for raw in iter(stream.readline, b""):
                lines.put(raw.decode("utf-8", "replace").rstrip("\n"))
            lines.put(None)

        threading.Thread(target=pump, args=(self.proc.stdout,), daemon=True).start()
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise SetupError(f"{self.name} printed no listening line within {timeout:.0f}s; "
                                 f"stdout: {seen[-5:]}\n{self.log_tail()}")
            try:
                line = lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                code = self.proc.wait()
                self.proc = None
                raise SetupError(f"{self.name} exited with {code} before listening; stdout: "
                                 f"{seen[-5:]}\n{self.log_tail()}")
            seen.append(line)
            m = LISTENING.search(line)
            if m:
                self.port = int(m.group(1))
                return self.port

    def kill(self) -> None:
        """SIGKILL by pid: no shutdown handler runs, nothing is flushed."""
        if self.proc is None:
            return
        try:
            os.kill(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 25) -> str:
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return f"(no log of {self.name})"
        return (f"{self.name} log {os.path.basename(self.log_path)} (last lines):\n  "
                + "\n  ".join(text[-lines:]))


# ---------------------------------------------------------------------------------------------
# Databases


def mysql_params(raw: str | None = None) -> dict:
    if raw is None:
        raw = os.environ.get("XIEHUI_TEST_MYSQL", "").strip()
    params = {}
    for part in raw.split():
        if "=" in part:
            k, v = part.split("=", 1)
            params[k.strip()] = v.strip()
    return params


def mysql_client(params: dict, sql: str) -> str:
    client = shutil.which("mariadb") or shutil.which("mysql")
    if not client:
        raise SetupError("no mariadb (or mysql) client on PATH: cannot create the drill database")
    args = [client, "--no-defaults", "--batch", "--skip-column-names",
            "-h", params.get("host", "127.0.0.1"), "-P", params.get("port", "3306"),
            "-u", params.get("user", "root"), "-e", sql]
    env = dict(os.environ)
    if params.get("password"):
        env["MYSQL_PWD"] = params["password"]
    r = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise SetupError(f"{client} -e {sql!r} failed: {r.stderr.strip()}")
    return r.stdout


GALERA_SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scripts", "galera_test_cluster.sh")
GALERA_ENV_LINE = re.compile(r'^XIEHUI_TEST_GALERA_([123])="?([^"]*)"?\s*$')


class Cluster:
    """The three-node Galera test cluster in DIR, through scripts/galera_test_cluster.sh.

    Remembers the nodes it killed, so that ``restore`` can start them again whatever happens.
    """

    def __init__(self, directory: str):
        self.dir = os.path.abspath(directory)
        self.down: set[int] = set()

    def script(self, *args: str, timeout: float = 300.0) -> str:
        try:
            r = subprocess.run(["bash", GALERA_SCRIPT, *args], capture_output=True, text=True,
                               timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise SetupError(f"galera_test_cluster.sh {' '.join(args)}: {e}") from e
        if r.returncode != 0:
            raise SetupError(f"galera_test_cluster.sh {' '.join(args)} failed ({r.returncode}): "
                             f"{(r.stderr or r.stdout).strip()[-800:]}")
        return r.stdout

    def env(self) -> dict[int, str]:
        nodes = {}
        for line in self.script("env", self.dir, timeout=30).splitlines():
            m = GALERA_ENV_LINE.match(line.strip())
            if m:
                nodes[int(m.group(1))] = m.group(2).strip()
        if sorted(nodes) != [1, 2, 3]:
            raise SetupError(f"galera_test_cluster.sh env {self.dir} named nodes {sorted(nodes)}")
        return nodes

    def kill(self, node: int) -> None:
        self.down.add(node)
        self.script("kill", self.dir, str(node), timeout=60)

    def restart(self, node: int) -> None:
        self.script("restart", self.dir, str(node))
        self.down.discard(node)

    def restore(self) -> None:
        """Starts every node this drill killed and has not started again (twice at most)."""
        for node in sorted(self.down):
            for attempt in (1, 2):
                try:
                    log(f"restoring Galera node {node} of {self.dir}")
                    self.restart(node)
                    break
                except SetupError as e:
                    print(f"crash drill: restarting Galera node {node} (attempt {attempt}): {e}",
                          file=sys.stderr, flush=True)


def galera_env_nodes() -> dict[int, str]:
    nodes = {i: os.environ.get(f"XIEHUI_TEST_GALERA_{i}", "").strip() for i in (1, 2, 3)}
    return nodes if all(nodes.values()) else {}


class Database:
    def __init__(self, backend: str, workdir: str, galera_nodes: dict[int, str] | None = None):
        self.backend = backend
        self.workdir = workdir
        self.mysql_name = None
        self.conns: list[str] = []
        if backend == "sqlite":
            self.conn = "sqlite3://db=" + os.path.join(workdir, "xiehui.db")
        elif backend == "galera":
            # One database, created on node 1 (DDL replicates to every node); process i talks to
            # node i.
            self.node_params = [mysql_params(galera_nodes[i]) for i in (1, 2, 3)]
            self.params = self.node_params[0]
            self.mysql_name = f"xh_drill_{os.getpid()}"
            mysql_client(self.params, f"DROP DATABASE IF EXISTS {self.mysql_name}; "
                         f"CREATE DATABASE {self.mysql_name} CHARACTER SET utf8mb4 "
                         "COLLATE utf8mb4_unicode_ci")
            self.conns = [f"mysql://db={self.mysql_name} {galera_nodes[i]}" for i in (1, 2, 3)]
            self.conn = self.conns[0]
        else:
            raw = os.environ.get("XIEHUI_TEST_MYSQL", "").strip()
            self.params = mysql_params()
            self.mysql_name = f"xh_drill_{os.getpid()}"
            mysql_client(self.params, f"DROP DATABASE IF EXISTS {self.mysql_name}; "
                         f"CREATE DATABASE {self.mysql_name} CHARACTER SET utf8mb4 "
                         "COLLATE utf8mb4_unicode_ci")
            # The same form as tests/support/test_database.cpp: "mysql://db=NAME " + params.
            self.conn = f"mysql://db={self.mysql_name} {raw}"

    def drop(self) -> None:
        if self.mysql_name:
            # Galera: through the first node that answers (one may still be down after a failure).
            tried = getattr(self, "node_params", None) or [self.params]
            for i, params in enumerate(tried):
                try:
                    mysql_client(params, f"DROP DATABASE IF EXISTS {self.mysql_name}")
                    break
                except SetupError:
                    if i == len(tried) - 1:
                        raise
            self.mysql_name = None


# ---------------------------------------------------------------------------------------------
# Time helpers


def shanghai_today() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


def instant(t: dt.datetime) -> str:
    return t.astimezone(SHANGHAI).isoformat(timespec="seconds")


def same_instant(a: str, b: str) -> bool:
    try:
        return dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b)
    except (TypeError, ValueError):
        return a == b


# ---------------------------------------------------------------------------------------------
# The drill


class Ledger:
    """What the threads were told: acknowledged writes, and everything else they saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {w: [] for w in WRITERS}      # list of dicts (with "round")
        self.attempts = {w: 0 for w in WRITERS}
        self.unknown = {w: 0 for w in WRITERS}     # no answer: the kill cut the exchange
        self.refused = {w: [] for w in WRITERS}    # answered, but not 2xx
        self.unanswered_payments: list[dict] = []  # retried with their key after the restart
        self.in_flight = 0
        # Galera: answers allowed only from a process that was killed or whose node was killed,
        # between the kills and the restarts.
        self.window_503 = 0
        self.window_no_answer = 0
        self.slowest = (0.0, "")                   # (seconds, which write) of the stream
        self.slow = 0                              # writes answered after 10 s or more

    def add(self, writer: str, record: dict) -> None:
        with self.lock:
            self.acked[writer].append(record)


class Drill:
    def __init__(self, args):
        self.args = args
        self.tag = f"XHD{os.getpid()}"
        self.today = shanghai_today()
        self.year = self.today.year + 3           # classes and visits: a year of their own
        self.ledger = Ledger()
        self.problems: list[str] = []
        self.extras = {w: 0 for w in WRITERS}     # committed, never acknowledged
        self.found = {w: 0 for w in WRITERS}
        self.classes: list[dict] = []             # {"id", "capacity"}
        self.visits: list[dict] = []              # {"id", "capacity"}
        self.invoices: list[dict] = []
        self.pending: list[int] = []              # delegate ids waiting for approval
        self.pending_lock = threading.Lock()
        self.mobiles = itertools.count(1)
        self.slots = itertools.count(0)
        self.seq = itertools.count(1)
        self.stop = threading.Event()
        self.audit_rows = 0
        self.audit_ok = False
        self.retried = {"replayed": 0, "recorded": 0, "in flight": 0}
        self.servers: list[Server] = []
        self.galera = args.backend == "galera"
        self.cluster: Cluster | None = None
        # The kill window (Galera): the processes whose failures are expected until the restarts.
        self.window_open = False
        self.window_procs: set[int] = set()
        self.stale_503 = 0                        # 503s of stale pooled sessions after a node returned
        self.retries_banked = {"retries": 0, "lost": 0}  # /metrics of processes before their kill
        self.audit_processes_ok = 0
        self.consent = 1                          # the privacy notice in force (read in prepare)

    # ----- preparation --------------------------------------------------------------------

    def mobile(self, prefix: str) -> str:
        # 11 digits, unique within the run: 138 (sign-ups) or 139 (delegates) and a counter.
        return f"{prefix}{next(self.mobiles):08d}"

    def prepare(self, port: int) -> None:
        self.admin_token = sign_in_token(port, *ADMIN)
        self.staff_token = sign_in_token(port, *STAFF)
        admin, staff = Api(port, self.admin_token), Api(port, self.staff_token)
        self.consent = staff.get("/api/privacy/notice")["version"]

        # Member accounts for several units: sign-ups in parallel, each unit for itself.
        units = staff.pages("/api/members?status=active")
        units = [u for u in units if u.get("status") == "active"]
        if len(units) < 4:
            raise SetupError(f"the demo has only {len(units)} active member units")
        self.units = units
        self.members = []
        for u in units[: max(4, self.args.threads)]:
            name = f"drill{u['id']}"
            admin.post("/api/users", {"username": name, "display_name": f"演练 {u['short_name'] or u['name']}",
                                      "password": MEMBER_PASSWORD, "roles": ["member"],
                                      "member_id": u["id"]}, expect=(201,))
            self.members.append({"member_id": u["id"], "token": sign_in_token(port, name, MEMBER_PASSWORD),
                                 "username": name})

        room = staff.post("/api/rooms", {"name": f"演练会议室 {self.tag}", "location": "崩溃演练",
                                         "capacity": 20, "equipment": []}, expect=(201,))
        self.room_id = room["id"]
        self.slot_base = dt.datetime(self.year + 1, 1, 1, 0, 0, tzinfo=SHANGHAI)
        course = staff.post("/api/courses", {"title": f"崩溃演练课程 {self.tag}",
                                              "description": "crash drill", "topics": []})
        self.course_id = course["id"]

        # Open invoices of the demo's dues (unpaid or partly paid, plenty outstanding).
        open_invoices = []
        for status in ("unpaid", "partial"):
            open_invoices += staff.pages(f"/api/dues/invoices?status={status}")
        open_invoices = [i for i in open_invoices if i["outstanding_fen"] >= 100_000]
        if len(open_invoices) < 4:
            open_invoices = self.bill_a_year(staff)
        open_invoices.sort(key=lambda i: i["id"])
        self.invoices = [{"id": i["id"], "year": i["year"]} for i in open_invoices[:24]]
        self.dues_years = sorted({i["year"] for i in self.invoices})

    def bill_a_year(self, staff: Api) -> list:
        """No open invoices (a demo without dues): adopt, publish and bill a schedule."""
        year = self.today.year
        tiers = {"member": 300000, "council": 600000, "standing_council": 1000000,
                 "vice_president": 2000000, "president": 3000000}
        decision = {"meeting_name": f"崩溃演练会员大会 {self.tag}", "held_on": f"{year - 1}-12-20",
                    "entitled": 90, "present": 80, "votes_for": 78, "votes_against": 1,
                    "abstentions": 1, "secret_ballot": True, "resolution_id": None}
        r = staff.call("PUT", f"/api/dues/schedules/{year}",
                       {"tiers": tiers, "effective_on": f"{year}-01-01", "decision": decision},
                       expect=(200, 409))
        if r.status == 200:
            staff.call("POST", f"/api/dues/schedules/{year}/publish", expect=(200, 204, 409))
        staff.post("/api/dues/bill-runs", {"year": year, "dry_run": False})
        invoices = []
        for status in ("unpaid", "partial"):
            invoices += staff.pages(f"/api/dues/invoices?status={status}")
        invoices = [i for i in invoices if i["outstanding_fen"] >= 100_000]
        if len(invoices) < 4:
            raise SetupError("no open dues invoices to pay, and a bill run made none")
        return invoices

    def prepare_round(self, port: int, rnd: int, expected_approvals: int) -> None:
        staff = Api(port, self.staff_token)
        day = dt.date(self.year, 3, 1) + dt.timedelta(days=7 * rnd)
        cls = staff.post(f"/api/courses/{self.course_id}/classes", {
            "title": f"第{rnd}期 {self.tag}", "venue": "崩溃演练培训中心",
            "starts_at": f"{day.isoformat()}T09:00:00+08:00",
            "ends_at": f"{(day + dt.timedelta(days=1)).isoformat()}T17:00:00+08:00",
            "signup_deadline": (day - dt.timedelta(days=14)).isoformat(),
            "capacity": self.args.class_capacity, "per_member_quota": None, "fee_fen": 50000,
            "status": "open"}, expect=(201,))
        self.classes.append({"id": cls["id"], "capacity": cls["capacity"], "round": rnd})

        vday = dt.date(self.year, 5, 1) + dt.timedelta(days=7 * rnd)
        visit = staff.post("/api/visits", {
            "title": f"崩溃演练考察 第{rnd}轮 {self.tag}", "destination": "演练目的地",
            "hosts": [{"member_id": None, "name": "演练接待单位"}],
            "starts_on": vday.isoformat(), "ends_on": (vday + dt.timedelta(days=2)).isoformat(),
            "capacity": self.args.visit_capacity, "per_member_quota": None, "cost_fen": 20000,
            "apply_deadline": (vday - dt.timedelta(days=10)).isoformat(), "status": "open",
            "itinerary": []}, expect=(201,))
        self.visits.append({"id": visit["id"], "capacity": visit["capacity"], "round": rnd})

        # Pending delegates for the approval threads, 50 to an application.
        pool = []
        apps = (expected_approvals + 49) // 50
        for k in range(apps):
            unit = self.units[k % len(self.units)]["id"]
            delegates = [{"name": f"演练代表{next(self.seq)}", "title": "招商局科员",
                          "gender": "m" if j % 2 else "f", "mobile": self.mobile("139"),
                          "shares_room": True} for j in range(50)]
            app = staff.post(f"/api/visits/{visit['id']}/applications",
                             {"member_id": unit, "delegates": delegates,
                              "consent_version": self.consent}, expect=(201,))
            pool += [d["id"] for d in app["delegates"]]
        with self.pending_lock:
            self.pending = pool

    # ----- the stream of writes -----------------------------------------------------------

    def writer_plan(self) -> list[str]:
        n = self.args.threads
        return [WRITERS[i % len(WRITERS)] for i in range(n)]

    def relaxed(self, proc: int) -> bool:
        """Galera: may process PROC fail right now (it, or its node, was killed this round)?"""
        return self.galera and self.window_open and proc in self.window_procs

    def run_thread(self, writer: str, index: int, proc: int, port: int, rnd: int) -> None:
        led = self.ledger
        if writer == "sign-ups":
            clients = [(m, Http(port, m["token"])) for m in self.members[index::max(1, self.args.threads // 4)]]
            if not clients:
                clients = [(self.members[0], Http(port, self.members[0]["token"]))]
        else:
            clients = [(None, Http(port, self.staff_token))]
        cls_id = self.classes[-1]["id"]
        visit_id = self.visits[-1]["id"]
        n = 0
        try:
            while not self.stop.is_set():
                if n and self.args.pace:
                    self.stop.wait(self.args.pace)  # a client's think time between its writes
                    if self.stop.is_set():
                        break
                member, h = clients[n % len(clients)]
                n += 1
                if writer == "sign-ups":
                    mobile = self.mobile("138")
                    name = f"演练学员{next(self.seq)}"
                    method, path = "POST", f"/api/classes/{cls_id}/enrollments"
                    body = {"member_id": member["member_id"],
                            "attendee": {"name": name, "title": "科员", "mobile": mobile},
                            "consent_version": self.consent}
                    headers = None
                elif writer == "payments":
                    inv = self.invoices[(index * 7 + n) % len(self.invoices)]
                    k = next(self.seq)
                    body = {"amount_fen": 1 + k % 50, "paid_on": self.today.isoformat(),
                            "method": "bank_transfer", "reference": f"{self.tag} 付款 {k}"}
                    key = f"{self.tag}-pay-{k}"
                    method, path = "POST", f"/api/dues/invoices/{inv['id']}/payments"
                    headers = {"Idempotency-Key": key}
                elif writer == "bookings":
                    slot = next(self.slots)
                    start = self.slot_base + dt.timedelta(minutes=30 * slot)
                    body = {"room_id": self.room_id, "starts_at": instant(start),
                            "ends_at": instant(start + dt.timedelta(minutes=30)),
                            "title": f"{self.tag} 时段 {slot}"}
                    method, path, headers = "POST", "/api/bookings", None
                else:
                    with self.pending_lock:
                        did = self.pending.pop() if self.pending else None
                    if did is None:
                        time.sleep(0.05)
                        continue
                    method, path, body, headers = "POST", f"/api/visit-delegates/{did}/approve", None, None
                with led.lock:
                    led.attempts[writer] += 1
                    led.in_flight += 1
                sent = time.monotonic()
                try:
                    reply = h.call(method, path, body, headers)
                    took = time.monotonic() - sent
                    if took > led.slowest[0]:
                        with led.lock:
                            led.slowest = max(led.slowest, (took, f"{time.strftime('%H:%M:%S')} "
                                                            f"process {proc + 1}: {method} {path} "
                                                            f"-> {reply.status}"))
                    if took >= 10:
                        with led.lock:
                            led.slow += 1
                except (OSError, http.client.HTTPException) as e:
                    relaxed = self.relaxed(proc)
                    with led.lock:
                        led.unknown[writer] += 1
                        if writer == "payments":
                            led.unanswered_payments.append(
                                {"invoice_id": inv["id"], "key": key, "body": body, "round": rnd})
                        if self.galera:
                            if relaxed:
                                led.window_no_answer += 1
                            else:  # a healthy process must answer
                                led.refused[writer].append(
                                    f"{time.strftime('%H:%M:%S')} process {proc + 1}: {method} {path} "
                                    f"{json.dumps(body, ensure_ascii=False)} -> no answer: {e!r}")
                    if not self.stop.is_set():
                        # A killed process refuses connections at once: do not spin on it.
                        time.sleep(0.1 if self.galera else 0.01)
                    continue
                finally:
                    with led.lock:
                        led.in_flight -= 1
                if not 200 <= reply.status < 300:
                    if reply.status == 503 and self.relaxed(proc):
                        with led.lock:
                            led.window_503 += 1
                            if writer == "payments":  # no answer that counts: retry with the key
                                led.unanswered_payments.append(
                                    {"invoice_id": inv["id"], "key": key, "body": body, "round": rnd})
                        if not self.stop.is_set():
                            time.sleep(0.05)
                        continue
                    with led.lock:
                        where = (f"{time.strftime('%H:%M:%S')} process {proc + 1}: "
                                 if self.galera else "")
                        led.refused[writer].append(f"{where}{method} {path} "
                                                   f"{json.dumps(body, ensure_ascii=False)}"
                                                   f" -> {reply.status} {reply.text()}")
                    continue
                d = reply.data or {}
                if writer == "sign-ups":
                    rec = {"id": d.get("id"), "class_id": cls_id, "member_id": member["member_id"],
                           "mobile": mobile, "name": name, "status": d.get("status")}
                elif writer == "payments":
                    rec = {"id": d.get("payment_id"), "invoice_id": inv["id"], "key": key, "body": body,
                           "amount_fen": body["amount_fen"], "reference": body["reference"],
                           "receipt_no": d.get("receipt_no")}
                elif writer == "bookings":
                    rec = {"id": d.get("id"), "starts_at": body["starts_at"], "ends_at": body["ends_at"],
                           "title": body["title"], "room_id": d.get("room_id")}
                else:
                    rec = {"id": did, "visit_id": visit_id, "status": d.get("status"),
                           "returned_id": d.get("id")}
                rec["round"] = rnd
                led.add(writer, rec)
        finally:
            for _, h in clients:
                h.close()

    def stream(self, rnd: int) -> dict:
        # Thread t writes through process t % (number of processes): one process but on Galera.
        n = len(self.servers)
        threads = [threading.Thread(target=self.run_thread,
                                    args=(w, i // len(WRITERS), i % n, self.servers[i % n].port, rnd),
                                    name=f"{w}-{i}", daemon=True)
                   for i, w in enumerate(self.writer_plan())]
        before = {w: len(self.ledger.acked[w]) for w in WRITERS}
        self.stop.clear()
        for t in threads:
            t.start()
        time.sleep(self.args.seconds)
        with self.ledger.lock:
            in_flight = self.ledger.in_flight
        for srv in self.servers:
            if not srv.alive():
                self.problem(f"round {rnd}: {srv.name} died by itself during the stream\n"
                             + srv.log_tail())
        kills = {}
        if self.galera:
            kills = self.galera_kill(rnd)  # the survivors keep serving the stream a while
        else:
            self.servers[0].kill()         # SIGKILL while the threads keep writing
        self.stop.set()
        for t in threads:
            t.join(timeout=120)
            if t.is_alive():
                raise SetupError(f"client thread {t.name} did not stop")
        acked = {w: len(self.ledger.acked[w]) - before[w] for w in WRITERS}
        return {"in_flight": in_flight, "acked": acked, **kills}

    # ----- Galera: several processes, one cluster -------------------------------------------

    def galera_kill(self, rnd: int) -> dict:
        """Round r SIGKILLs process (r % 3) + 1 and Galera node ((r + 1) % 3) + 1 (another node than
        the killed process's), then lets the survivors serve the stream for --after-kill seconds."""
        n = len(self.servers)
        victim = rnd % n
        node = (rnd + 1) % n + 1 if self.cluster is not None else None
        self.window_procs = {victim} | ({node - 1} if node else set())
        self.window_open = True            # before the kills: their first failures are expected
        self.bank_metrics(victim)          # its counters die with it
        t = time.monotonic()
        self.servers[victim].kill()
        if node:
            self.cluster.kill(node)
        killed_at = time.monotonic() - t
        time.sleep(self.args.after_kill)
        return {"victim": victim, "node": node, "kill_seconds": killed_at}

    def galera_restart(self, rnd: int, victim: int, node: int | None) -> None:
        t = time.monotonic()
        self.servers[victim].start(demo=False)   # only process 1's first start seeds the demo
        if node:
            self.cluster.restart(node)
        took = time.monotonic() - t
        stale = [self.settle(i) for i in range(len(self.servers))]
        self.window_open = False
        self.stale_503 += sum(stale)
        log(f"round {rnd}: restarted process {victim + 1} on port {self.servers[victim].port}"
            + (f" and Galera node {node} (Synced)" if node else "")
            + f" in {took:.1f}s; stale pooled connections answered 503 "
            + "/".join(str(x) for x in stale) + " times (process 1/2/3); checking")

    def settle(self, proc: int, timeout: float = 60.0) -> int:
        """Waits until process PROC answers /readyz 200 on all its pooled database sessions.

        A process whose Galera node was killed keeps its other pooled sessions' dead connections;
        each answers 503 once (and reconnects) when it is next used. Bursts of concurrent /readyz
        use them all; three clean bursts in a row end the wait. Returns the 503s seen. Any other
        answer, or 503s from a process whose node was not killed, is a problem.
        """
        port = self.servers[proc].port
        bad, clean = 0, 0
        deadline = time.monotonic() + timeout
        while clean < 3:
            results: list = []

            def probe():
                h = Http(port, timeout=30)
                try:
                    results.append(h.call("GET", "/readyz").status)
                except (OSError, http.client.HTTPException) as e:
                    results.append(repr(e))
                finally:
                    h.close()

            ts = [threading.Thread(target=probe, daemon=True) for _ in range(16)]
            for t in ts:
                t.start()
            for t in ts:
                t.join(timeout=40)
            not_ok = [r for r in results if r != 200]
            if not not_ok and len(results) == 16:
                clean += 1
                continue
            clean = 0
            if any(r != 503 for r in not_ok) or proc not in self.window_procs:
                self.problem(f"process {proc + 1} after the restarts: /readyz answered {not_ok}")
                return bad
            bad += len(not_ok)
            if time.monotonic() > deadline:
                self.problem(f"process {proc + 1} not ready {timeout:.0f}s after the restarts: "
                             f"/readyz answered {not_ok}")
                return bad
            time.sleep(0.2)
        return bad

    def scrape_metrics(self, proc: int) -> dict | None:
        try:
            h = Http(self.servers[proc].port, timeout=3)
            r = h.call("GET", "/metrics")
            h.close()
        except (OSError, http.client.HTTPException):
            return None
        if r.status != 200:
            return None
        figures = {}
        text = r.raw.decode("utf-8", "replace")
        for key, name in (("retries", "xiehui_db_write_retries_total"),
                          ("lost", "xiehui_db_write_conflicts_lost_total")):
            m = re.search(rf"^{name}(?:{{[^}}]*}})?\s+([0-9.eE+]+)\s*$", text, re.M)
            figures[key] = int(float(m.group(1))) if m else 0
        return figures

    def bank_metrics(self, proc: int) -> None:
        """Adds PROC's retry counters to the bank before it is killed (a restart resets them)."""
        f = self.scrape_metrics(proc)
        if f is None:
            log(f"  (process {proc + 1}: /metrics did not answer before the kill; its retries "
                "so far are not counted)")
            return
        for k in self.retries_banked:
            self.retries_banked[k] += f[k]

    def retry_unanswered(self, port: int) -> None:
        """A client that got no answer retries with the same key: once recorded at most.

        201 (new, or the stored answer replayed): the payment exists once and joins the
        acknowledged ones; 409: the claim was committed before the kill and is still "in flight"
        (taken over after 5 minutes, docs/DESIGN.md) — nothing recorded, nothing to check.
        """
        led = self.ledger
        with led.lock:
            todo, led.unanswered_payments = led.unanswered_payments, []
        h = Http(port, self.staff_token)
        for u in todo:
            r = h.call("POST", f"/api/dues/invoices/{u['invoice_id']}/payments", u["body"],
                       {"Idempotency-Key": u["key"]})
            if r.status == 201:
                replayed = r.headers.get("idempotent-replayed") == "true"
                self.retried[("replayed" if replayed else "recorded")] += 1
                led.add("payments", {"id": r.data["payment_id"], "invoice_id": u["invoice_id"],
                                     "key": u["key"], "body": u["body"],
                                     "amount_fen": u["body"]["amount_fen"],
                                     "reference": u["body"]["reference"],
                                     "receipt_no": r.data["receipt_no"], "round": u["round"]})
            elif r.status == 409:
                self.retried["in flight"] += 1
            else:
                self.problem(f"retry of unanswered payment (key {u['key']}) -> {r.status} {r.text()}")
        h.close()

    # ----- verification -------------------------------------------------------------------

    def problem(self, text: str) -> None:
        # A loss found after round 1 is found again after every later round: report it once.
        if text in self.problems:
            return
        self.problems.append(text)
        if len(self.problems) <= 60:
            log("  LOST/BROKEN: " + text)
        elif len(self.problems) == 61:
            log("  … (more problems not shown)")

    def verify(self, port: int) -> None:
        staff, admin = Api(port, self.staff_token), Api(port, self.admin_token)
        self.found = {w: 0 for w in WRITERS}
        self.extras = {w: 0 for w in WRITERS}
        drill_ids = {w: set() for w in WRITERS}
        self.verify_signups(staff, drill_ids["sign-ups"])
        self.verify_payments(staff, drill_ids["payments"])
        self.verify_bookings(staff, drill_ids["bookings"])
        self.verify_approvals(staff, drill_ids["approvals"])
        self.verify_audit(admin, drill_ids)

    def verify_signups(self, staff: Api, drill_ids: set) -> None:
        acked = {r["id"]: r for r in self.ledger.acked["sign-ups"]}
        seen = set()
        for c in self.classes:
            info = staff.get(f"/api/classes/{c['id']}")
            roster = staff.get(f"/api/classes/{c['id']}/enrollments")["items"]
            rows = {e["id"]: e for e in roster if e.get("cancelled_at") is None}
            drill_ids.update(rows)
            confirmed = sum(1 for e in rows.values() if e["status"] == "confirmed")
            waitlisted = sum(1 for e in rows.values() if e["status"] == "waitlisted")
            if info["confirmed"] != confirmed or info["waitlisted"] != waitlisted:
                self.problem(f"class {c['id']}: counters confirmed={info['confirmed']} "
                             f"waitlisted={info['waitlisted']} but roster has {confirmed} confirmed, "
                             f"{waitlisted} waitlisted")
            if confirmed > info["capacity"]:
                self.problem(f"class {c['id']}: {confirmed} confirmed over capacity {info['capacity']}")
            if waitlisted and confirmed < info["capacity"]:
                self.problem(f"class {c['id']}: {waitlisted} waitlisted while only {confirmed} of "
                             f"{info['capacity']} seats are taken")
            mobiles = [e["attendee"]["mobile"] for e in rows.values()]
            if len(mobiles) != len(set(mobiles)):
                self.problem(f"class {c['id']}: a mobile holds two places")
            for eid, e in rows.items():
                if e["class_id"] != c["id"]:
                    self.problem(f"enrolment {eid} listed under class {c['id']} has class {e['class_id']}")
            for rid, r in acked.items():
                if r["class_id"] != c["id"]:
                    continue
                e = rows.get(rid)
                if e is None:
                    self.problem(f"sign-up {rid} (class {c['id']}, unit {r['member_id']}, mobile "
                                 f"{r['mobile']}, round {r['round']}) was acknowledged "
                                 f"{r['status']} and is gone")
                    continue
                seen.add(rid)
                diff = [f for f, want, got in (("status", r["status"], e["status"]),
                                               ("member_id", r["member_id"], e["member_id"]),
                                               ("mobile", r["mobile"], e["attendee"]["mobile"]),
                                               ("name", r["name"], e["attendee"]["name"]))
                        if want != got]
                if diff:
                    self.problem(f"sign-up {rid}: {', '.join(diff)} differ from the acknowledgement "
                                 f"(acked {r}, now {e['status']} {e['member_id']} {e['attendee']})")
            self.extras["sign-ups"] += len(set(rows) - set(acked))  # drill classes: drill rows only
        self.found["sign-ups"] = len(seen)

    def verify_payments(self, staff: Api, drill_ids: set) -> None:
        acked = {r["id"]: r for r in self.ledger.acked["payments"]}
        seen = set()
        for inv in self.invoices:
            d = staff.get(f"/api/dues/invoices/{inv['id']}")
            invoice = d.get("invoice", d)
            payments = {p["id"]: p for p in d["payments"]}
            valid_sum = sum(p["amount_fen"] for p in payments.values() if p["status"] == "valid")
            if invoice["paid_fen"] != valid_sum:
                self.problem(f"invoice {inv['id']}: paid_fen {invoice['paid_fen']} but its valid "
                             f"payments sum to {valid_sum}")
            want_out = invoice["amount_fen"] - invoice["reduced_fen"] - invoice["paid_fen"]
            if invoice["outstanding_fen"] != want_out:
                self.problem(f"invoice {inv['id']}: outstanding_fen {invoice['outstanding_fen']} != "
                             f"amount - reduced - paid = {want_out}")
            refs: dict[str, list[int]] = {}
            for pid, p in payments.items():
                if p["reference"].startswith(self.tag + " "):
                    drill_ids.add(pid)
                    refs.setdefault(p["reference"], []).append(pid)
                    if pid not in acked:
                        self.extras["payments"] += 1
            for ref, ids in refs.items():
                if len(ids) > 1:  # each attempt has its own reference and key
                    self.problem(f"invoice {inv['id']}: one payment ({ref!r}) recorded {len(ids)} "
                                 f"times: {sorted(ids)}")
            for rid, r in acked.items():
                if r["invoice_id"] != inv["id"]:
                    continue
                p = payments.get(rid)
                if p is None:
                    self.problem(f"payment {rid} (invoice {inv['id']}, {r['amount_fen']} fen, receipt "
                                 f"{r['receipt_no']}, round {r['round']}) was acknowledged and is gone")
                    continue
                seen.add(rid)
                diff = [f for f, want, got in (("amount_fen", r["amount_fen"], p["amount_fen"]),
                                               ("reference", r["reference"], p["reference"]),
                                               ("receipt_no", r["receipt_no"], p["receipt_no"]),
                                               ("status", "valid", p["status"]))
                        if want != got]
                if diff:
                    self.problem(f"payment {rid}: {', '.join(diff)} differ from the acknowledgement")
        self.found["payments"] = len(seen)

        # Receipt numbers: unique, and gapless from 1 in each receipt year.
        all_payments = staff.pages("/api/dues/payments")
        by_year: dict[str, list[int]] = {}
        for p in all_payments:
            y, _, s = p["receipt_no"].partition("-")
            by_year.setdefault(y, []).append(int(s))
        for y, seqs in sorted(by_year.items()):
            if len(seqs) != len(set(seqs)):
                self.problem(f"receipt numbers of {y} repeat")
            if sorted(set(seqs)) != list(range(1, max(seqs) + 1)):
                missing = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
                self.problem(f"receipt numbers of {y} have gaps: missing {missing[:10]}")

        # The dues report's aggregates (kept by triggers) agree with the invoices.
        for year in self.dues_years:
            invoices = staff.pages(f"/api/dues/invoices?year={year}")
            report = staff.get(f"/api/reports/dues?year={year}")
            paid = sum(i["paid_fen"] for i in invoices if i["status"] != "void")
            out = sum(i["outstanding_fen"] for i in invoices if i["status"] != "void")
            if report["collected_fen"] != paid:
                self.problem(f"dues report {year}: collected_fen {report['collected_fen']} but the "
                             f"invoices have {paid} paid")
            if report["outstanding_fen"] != out:
                self.problem(f"dues report {year}: outstanding_fen {report['outstanding_fen']} but "
                             f"the invoices have {out} outstanding")

        # Replays: an acknowledged payment's key answers the stored 201, nothing recorded twice.
        sample = list(acked.values())
        sample = sample[:: max(1, len(sample) // 25)][:25]
        h = Http(staff.http.port, self.staff_token)
        for r in sample:
            rep = h.call("POST", f"/api/dues/invoices/{r['invoice_id']}/payments", r["body"],
                         {"Idempotency-Key": r["key"]})
            if (rep.status != 201 or (rep.data or {}).get("payment_id") != r["id"]
                    or rep.data.get("receipt_no") != r["receipt_no"]):
                self.problem(f"replay of payment {r['id']} (key {r['key']}) -> {rep.status} "
                             f"{rep.text()}; expected the stored 201")
        h.close()
        if sample:
            after = staff.get(f"/api/dues/invoices/{sample[0]['invoice_id']}")
            ids = [p["id"] for p in after["payments"]]
            if len(ids) != len(set(ids)) or any(
                    p["reference"] == sample[0]["reference"] and p["id"] != sample[0]["id"]
                    for p in after["payments"]):
                self.problem(f"a replayed payment was recorded twice on invoice {sample[0]['invoice_id']}")

    def verify_bookings(self, staff: Api, drill_ids: set) -> None:
        acked = {r["id"]: r for r in self.ledger.acked["bookings"]}
        slots = max(1, next(self.slots))
        self.slots = itertools.count(slots)  # keep counting where the threads stopped
        frm = self.slot_base.date() - dt.timedelta(days=1)
        to = (self.slot_base + dt.timedelta(minutes=30 * slots)).date() + dt.timedelta(days=1)
        rows = {}
        step = dt.timedelta(days=390)
        cur = frm
        while cur < to:
            end = min(to, cur + step)
            q = urllib.parse.urlencode({"room_id": self.room_id, "from": cur.isoformat(),
                                        "to": end.isoformat()})
            for b in staff.get(f"/api/bookings?{q}")["items"]:
                rows[b["id"]] = b
            cur = end
        drill_ids.update(rows)
        seen = set()
        for rid, r in acked.items():
            b = rows.get(rid)
            if b is None:
                self.problem(f"booking {rid} ({r['starts_at']}–{r['ends_at']}, round {r['round']}) "
                             "was acknowledged and is gone")
                continue
            seen.add(rid)
            if not (same_instant(b["starts_at"], r["starts_at"]) and same_instant(b["ends_at"], r["ends_at"])
                    and b["title"] == r["title"] and b["status"] == "active" and b["room_id"] == self.room_id):
                self.problem(f"booking {rid}: now {b['starts_at']}–{b['ends_at']} {b['title']!r} "
                             f"{b['status']}, acknowledged {r['starts_at']}–{r['ends_at']} {r['title']!r}")
        self.found["bookings"] = len(seen)
        self.extras["bookings"] += len(set(rows) - set(acked))
        active = sorted((dt.datetime.fromisoformat(b["starts_at"]), dt.datetime.fromisoformat(b["ends_at"]),
                         b["id"]) for b in rows.values() if b["status"] == "active")
        for (s1, e1, i1), (s2, e2, i2) in zip(active, active[1:]):
            if s2 < e1:
                self.problem(f"bookings {i1} and {i2} of room {self.room_id} overlap")

    def verify_approvals(self, staff: Api, drill_ids: set) -> None:
        acked = {r["id"]: r for r in self.ledger.acked["approvals"]}
        seen = set()
        for v in self.visits:
            info = staff.get(f"/api/visits/{v['id']}")
            rows = {d["id"]: d for d in staff.get(f"/api/visits/{v['id']}/delegates")["items"]}
            decided = {i: d for i, d in rows.items() if d["status"] in ("approved", "waitlisted")}
            drill_ids.update(decided)
            approved = sum(1 for d in rows.values() if d["status"] == "approved")
            waitlisted = sum(1 for d in rows.values() if d["status"] == "waitlisted")
            if info["approved"] != approved or info["waitlisted"] != waitlisted:
                self.problem(f"visit {v['id']}: counters approved={info['approved']} "
                             f"waitlisted={info['waitlisted']} but its delegates are {approved} "
                             f"approved, {waitlisted} waitlisted")
            if approved > info["capacity"]:
                self.problem(f"visit {v['id']}: {approved} approved over capacity {info['capacity']}")
            if waitlisted and approved < info["capacity"]:
                self.problem(f"visit {v['id']}: {waitlisted} waitlisted while {approved} of "
                             f"{info['capacity']} places are taken")
            for did, d in rows.items():
                want = "open" if d["status"] == "approved" else None
                if d.get("charge_status") != want:
                    self.problem(f"delegate {did} is {d['status']} with charge {d.get('charge_status')!r}"
                                 f" (expected {want!r})")
            for rid, r in acked.items():
                if r["visit_id"] != v["id"]:
                    continue
                d = rows.get(rid)
                if d is None or d["status"] != r["status"]:
                    self.problem(f"approval of delegate {rid} (visit {v['id']}, round {r['round']}) was "
                                 f"acknowledged {r['status']} and is now "
                                 f"{d['status'] if d else 'gone'}")
                    continue
                if r["returned_id"] != rid:
                    self.problem(f"approval of delegate {rid} answered delegate {r['returned_id']}")
                seen.add(rid)
            self.extras["approvals"] += len(set(decided) - set(acked))
        self.found["approvals"] = len(seen)

    def verify_audit(self, admin: Api, drill_ids: dict) -> None:
        since = (self.today - dt.timedelta(days=1)).isoformat()
        class_ids = {c["id"] for c in self.classes}
        visit_ids = {v["id"] for v in self.visits}
        room_prefix = f"演练会议室 {self.tag} "
        for writer, actions in AUDIT_ACTIONS.items():
            audited = {}
            for action in actions:
                for row in admin.pages(f"/api/audit?action={action}&from={since}"):
                    audited.setdefault(str(row["entity_id"]), []).append(row)
            for eid in drill_ids[writer]:
                rows = audited.get(str(eid), [])  # approvals: approve or waitlist, one each
                if len(rows) != 1:
                    self.problem(f"{writer}: row {eid} has {len(rows)} audit rows (expected 1)")
            # The other way round: an audit row of the drill whose business row is missing.
            for eid, rows in audited.items():
                for row in rows:
                    s = row.get("summary", "")
                    ours = ((writer == "sign-ups" and any(s.startswith(f"class {c} ") for c in class_ids))
                            or (writer == "payments" and f" {self.tag} " in s)
                            or (writer == "bookings" and s.startswith(room_prefix))
                            or (writer == "approvals" and any(s.startswith(f"visit {v} ") for v in visit_ids)))
                    if ours and int(eid) not in drill_ids[writer]:
                        self.problem(f"{writer}: audit row {row['id']} ({row['action']} {eid}: {s!r}) "
                                     "has no business row")
        if not self.galera:
            v = admin.get("/api/audit/verify")
            self.audit_rows = v.get("checked", 0)
            if not v.get("ok"):
                self.problem(f"audit chain broken: {v}")
            self.audit_ok = bool(v.get("ok"))
            return
        # Galera: every process verifies the chain through its own node.
        ok, rows = 0, []
        for i, srv in enumerate(self.servers):
            v = Api(srv.port, self.admin_token).get("/api/audit/verify")
            rows.append(v.get("checked", 0))
            if v.get("ok"):
                ok += 1
            else:
                self.problem(f"audit chain broken as verified by process {i + 1} (node {i + 1}): {v}")
        self.audit_rows = max(rows)
        self.audit_processes_ok = ok
        self.audit_ok = ok == len(self.servers)

    # ----- the whole run -----------------------------------------------------------------

    def run(self, servers: list[Server], cluster: Cluster | None = None) -> int:
        self.servers = servers
        self.cluster = cluster
        args = self.args
        t0 = time.monotonic()
        port = servers[0].start()
        log(f"{servers[0].name} up on port {port} ({time.monotonic() - t0:.1f}s, demo seeded)")
        for srv in servers[1:]:
            # Galera: the others start once process 1 has migrated (never two migrators at once).
            t1 = time.monotonic()
            srv.start(demo=False)
            log(f"{srv.name} up on port {srv.port} ({time.monotonic() - t1:.1f}s)")
        t1 = time.monotonic()
        self.prepare(port)
        log(f"prepared accounts, tokens, room, course and {len(self.invoices)} open invoices "
            f"({time.monotonic() - t1:.1f}s)")
        expected_approvals = max(200, int(args.approvals_per_second * args.seconds))
        for rnd in range(1, args.rounds + 1):
            self.prepare_round(servers[0].port, rnd, expected_approvals)
            result = self.stream(rnd)
            acked = result["acked"]
            summary = ", ".join(f"{w} {acked[w]}" for w in WRITERS)
            if not self.galera:
                log(f"round {rnd}: killed the server (SIGKILL) with {result['in_flight']} requests in "
                    f"flight after {args.seconds:g}s; acknowledged this round: " + summary)
                t1 = time.monotonic()
                port = servers[0].start()
                log(f"round {rnd}: restarted on port {port} ({time.monotonic() - t1:.1f}s); checking")
            else:
                victim, node = result["victim"], result["node"]
                log(f"round {rnd}: after {args.seconds:g}s killed process {victim + 1} (SIGKILL)"
                    + (f" and Galera node {node}" if node else "")
                    + f" with {result['in_flight']} requests in flight, streamed {args.after_kill:g}s "
                    f"more on the survivors; acknowledged this round: " + summary)
                self.galera_restart(rnd, victim, node)
                # Check through the process that neither died nor lost its node this round.
                port = servers[(rnd + 2) % len(servers)].port
            self.retry_unanswered(port)
            self.verify(port)
            with self.pending_lock:
                self.pending = []
        refused = sum(len(v) for v in self.ledger.refused.values())
        for w in WRITERS:
            for line in self.ledger.refused[w][:5]:
                log(f"  REFUSED ({w}): {line}")
        lost = {w: len(self.ledger.acked[w]) - self.found[w] for w in WRITERS}
        for w in WRITERS:
            log(f"  {w:<9} sent {self.ledger.attempts[w]:>6}  acknowledged {len(self.ledger.acked[w]):>6}  "
                f"found {self.found[w]:>6}  lost {lost[w]}  (unacknowledged but committed "
                f"{self.extras[w]}, no answer "
                f"{self.ledger.unknown[w]}, refused {len(self.ledger.refused[w])})")
        log("  unanswered payments retried with their key after the restart: "
            + ", ".join(f"{k} {v}" for k, v in self.retried.items()))
        tail = ""
        if self.galera:
            retries, conflicts = dict(self.retries_banked), {}
            for i in range(len(servers)):
                f = self.scrape_metrics(i) if servers[i].alive() else None
                if f is None:
                    self.problem(f"process {i + 1}: /metrics did not answer at the end")
                    continue
                conflicts[i + 1] = f
                for k in retries:
                    retries[k] += f[k]
            writes = sum(len(self.ledger.acked[w]) for w in WRITERS)
            rate = retries["retries"] / writes if writes else 0.0
            log(f"  kill windows: 503 answers {self.ledger.window_503}, no answer "
                f"{self.ledger.window_no_answer} (from the killed process or the one whose node was "
                f"killed); stale pooled connections answered 503 after their node returned: "
                f"{self.stale_503}")
            log(f"  slowest write {self.ledger.slowest[0]:.1f}s ({self.ledger.slowest[1] or '-'}); "
                f"writes answered after 10 s or more: {self.ledger.slow}")
            log(f"  write retries (/metrics, summed over processes and restarts): "
                f"xiehui_db_write_retries_total {retries['retries']} "
                f"({rate:.2f} per acknowledged write), xiehui_db_write_conflicts_lost_total "
                f"{retries['lost']}; now per process: "
                + ", ".join(f"process {i} {f['retries']}/{f['lost']}" for i, f in conflicts.items())
                + " (retries/lost since its last start)")
            audit = (f"audit chain ok on {self.audit_processes_ok} processes ({self.audit_rows} rows)"
                     if self.audit_ok else
                     f"audit chain BROKEN ({self.audit_processes_ok}/{len(servers)} processes ok)")
            tail = (f", {audit}, retries {retries['retries']} ({rate:.2f} per write), "
                    f"conflicts lost {retries['lost']}")
        else:
            tail = ", " + (f"audit chain ok ({self.audit_rows} rows)" if self.audit_ok
                           else "audit chain BROKEN")
        summary = (f"crash drill {args.backend}: {args.rounds} rounds, "
                   + ", ".join(f"{w} {self.found[w]}/{len(self.ledger.acked[w])}" for w in WRITERS)
                   + f", lost {sum(lost.values())}" + tail
                   + f", {time.monotonic() - t0:.0f}s")
        if refused:
            self.problem(f"{refused} writes were refused (non-2xx), none should have been")
        if self.problems:
            if self.galera:
                for srv in servers:
                    log(srv.log_tail(15))
            log(f"FAILED: {len(self.problems)} problems (listed above)")
            log(summary)
            return 1
        log(summary)
        return 0


# Per backend: (rounds, seconds, threads, class capacity, visit capacity, approvals per second,
# pace). Galera runs every write transaction one at a time across the cluster (the write token)
# and a round also waits for a node to rejoin, so it streams fewer writes (each thread pauses
# between its writes: back-to-back writers lose conflicts, see the module docstring) into smaller
# classes and visits (waitlists are still reached), and kills each process and each node once in
# 3 rounds.
DEFAULTS = {
    "sqlite": (2, 4.0, 8, 150, 120, 250.0, 0.0),
    "mariadb": (2, 4.0, 8, 150, 120, 250.0, 0.0),
    "galera": (3, 6.0, 8, 40, 30, 40.0, 0.1),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="path to the xiehui executable")
    ap.add_argument("--backend", required=True, choices=["sqlite", "mariadb", "galera"])
    ap.add_argument("--rounds", type=int, help="kill/restart cycles (default 2; galera 3)")
    ap.add_argument("--seconds", type=float,
                    help="seconds of writes per round before the kill (default 4; galera 6)")
    ap.add_argument("--threads", type=int,
                    help="client threads, spread over the 4 writers (default 8)")
    ap.add_argument("--class-capacity", type=int, help="seats of each drill class (default 150; galera 40)")
    ap.add_argument("--visit-capacity", type=int, help="places of each drill visit (default 120; galera 30)")
    ap.add_argument("--approvals-per-second", type=float,
                    help="pending delegates prepared per second of stream (default 250; galera 40)")
    ap.add_argument("--galera-dir", metavar="DIR",
                    help="galera: the cluster of scripts/galera_test_cluster.sh start DIR (its nodes "
                         "are killed and restarted); without it, XIEHUI_TEST_GALERA_1..3 name the "
                         "nodes and only xiehui processes are killed")
    ap.add_argument("--pace", type=float,
                    help="seconds each client thread waits between its writes (default 0; galera "
                         "0.1)")
    ap.add_argument("--after-kill", type=float, default=1.5,
                    help="galera: seconds the survivors keep serving the stream after the kills "
                         "(default 1.5)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    args = ap.parse_args(argv)
    d = DEFAULTS[args.backend]
    for name, value in zip(("rounds", "seconds", "threads", "class_capacity", "visit_capacity",
                            "approvals_per_second", "pace"), d):
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.threads < len(WRITERS):
        ap.error(f"--threads must be at least {len(WRITERS)}")
    if args.galera_dir and args.backend != "galera":
        ap.error("--galera-dir needs --backend galera")

    if args.backend == "mariadb" and not os.environ.get("XIEHUI_TEST_MYSQL", "").strip():
        print("crash drill mariadb: XIEHUI_TEST_MYSQL is not set; skipped "
              "(scripts/mariadb_test_server.sh start DIR; eval $(... env DIR))", flush=True)
        return 77
    cluster = None
    galera_nodes: dict[int, str] = {}
    if args.backend == "galera":
        galera_nodes = galera_env_nodes()
        if args.galera_dir:
            cluster = Cluster(args.galera_dir)
            try:
                if not os.path.isdir(args.galera_dir):
                    raise SetupError(f"no cluster directory {args.galera_dir}")
                from_dir = cluster.env()
            except SetupError as e:
                print(f"crash drill galera: no cluster in {args.galera_dir}; skipped ({e})",
                      flush=True)
                return 77
            if galera_nodes and galera_nodes != from_dir:
                log("crash drill galera: XIEHUI_TEST_GALERA_1..3 name another cluster than "
                    f"{args.galera_dir}; using {args.galera_dir}'s nodes")
            galera_nodes = from_dir
        elif not galera_nodes:
            print("crash drill galera: neither --galera-dir nor XIEHUI_TEST_GALERA_1..3 is set; "
                  "skipped (scripts/galera_test_cluster.sh start DIR; then --galera-dir DIR)",
                  flush=True)
            return 77
        else:
            log("crash drill galera: no --galera-dir: Galera nodes are not killed, only xiehui "
                "processes")
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"crash drill: {binary} is not an executable", file=sys.stderr)
        return 2

    if cluster is not None:
        # A SIGTERM (a test runner's timeout) cleans up too: the killed nodes must run again.
        def terminated(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, terminated)
    workdir = tempfile.mkdtemp(prefix=f"xiehui-drill-{args.backend}-")
    servers: list[Server] = []
    db = None
    code = 2
    try:
        # Every start runs the same executable, even if a build relinks BINARY meanwhile.
        copy = os.path.join(workdir, "xiehui")
        shutil.copy2(binary, copy)
        db = Database(args.backend, workdir, galera_nodes)
        if args.backend == "galera":
            servers = [Server(copy, conn, workdir, f"server-{i}.log", f"process {i}")
                       for i, conn in enumerate(db.conns, start=1)]
            shown = ", ".join(re.sub(r"password=\S+", "password=…", c) for c in db.conns)
            log(f"crash drill galera: {args.rounds} rounds of {args.seconds:g}s + "
                f"{args.after_kill:g}s after the kills, {args.threads} threads over "
                f"{len(servers)} processes, databases {shown}"
                + (f", cluster {cluster.dir}" if cluster else ""))
        else:
            servers = [Server(copy, db.conn, workdir)]
            shown = re.sub(r"password=\S+", "password=…", db.conn)
            log(f"crash drill {args.backend}: {args.rounds} rounds of {args.seconds:g}s, "
                f"{args.threads} threads, database {shown}")
        code = Drill(args).run(servers, cluster)
    except SetupError as e:
        print(f"crash drill {args.backend}: setup failed: {e}", file=sys.stderr, flush=True)
        for srv in servers:
            print(srv.log_tail(), file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        code = 130
    finally:
        for srv in servers:
            srv.kill()
        if cluster is not None:
            cluster.restore()  # every node this drill killed runs again, whatever happened
        keep = args.keep or (code != 0 and args.backend in ("sqlite", "galera"))
        if db is not None and not args.keep:
            try:
                db.drop()
            except SetupError as e:
                print(f"crash drill: {e}", file=sys.stderr)
        if keep:
            print(f"crash drill: kept {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
