"""Crash safety (issue 10 item 4): the process is killed (SIGKILL, nothing gets to clean up)
in the middle of a 100,000-row clue ledger import, of the same import started from the
browser, and of a data-key rotation. Afterwards the database holds all or nothing of each
(the rotation: every value still decrypts), `audit_verify` passes, nothing left behind blocks
running it again, and running it again gives exactly the expected rows once.

Each operation runs in a child `manage.py` on the test's own database (a file on SQLite, the
test database on PostgreSQL); the test waits until the child shows it is mid-way — its
progress line or progress file past half of the writing, rows committed seen through the
test's connection — and only then kills it. Run alone: `pytest -m crash`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from openpyxl import Workbook

from saohei.audit.models import AuditEntry
from saohei.clues.ledger import HEADERS
from saohei.clues.models import Clue, Move
from saohei.clues.tests.factories import new_clue
from saohei.core import crypto
from saohei.core.models import NumberSequence
from saohei.orgs.choices import Role, UnitKind

from .test_crypto import new_key

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.crash]

ROOT = Path(__file__).resolve().parents[3]
ROWS = 100_000
WAIT = 900  # seconds a child may take to get mid-way on a slow CI machine

# Row shapes the ledger is made of, in turn: (办理状态, 办结日期, 核查结果, moves per clue).
SHAPES = (
    ("查结", "2019-05-10", "查实", 4),
    ("阶段性查结", "2019-06-10", None, 4),
    ("正在核查", None, None, 3),
    ("已交办", None, None, 2),
)


def big_ledger(police: str, rows: int = ROWS) -> Path:
    """A clue ledger of `rows` rows naming `police` as the handling unit, written once and
    kept in the var folder (it depends on nothing else), so later runs and tests reuse it."""
    tag = hashlib.sha256(police.encode()).hexdigest()[:8]
    path = Path(settings.VAR_DIR) / f"crash-ledger-{rows}-{tag}.xlsx"
    if path.exists():
        return path
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("线索台账")
    ws.append(HEADERS)
    for i in range(1, rows + 1):
        status, concluded, finding, _moves = SHAPES[i % len(SHAPES)]
        ws.append(
            [f"XS2019-{i:04d}", "2019-03-01", "群众举报", "涉恶", None, f"王某{i}",
             f"王某{i}等人在北湖街道强揽工程", police, "2019-04-01", status, concluded, finding,
             "否", None]
        )  # fmt: skip
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    wb.save(tmp)
    os.replace(tmp, path)  # another worker may be writing the same file: last one wins
    return path


def expected_moves(rows: int = ROWS) -> int:
    return sum(SHAPES[i % len(SHAPES)][3] for i in range(1, rows + 1))


def database_url() -> str:
    """The test database, as the child processes are told it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def child_env(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "SAOHEI_VAR_DIR": str(var),
        "DATABASE_URL": database_url(),
        "SAOHEI_DATA_KEY": settings.SAOHEI_DATA_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
    }


def manage(env, *args, timeout=WAIT) -> subprocess.CompletedProcess:
    """Run manage.py to its end."""
    connection.close()  # SQLite: no read snapshot of ours held open while the child writes
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


