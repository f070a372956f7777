"""Load benchmark (issue 10, item 7): 50 signed-in users on a district with 100,000 clues,
through gunicorn as deploy/gunicorn.conf.py configures it, on SQLite or PostgreSQL.

    .venv/bin/python bench/load/run.py --db sqlite            # seed (once), serve, load, table
    .venv/bin/python bench/load/run.py --db postgres          # the same on a PostgreSQL 15 server
    .venv/bin/python bench/load/run.py --db sqlite --users 50 --time 4m --think 1-3  # stress

One command does it all: seeds the database into a kept folder the first time
(/tmp/saohei-load-DB-CLUES, or --dir; bench/load/seed.py, with the figures benchmark's
generators) and reuses it afterwards (--fresh seeds again); for PostgreSQL it starts its own
server on a free local port with its cluster in that folder, as .ci/with-postgres does (but
kept, and with fsync on, as in production); collects the static files; starts gunicorn on
127.0.0.1 in production mode (SAOHEI_ENV=production, DEBUG off; plain HTTP on loopback, so
SAOHEI_HTTPS=0); runs locust headless from a second process (bench/load/locustfile.py: office
staff, handlers and leaders in proportion, and the anonymous floor); stops everything; and
prints, per kind of request, the throughput, p50/p95/p99 and the errors, with the load
average of the machine before and after, beside the floor of the same run (the login page
and a static file through the same gunicorn at the same moment) and the target (p95 < 500
ms, no error). --json writes the same figures for a program (the harness test reads them).
The exit status is 0 when the run took place, whatever the figures (like the other
benchmarks: the output says ok or MISSED); 2 when the harness itself failed.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PGBIN = Path("/usr/lib/postgresql/15/bin")
TARGET_P95_MS = 500
FLOOR = ("floor: login page", "floor: static file")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def say(text: str) -> None:
    print(text, flush=True)


class Postgres:
    """A PostgreSQL 15 server with its cluster kept in DIR/pg (initialised the first time),
    on a free port of 127.0.0.1, as the postgres user when we are root (it refuses root)."""

    def __init__(self, where: Path):
        self.data = where / "pg"
        self.port = free_port()
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def _pg(self, tool: str, *args: str, **kw) -> None:
        subprocess.run([*self.run_as, str(PGBIN / tool), *args], check=True, **kw)

    def start(self) -> str:
        if not (PGBIN / "postgres").exists():
            raise SystemExit(
                "PostgreSQL 15 is not installed: `bash .ci/with-postgres true` installs it."
            )
        fresh = not (self.data / "PG_VERSION").exists()
        if fresh:
            self.data.mkdir(parents=True, exist_ok=True)
            self.data.chmod(0o700)
            if self.run_as:
                shutil.chown(self.data, "postgres")
                shutil.chown(self.data.parent, "postgres")
            self._pg(
                "initdb", "-D", str(self.data), "-U", "saohei", "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8", stdout=subprocess.DEVNULL,
            )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c max_connections=200"
            " -c shared_buffers=256MB"
        )
        self._pg(
            "pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w",
            "-o", options, "start", stdout=subprocess.DEVNULL,
        )  # fmt: skip
        if fresh:
            self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "saohei", "saohei")
        return f"postgres://saohei@127.0.0.1:{self.port}/saohei"

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "stop", stdout=subprocess.DEVNULL)


def keys(where: Path) -> dict[str, str]:
    """The folder's own secret key and data key, made once (the seeded rows are sealed with
    it; a reused database needs the same one)."""
    path = where / "keys.json"
    if not path.exists():
        path.write_text(
            json.dumps(
                {
                    "SECRET_KEY": secrets.token_urlsafe(50),
                    "SAOHEI_DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
                }
            )
        )
        path.chmod(0o600)
    return json.loads(path.read_text())


def python(script: str, *args: str, env: dict) -> None:
    subprocess.run([sys.executable, script, *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}): see its log")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def read_stats(prefix: Path) -> dict[str, dict]:
    """locust's --csv table, per request name (and "all"), in the units we print."""
    kinds = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = "all" if row["Name"] == "Aggregated" else row["Name"]
            if not int(row["Request Count"]):
                continue  # none since the figures were reset (the logins: all on arrival)
            kinds[name] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
                "max": float(row["Max Response Time"] or 0),
            }
    return kinds


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [
            {"kind": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
            for r in csv.DictReader(fh)
        ]


def table(kinds: dict[str, dict]) -> list[str]:
    lines = [
        "| request | count | req/s | p50 ms | p95 ms | p99 ms | errors | p95 < 500 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    order = sorted(k for k in kinds if k != "all" and k not in FLOOR)
    for name in [*order, *[f for f in FLOOR if f in kinds], "all"]:
        k = kinds[name]
        verdict = "" if name in FLOOR else ("ok" if k["p95"] < TARGET_P95_MS else "MISSED")
        label = f"**{name}**" if name == "all" else name
        lines.append(
            f"| {label} | {k['requests']:,} | {k['rps']:.1f} | {k['p50']:.0f} | {k['p95']:.0f}"
            f" | {k['p99']:.0f} | {k['errors']} | {verdict} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clues", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    # Users arrive two a second, as a working day starts, not fifty at once: each login is an
    # Argon2 check (about 0.3 s of a core by design), and fifty at once hold every gunicorn
    # thread for seconds, which is a login storm and not the workload this measures.
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument(
        "--count-arrival",
        action="store_true",
        help="count the arrival (logins and first pages) too; by default locust's figures are"
        " reset once every user has logged in and been once through its pages, and the steady"
        " mix is what is reported",
    )
    # The arrival (50 users at 2/s, each once through its pages) takes about 40 s of it.
    parser.add_argument("--time", default="4m", help="locust's --run-time: 60s, 5m, …")
    # How long a user looks at a page before the next: 5-15 s is the quick end of reading a
    # clue's page, a list or the dashboard (a verification note takes minutes to type). 1-3 s
    # (every user clicking on without reading) is the stress run: it finds the ceiling.
    parser.add_argument(
        "--think", default="5-15", help="seconds between a user's requests, LOW-HIGH (0: none)"
    )
    parser.add_argument("--dir", type=Path, help="kept folder (default /tmp/saohei-load-DB-N)")
    parser.add_argument("--fresh", action="store_true", help="seed again even if kept")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON too")
    args = parser.parse_args()

    where = (args.dir or Path(f"/tmp/saohei-load-{args.db}-{args.clues}")).resolve()
    if args.fresh:
        shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        **keys(where),
        "SAOHEI_VAR_DIR": str(where),
        "DJANGO_SETTINGS_MODULE": "saohei.settings",
    }
    for name in ("SAOHEI_ENV", "DEBUG", "DATABASE_URL"):
        env.pop(name, None)
    pg = Postgres(where) if args.db == "postgres" else None
    server = None
    try:
        env["DATABASE_URL"] = pg.start() if pg else f"sqlite:///{where}/bench.sqlite3"
        marker = where / "seeded"
        plan = where / "plan.json"
        if marker.exists():
            say(f"reusing {where} ({marker.read_text().strip()} clues; --fresh seeds again)")
            python(str(HERE / "seed.py"), "--plan", str(plan), env=env)
        else:
            python(str(HERE / "seed.py"), "--clues", str(args.clues), "--plan", str(plan), env=env)
            marker.write_text(str(args.clues))
        production = {
            **env,
            "SAOHEI_ENV": "production",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SAOHEI_HTTPS": "0",  # plain HTTP on loopback: secure cookies would not come back
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=production,
            check=True,
        )
        port = free_port()
        log = open(where / "gunicorn.log", "w")  # noqa: SIM115 (open while it runs)
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "saohei.wsgi"],
            cwd=ROOT,
            env={
                **production,
                "SAOHEI_BIND": f"127.0.0.1:{port}",
                "SAOHEI_ACCESS_LOG": str(where / "access.log"),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        host = f"http://127.0.0.1:{port}"
        wait_for(f"{host}/accounts/login/", 60, server)
        prefix = where / "run"
        for old in where.glob("run_*.csv"):
            old.unlink()
        before = loadavg()
        say(
            f"load: {args.users} users (+1 floor), {args.spawn_rate:g}/s, {args.time}, think"
            f" {args.think} s, on {args.db} with {json.loads(plan.read_text())['clues_total']:,}"
            f" clues; gunicorn {host}; load average before {before}"
        )
        started = time.time()
        locust = subprocess.run(
            [
                *(str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--csv", str(prefix)),
                *f"--headless -u {args.users + 1} -r {args.spawn_rate} -t {args.time}".split(),
                *f"--host {host} --only-summary --stop-timeout 10 --loglevel WARNING".split(),
            ],
            cwd=ROOT,
            env={
                **env,
                "SAOHEI_LOAD_PLAN": str(plan),
                "SAOHEI_LOAD_THINK": args.think,
                "SAOHEI_LOAD_RESET_AFTER": "0" if args.count_arrival else str(args.users),
            },
            capture_output=True,
            text=True,
        )
        after = loadavg()
        (where / "locust.log").write_text(locust.stdout + locust.stderr)
        if not Path(f"{prefix}_stats.csv").exists():
            say(locust.stdout[-3000:] + locust.stderr[-3000:])
            return 2
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
        if pg:
            pg.stop()

    kinds = read_stats(prefix)
    failures = read_failures(prefix)
    say(
        f"\n{time.strftime('%Y-%m-%d %H:%M', time.localtime(started))}, {args.db},"
        f" {os.cpu_count()} cores; load average before {before}, after {after}\n"
    )
    say("\n".join(table(kinds)))
    pages = {k: v for k, v in kinds.items() if k not in (*FLOOR, "all")}
    worst = max(pages.items(), key=lambda kv: kv[1]["p95"])
    floor = ", ".join(f"{f[7:]} p95 {kinds[f]['p95']:.0f} ms" for f in FLOOR if f in kinds)
    verdict = "ok" if worst[1]["p95"] < TARGET_P95_MS and not kinds["all"]["errors"] else "MISSED"
    say(
        f"\nslowest kind: {worst[0]}, p95 {worst[1]['p95']:.0f} ms (floor in the same run:"
        f" {floor}); errors {kinds['all']['errors']}; target p95 < {TARGET_P95_MS} ms, no"
        f" error: {verdict}"
    )
    for failure in failures:
        say(f"  error ×{failure['count']} {failure['kind']}: {failure['error'][:200]}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "db": args.db,
                    "clues": json.loads(plan.read_text())["clues_total"],
                    "users": args.users,
                    "time": args.time,
                    "think": args.think,
                    "loadavg_before": before,
                    "loadavg_after": after,
                    "kinds": kinds,
                    "failures": failures,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
