"""The load benchmark's harness end to end (bench/load/run.py): a tiny district seeded,
gunicorn started with deploy/gunicorn.conf.py in production mode, locust driving signed-in
office staff, handlers and leaders for a few seconds, everything stopped, the table read.

What is asserted is that the harness works: every kind of request was made, none failed
(logins with CSRF, sessions kept, steps taken and recorded), and the servers are gone. No
time is asserted: the figures belong to `bench/load/run.py` on a quiet machine."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The logins belong to the arrival, which the figures leave out once every user has arrived.
KINDS = {
    "clue list (filters)",
    "clue detail",
    "search",
    "dashboard",
    "transfer list",
    "home (to-do)",
    "transition (interim/resume)",
    "verification note",
    "clue detail (after a step)",
    "floor: login page",
    "floor: static file",
}


def test_the_load_harness_runs_every_kind_of_request_without_error(tmp_path):
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load" / "run.py"),
            *("--db", "sqlite", "--clues", "400", "--users", "4", "--spawn-rate", "4"),
            *("--time", "30s", "--think", "0.05-0.2", "--dir", str(tmp_path / "kept")),
            *("--json", str(out)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(out.read_text())
    kinds = figures["kinds"]
    assert set(kinds) >= KINDS, f"not exercised: {KINDS - set(kinds)}\n{done.stdout}"
    assert all(kinds[k]["requests"] > 0 for k in KINDS)
    assert figures["failures"] == [], done.stdout
    assert kinds["all"]["errors"] == 0
    assert "p95 ms" in done.stdout and "load average before" in done.stdout
    # gunicorn was stopped: nothing listens on the folder's database any more.
    log = (tmp_path / "kept" / "gunicorn.log").read_text()
    assert "Shutting down" in log or "Handling signal" in log, log[-2000:]