class Child:
    """manage.py in a child process whose stderr is a terminal, so that it prints its progress
    line as an operator sees it."""

    def __init__(self, env, *args):
        connection.close()
        master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
        )  # fmt: skip
        os.close(slave)
        self.master, self.seen = master, ""

    def wait_for_percent(self, percent: int) -> int:
        """Read the progress line until it shows at least `percent`; the share shown."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            ready, _w, _x = select.select([self.master], [], [], 1)
            if ready:
                with contextlib.suppress(OSError):  # the child closed its terminal: it ended
                    self.seen += os.read(self.master, 4096).decode("utf-8", "replace")
                shares = [int(s) for s in re.findall(r"(\d+)%", self.seen)]
                if shares and max(shares) >= percent:
                    return max(shares)
            if self.proc.poll() is not None:
                break
        self.kill()
        pytest.fail(f"the child never reached {percent}%: {self.seen[-2000:]}")

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()
        os.close(self.master)
        return self.proc.returncode


@pytest.fixture
def office(personas):
    return personas[Role.OFFICE_ADMIN]


@pytest.fixture
def police(units):
    return units[UnitKind.POLICE].name


def audit_verify(env):
    result = manage(env, "audit_verify")
    assert result.returncode == 0, result.stderr
    return result


def test_killed_ledger_import_writes_nothing_and_runs_again(office, police, child_env):
    ledger = big_ledger(police)
    audit_before = AuditEntry.objects.count()
    sequences = list(NumberSequence.objects.values_list("kind", "year", "last"))

    child = Child(child_env, "import_ledger", "clues", ledger, "--user", office.username)
    # Checking is the first half of the steps, writing the second: at 75% half of the rows
    # are in the database, uncommitted.
    child.wait_for_percent(75)
    assert child.kill() == -signal.SIGKILL

    assert Clue.objects.count() == 0 and Move.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    assert list(NumberSequence.objects.values_list("kind", "year", "last")) == sequences
    audit_verify(child_env)

    again = manage(child_env, "import_ledger", "clues", ledger, "--user", office.username)
    assert again.returncode == 0, again.stderr
    assert f"{ROWS}" in again.stdout
    assert Clue.objects.count() == ROWS
    assert Clue.objects.values("number").distinct().count() == ROWS
    assert Move.objects.count() == expected_moves()
    assert NumberSequence.objects.get(kind="XS", year=2019).last == ROWS
    assert AuditEntry.objects.count() == audit_before + 1
    audit_verify(child_env)


# A batch of case stage moves: the case ledger --------------------------------------------------

CASES = 20_000


def case_ledger(names: dict, rows: int = CASES) -> Path:
    """A case ledger of `rows` gang cases judged and closed, each of which the import brings
    through every stage (a stage move per step) and gives its three checks (一案三查)."""
    from saohei.cases.ledger_format import HEADERS as CASE_HEADERS

    tag = hashlib.sha256("".join(sorted(names.values())).encode()).hexdigest()[:8]
    path = Path(settings.VAR_DIR) / f"crash-cases-{rows}-{tag}.xlsx"
    if path.exists():
        return path
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("案件台账")
    ws.append(CASE_HEADERS)
    for i in range(1, rows + 1):
        values = {
            "案件编号": f"AJ2019-{i:04d}", "案件名称": f"张某{i}等9人恶势力犯罪集团案",
            "案件类型": "恶势力犯罪集团", "涉嫌罪名": "寻衅滋事、敲诈勒索",
            "立案日期": "2019-03-01", "立案单位": names[UnitKind.POLICE], "办案阶段": "办结",
            "移送审查起诉日期": "2019-06-01", "检察院": names[UnitKind.PROCURATORATE],
            "移送审判日期": "2019-08-01", "法院": names[UnitKind.COURT],
            "办结日期": "2019-11-20", "结案方式": "判决生效", "犯罪嫌疑人人数": 9,
            "典型案例": "否", "查犯罪": "已查清全部犯罪事实", "查保护伞": "未发现保护伞",
            "查失职": "北湖街道监管缺位，已问责",
        }  # fmt: skip
        ws.append([values.get(h) for h in CASE_HEADERS])
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    wb.save(tmp)
    os.replace(tmp, path)
    return path


def test_killed_case_ledger_import_moves_no_case_and_runs_again(office, units, child_env):
    from django.db.models import Count

    from saohei.cases.defaults import ensure_default_lists
    from saohei.cases.models import Case, StageMove, ThreeWayCheck

    ensure_default_lists()  # the charges, gone if an earlier test flushed the database
    ledger = case_ledger({kind: unit.name for kind, unit in units.items()})
    audit_before = AuditEntry.objects.count()

    child = Child(child_env, "import_ledger", "cases", ledger, "--user", office.username)
    child.wait_for_percent(75)  # half of the cases and their moves written, uncommitted
    assert child.kill() == -signal.SIGKILL

    assert (Case.objects.count(), StageMove.objects.count(), ThreeWayCheck.objects.count()) == (
        0, 0, 0,
    )  # fmt: skip
    assert AuditEntry.objects.count() == audit_before
    audit_verify(child_env)

    again = manage(child_env, "import_ledger", "cases", ledger, "--user", office.username)
    assert again.returncode == 0, again.stderr
    assert Case.objects.count() == CASES and ThreeWayCheck.objects.count() == 3 * CASES
    per_case = StageMove.objects.values("case").annotate(n=Count("id")).values_list("n", flat=True)
    assert set(per_case) == {4} and StageMove.objects.count() == 4 * CASES  # 立案 → 办结
    assert AuditEntry.objects.count() == audit_before + 1
    audit_verify(child_env)


# The same import started from the browser ------------------------------------------------------

WEB_ROWS = 20_000

# What a server process does with an upload (saohei.core.jobs.import_page): a job, and the
# import in a background thread while the page polls. The process then waits for the thread.
SERVE_UPLOAD = """
import os, threading
from django.core.files import File
from saohei.clues.ledger import import_clue_ledger
from saohei.core.jobs import run_import, start_job
from saohei.orgs.models import User
job, lock = start_job("clues", "线索台账.xlsx", User.objects.get(username=os.environ["AS_USER"]))
print("job", job.pk, flush=True)
with open(os.environ["UPLOAD"], "rb") as fh:
    run_import(job, lock, File(fh, name="线索台账.xlsx"), import_clue_ledger)
for thread in threading.enumerate():
    if thread.name.startswith("import-"):
        thread.join()
"""


def test_killed_server_leaves_its_import_failed_not_running_and_it_runs_again(
    office, police, child_env, client, settings
):
    from django.urls import reverse

    from saohei.core.jobs import read_progress
    from saohei.core.models import ImportJob

    ledger = big_ledger(police, WEB_ROWS)
    audit_before = AuditEntry.objects.count()
    env = {**child_env, "AS_USER": office.username, "UPLOAD": str(ledger)}
    settings.VAR_DIR = env["SAOHEI_VAR_DIR"]  # where the child keeps its jobs' files
    child = Child(env, "shell", "-c", SERVE_UPLOAD)
    line = b""
    while not line.startswith(b"job "):
        line = child.proc.stdout.readline()
        assert line, "the child ended before it started the job"
    job_id = int(line.split()[1])
    deadline = time.monotonic() + WAIT
    while True:  # the progress the page shows: half of the rows written
        progress = read_progress(job_id)
        if progress["total"] == 2 * WEB_ROWS and progress["done"] >= 1.5 * WEB_ROWS:
            break
        assert child.proc.poll() is None and time.monotonic() < deadline, progress
        time.sleep(0.05)
    assert child.kill() == -signal.SIGKILL

    assert ImportJob.objects.get(pk=job_id).state == ImportJob.State.RUNNING
    assert Clue.objects.count() == 0 and Move.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    audit_verify(child_env)

    # The user looks at the job: it says what happened, in Chinese, and holds nothing up.
    settings.SAOHEI_IMPORTS_IN_BACKGROUND = False
    client.force_login(office)
    page = client.get(reverse("import_job", args=[job_id]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    job = ImportJob.objects.get(pk=job_id)
    assert job.state == ImportJob.State.FAILED and job.finished_at is not None
    assert "服务器" in page.content.decode() and "服务器" in job.errors[0]
    jobs = Path(env["SAOHEI_VAR_DIR"]) / "jobs"
    assert not (jobs / f"{job_id}.upload").exists() and not (jobs / f"{job_id}.lock").exists()

    with ledger.open("rb") as fh:
        response = client.post(reverse("clue_import"), {"file": fh})
    rerun = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert (rerun.state, rerun.created, rerun.skipped) == (ImportJob.State.DONE, WEB_ROWS, 0)
    assert Clue.objects.count() == WEB_ROWS and Move.objects.count() == expected_moves(WEB_ROWS)
    audit_verify(child_env)


# Key rotation ---------------------------------------------------------------------------------

INFORMANTS = 20_000


def informant(i: int) -> tuple[str, str, str]:
    return f"举报人{i}", f"139{i:08d}", f"23010219800101{i % 1000:03d}X"


def sealed_with(key_id: str) -> int:
    """Clues whose informant name is sealed with `key_id`, read raw (committed rows only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM clues_clue WHERE informant_name LIKE %s", [f"v1:%:{key_id}:%"]
        )
        return cursor.fetchone()[0]


def test_killed_key_rotation_leaves_every_value_readable_and_finishes_when_run_again(
    personas, child_env, settings
):
    template = new_clue(personas, anonymous=False, informant_name="样本")
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Clue._meta.concrete_fields
        if f.attname not in ("id", "number")
    }
    clues = []
    for i in range(1, INFORMANTS + 1):
        name, phone, id_number = informant(i)
        fields.update(informant_name=name, informant_phone=phone, informant_id_number=id_number)
        clues.append(Clue(number=f"XS2018-{i:04d}", **fields))
    Clue.objects.bulk_create(clues, batch_size=2000)
    old_id = crypto.keys()[0].key_id
    total = Clue.objects.count()
    assert sealed_with(old_id) == total

    new = new_key()
    settings.SAOHEI_DATA_KEY = child_env["SAOHEI_DATA_KEY"] = f"{new},{settings.SAOHEI_DATA_KEY}"
    new_id = crypto.keys()[0].key_id
    audit_before = AuditEntry.objects.count()
    child = Child(child_env, "rotate_data_key")
    deadline = time.monotonic() + WAIT
    while sealed_with(new_id) == 0:  # the first batch committed
        assert child.proc.poll() is None, "the rotation ended before it was seen at work"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert child.kill() == -signal.SIGKILL

    rotated = sealed_with(new_id)
    assert 0 < rotated < total and sealed_with(old_id) == total - rotated
    # Every informant record still reads back, whichever key sealed it.
    for clue in Clue.objects.filter(number__startswith="XS2018-").iterator(chunk_size=2000):
        i = int(clue.number.split("-")[1])
        assert (clue.informant_name, clue.informant_phone, clue.informant_id_number) == (
            informant(i)
        )
    audit_verify(child_env)

    again = manage(child_env, "rotate_data_key")
    assert again.returncode == 0, again.stderr
    assert sealed_with(new_id) == total and sealed_with(old_id) == 0
    assert AuditEntry.objects.count() == audit_before + 1
    audit_verify(child_env)

    settings.SAOHEI_DATA_KEY = new  # the old key can go now
    index = Clue._meta.get_field("informant_phone_index")
    for i in (1, INFORMANTS // 2, INFORMANTS):
        name, phone, id_number = informant(i)
        clue = Clue.objects.get(informant_phone_index=index.index_for(phone))
        assert (clue.informant_name, clue.informant_id_number) == (name, id_number)
