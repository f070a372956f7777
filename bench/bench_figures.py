"""How the figures hold up at a million clues (issue 5, item 8): the full `stats`, the
dashboard page and the briefing, each beside a floor measured in the same run and its target,
on the clue benchmark's throw-away SQLite database (bench_clues.py: its generator, 1,000,000
clues and 5,000,000 moves) with the rest of a campaign's records in proportion: 20,000
cases with their stage moves, 一案三查 checks, suspects, assets and officials, clue-case
links, 50,000 transfers, 20,000 deadline extensions, member units' hand-overs and three years
of monthly indicators.

    .venv/bin/python bench/bench_figures.py                  # 1M clues, 5M moves (~6 min)
    .venv/bin/python bench/bench_figures.py --clues 20000    # a quick check (seconds)
    .venv/bin/python bench/bench_figures.py --keep           # keep the database, then …
    .venv/bin/python bench/bench_figures.py --reuse /tmp/saohei-bench-XXXX   # … time it again

The floor is what no way of computing the figures can go below: the bare status-as-of query
of saohei.clues.asof over the same clues (every clue figure starts from each clue's status at
the end of the day). It reads the clues settled by the day from their rows and looks the
others up in their moves, as figures() does; how many of each is printed beside it, and a
COUNT(*) over the moves for scale (the floor before clues remembered their latest move was
that COUNT(*) plus the look-up of every clue). The figures are checked against the statuses
worked out while generating, and `stats`, the dashboard and figures() against each other, so
a faster figure cannot be a wrong one.

A database kept by an earlier version is migrated first on --reuse (the time is printed:
the back-fill of Clue.last_moved_at over a million clues is part of it).

What is timed, and how:
  stats      figures(day, Scope.everything()), the function the command calls; and the
             command itself end to end once (`manage.py stats --as-of … --format json` in a
             new process: Python and Django start-up included).
  dashboard  the page as an office user sees it, through Django's test Client (URL routing,
             middleware, session, the view, the template), HTML checked against figures().
  briefing   briefing_document(day, Scope.everything(), file): figures, the extra queries
             of the briefing, the wording check and the .docx written to memory.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARSER = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
PARSER.add_argument("--clues", type=int, default=1_000_000)
PARSER.add_argument("--moves-per-clue", type=int, default=5)
PARSER.add_argument("--cases", type=int, default=None, help="default: 1 per 50 clues")
PARSER.add_argument("--transfers", type=int, default=None, help="default: 1 per 20 clues")
PARSER.add_argument("--repeat", type=int, default=3, help="timed runs (the best is shown)")
PARSER.add_argument("--keep", action="store_true", help="keep the throw-away database")
PARSER.add_argument("--reuse", metavar="DIR", help="time a database kept by --keep")
# Parsed only when run as a script: bench/load/run.py imports the campaign generator below.
ARGS = PARSER.parse_args() if __name__ == "__main__" else None
if ARGS and ARGS.reuse:  # before bench_clues sets up Django on a new throw-away database
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(ARGS.reuse).resolve()}/bench.sqlite3"
    os.environ["SAOHEI_VAR_DIR"] = str(Path(ARGS.reuse).resolve())

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_clues as base  # noqa: E402  (sets up Django)
from bench_clues import DAY_S, END, START, best_of, fmt, pad  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from saohei.cases.choices import GANG_KINDS, AssetKind, AssetMeasure, CaseKind  # noqa: E402
from saohei.clues.choices import Status  # noqa: E402
from saohei.orgs.choices import UnitKind  # noqa: E402
from saohei.orgs.models import Unit, User  # noqa: E402
from saohei.reports.figures import PENDING, VERIFYING, Scope, figures  # noqa: E402
from saohei.reports.models import Indicator  # noqa: E402

TARGETS = {"stats": 3.0, "dashboard": 2.0, "briefing": 10.0}
EXPECTED = "expected.json"  # beside a kept database: the statuses worked out while generating

# The rest of a campaign's records --------------------------------------------------------------

CASE_KINDS = [  # kind, weight (a district: many ordinary evil cases, few mafia-type ones)
    (CaseKind.GANG_ORG, 2),
    (CaseKind.EVIL_GROUP, 5),
    (CaseKind.EVIL_GANG, 15),
    (CaseKind.ORDINARY, 70),
    (CaseKind.UMBRELLA, 8),
]
CHARGES = ["寻衅滋事", "敲诈勒索", "强迫交易", "非法采矿", "开设赌场", "非法拘禁", "故意伤害"]
SEIZED = [AssetMeasure.SEIZED, AssetMeasure.FROZEN, AssetMeasure.CONFISCATED]
EMPLOYERS = ["某镇政府", "某派出所", "某村委会", "区自然资源局", "区交通运输局", "区市场监管局"]
MEMBER_UNITS = [  # name, kind, hands over clues (3 of 8 do: the briefing names the others)
    ("区人民检察院", UnitKind.PROCURATORATE, False),
    ("区人民法院", UnitKind.COURT, False),
    ("区自然资源局", UnitKind.REGULATOR, True),
    ("区交通运输局", UnitKind.REGULATOR, False),
    ("区市场监管局", UnitKind.REGULATOR, True),
    ("城关镇", UnitKind.TOWNSHIP, True),
    ("柳河镇", UnitKind.TOWNSHIP, False),
    ("石桥镇", UnitKind.TOWNSHIP, False),
]

CASE_SQL = """INSERT INTO cases_case (id, created_at, updated_at, number, name, kind, summary,
 opened_on, stage, stage_since, closed_on, closing_reason, is_typical, typical_summary, is_oil,
 crude_oil_tonnes, oil_sites, version, handling_unit_id, jurisdiction_id, opened_by_id,
 opening_unit_id, protects_id)
 VALUES (%s, %s, %s, %s, %s, %s, '', %s, %s, %s, %s, %s, FALSE, '', %s, %s, '', 0, %s, %s, %s,
 %s, NULL)"""
STAGE_MOVE_SQL = """INSERT INTO cases_stagemove (at, action, from_stage, to_stage, reason, data,
 actor_id, actor_unit_id, case_id, unit_id) VALUES (%s, %s, %s, %s, '', '{}', %s, %s, %s, %s)"""
CASE_CLUE_SQL = "INSERT INTO cases_case_clues (case_id, clue_id) VALUES (%s, %s)"
CHECK_SQL = """INSERT INTO cases_threewaycheck (created_at, updated_at, part, status, result,
 recorded_on, case_id, discipline_case_id, recorded_by_id, responsible_unit_id)
 VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, NULL, %s)"""
SUSPECT_SQL = """INSERT INTO cases_suspect (created_at, updated_at, name, id_number, id_index,
 role, outcome, sentence, is_public_official, case_id)
 VALUES (%s, %s, %s, '', '', %s, %s, '', FALSE, %s)"""
ASSET_SQL = """INSERT INTO cases_asset (created_at, updated_at, kind, measure, description,
 count, amount, "on", case_id) VALUES (%s, %s, %s, %s, '', %s, %s, %s, %s)"""
OFFICIAL_SQL = """INSERT INTO cases_official (created_at, updated_at, name, employer, position,
 rank, is_public_official, outcome, outcome_on, note, case_id)
 VALUES (%s, %s, %s, %s, '', 'section', %s, 'pending', NULL, '', %s)"""
TRANSFER_SQL = """INSERT INTO transfers_transfer (created_at, updated_at, number, kind, reason,
 sent_at, acknowledge_due, answer_due, status, acknowledged_at, answered_at, answer,
 returned_at, return_reason, version, acknowledged_by_id, answered_by_id, case_id, clue_id,
 from_unit_id, jurisdiction_id, returned_by_id, sent_by_id, to_unit_id)
 VALUES (%s, %s, %s, %s, '移送', %s, %s, %s, %s, %s, %s, '', %s, '', 0, NULL, NULL, NULL, %s,
 %s, %s, NULL, %s, %s)"""
EXTENSION_SQL = """INSERT INTO clues_extensionrequest (created_at, updated_at, workdays, reason,
 old_deadline, new_deadline, decision, decided_at, note, clue_id, decided_by_id,
 requested_by_id) VALUES (%s, %s, 15, '核查需要', %s, %s, %s, %s, '', %s, %s, %s)"""
VALUE_SQL = """INSERT INTO reports_monthlyvalue (created_at, updated_at, month, value, note,
 imported_by_id, indicator_id, unit_id) VALUES (%s, %s, %s, %s, '', NULL, %s, %s)"""


class Campaign:
    """Cases, transfers, extensions and monthly values in proportion to `n` clues, dated
    2018-2020 like them; each clue is picked from those received by the day it is used."""

    def __init__(self, n: int, people, units: dict[str, Unit], jurisdictions: list[int]):
        self.n, self.people, self.units, self.jurisdictions = n, people, units, jurisdictions
        self.rng = random.Random(20201231)
        self.span = (base.LAST_RECEIVED - START) // DAY_S
        self.stamp = base.Generator(n, people, units, jurisdictions).stamp

    def clue_received_by(self, local_epoch: int) -> int:
        """A clue received a little before the time (clues are numbered by receipt)."""
        last = max(1, min(self.n, (local_epoch - START) // DAY_S * self.n // self.span))
        return self.rng.randint(max(1, last - self.n // 20), last)

    def day_between(self, low: int, high: int) -> int:
        """A local working-hours time between two local epochs."""
        day = self.rng.randint(low // DAY_S, max(low, high) // DAY_S)
        return day * DAY_S + self.rng.randint(9, 17) * 3600

    def cases(self, count: int):
        rng, units, people = self.rng, self.units, self.people
        rows = {name: [] for name in ("case", "move", "clue", "check", "suspect", "asset")}
        rows["official"] = []
        numbers: dict[str, int] = {}
        for case_id in range(1, count + 1):
            kind = rng.choices(*zip(*CASE_KINDS, strict=True))[0]
            first = units["discipline" if kind == CaseKind.UMBRELLA else "police"]
            opened = self.day_between(START + 30 * DAY_S, END - 10 * DAY_S)
            path = [("open", "investigation", first, opened)]
            at = opened
            for action, stage, unit, chance, days in (
                ("prosecute", "prosecution", units["procuratorate"], 0.7, (30, 200)),
                ("indict", "trial", units["court"], 0.8, (20, 120)),
                ("close", "closed", None, 0.8, (30, 200)),
            ):
                at += rng.randint(*days) * DAY_S
                if rng.random() > chance or at >= END:
                    break
                path.append((action, stage, unit or path[-1][2], at))
            opened_on, year = base.local_date(opened), base.local_date(opened)[:4]
            numbers[year] = numbers.get(year, 0) + 1
            stage, last_unit, last_at = path[-1][1], path[-1][2], path[-1][3]
            is_oil = rng.random() < 0.05
            created = self.stamp(opened - base.LOCAL_OFFSET)
            closed_on = base.local_date(last_at) if stage == "closed" else None
            tonnes = f"{rng.randint(1, 900)}.{rng.randint(0, 999):03d}" if is_oil else None
            rows["case"].append(
                (case_id, created, self.stamp(last_at - base.LOCAL_OFFSET))
                + (f"AJ{year}-{numbers[year]:05d}", f"{base.person(rng)}等{rng.randint(1, 12)}人")
                + (kind, opened_on, stage, base.local_date(last_at), closed_on)
                + ("judgment" if closed_on else "", is_oil, tonnes, last_unit.pk)
                + (rng.choice(self.jurisdictions), people["handler"].pk, first.pk)
            )
            before = ""
            for action, to_stage, unit, moved in path:
                rows["move"].append(
                    (self.stamp(moved - base.LOCAL_OFFSET), action, before, to_stage)
                    + (people["handler"].pk, unit.pk, case_id, unit.pk)
                )
                before = to_stage
            for clue_id in {self.clue_received_by(opened) for _ in range(rng.randint(1, 2))}:
                rows["clue"].append((case_id, clue_id))
            if kind in GANG_KINDS:
                for part, unit in (("crime", first), ("umbrella", units["discipline"])) + (
                    ("failure", units["discipline"]),
                ):
                    done_at = opened + rng.randint(30, 500) * DAY_S
                    done = done_at < END and rng.random() < 0.8
                    rows["check"].append(
                        (created, created, part, "done" if done else "pending")
                        + ("已查" if done else "", base.local_date(done_at) if done else None)
                        + (case_id, unit.pk)
                    )
            for _ in range(rng.randint(1, 9)):
                entered = self.stamp(opened + rng.randint(0, 20) * DAY_S - base.LOCAL_OFFSET)
                role = rng.choices(["leader", "core", "member"], [1, 2, 5])[0]
                rows["suspect"].append(
                    (entered, entered, base.person(rng), role, "detained", case_id)
                )
            for _ in range(rng.randint(0, 4)):
                entered = opened + rng.randint(0, 300) * DAY_S
                asset = rng.choice(list(AssetKind))
                measure = rng.choice(SEIZED) if asset != AssetKind.FINE else AssetMeasure.FINED
                counted = asset in (AssetKind.VEHICLE, AssetKind.EQUIPMENT)
                stamp = self.stamp(min(entered, END) - base.LOCAL_OFFSET)
                rows["asset"].append(
                    (stamp, stamp, asset, measure, rng.randint(1, 5) if counted else 1)
                    + (None if counted else f"{rng.randint(1_000, 5_000_000)}.00",)
                    + (base.local_date(entered) if rng.random() < 0.8 else None, case_id)
                )
            if kind == CaseKind.UMBRELLA:
                for _ in range(rng.randint(1, 4)):
                    entered = self.stamp(opened + rng.randint(0, 60) * DAY_S - base.LOCAL_OFFSET)
                    rows["official"].append(
                        (entered, entered, base.person(rng), rng.choice(EMPLOYERS))
                        + (rng.random() < 0.9, case_id)
                    )
        return rows

    def transfers(self, count: int):
        rng, u, people = self.rng, self.units, self.people
        pairs = [  # from, to, kind, weight
            (u["office"], u["police"], "criminal", 6),
            (u["office"], u["discipline"], "umbrella", 3),
            (u["police"], u["discipline"], "umbrella", 3),
            (u["discipline"], u["police"], "criminal", 1),
            (u["office"], u["区自然资源局"], "jurisdiction", 2),
            (u["office"], u["区市场监管局"], "jurisdiction", 2),
            (u["office"], u["柳河镇"], "jurisdiction", 1),
        ]
        rows = []
        for i in range(1, count + 1):
            source, target, kind, _w = rng.choices(pairs, [p[3] for p in pairs])[0]
            sent = self.day_between(START + 10 * DAY_S, END - DAY_S)
            answer_due = sent + 21 * DAY_S
            status, acknowledged, answered, returned = "sent", None, None, None
            if sent + 2 * DAY_S < END:
                status, acknowledged = "acknowledged", sent + 2 * DAY_S
            fate = rng.random()
            later = sent + rng.randint(3, 40) * DAY_S
            if later < END and fate < 0.8:
                status, answered = "answered", later
            elif later < END and fate < 0.85:
                status, returned = "returned", later
            created = self.stamp(sent - base.LOCAL_OFFSET)
            rows.append(
                (created, created, f"YJ{base.local_date(sent)[:4]}-{i:07d}", kind, created)
                + (base.local_date(sent + 3 * DAY_S), base.local_date(answer_due), status)
                + tuple(
                    self.stamp(t - base.LOCAL_OFFSET) if t else None
                    for t in (acknowledged, answered, returned)
                )
                + (self.clue_received_by(sent), source.pk, rng.choice(self.jurisdictions))
                + (people["office"].pk, target.pk)
            )
        return rows

    def extensions(self, count: int):
        rng, rows = self.rng, []
        for _ in range(count):
            asked = self.day_between(START + 40 * DAY_S, END - 10 * DAY_S)
            clue_id = self.clue_received_by(asked - 20 * DAY_S)
            decided = asked + rng.randint(1, 5) * DAY_S
            decision = rng.choices(["approved", "rejected", "pending"], [8, 1, 1])[0]
            created = self.stamp(asked - base.LOCAL_OFFSET)
            rows.append(
                (created, created, base.local_date(asked + 8 * DAY_S))
                + (base.local_date(asked + rng.randint(20, 45) * DAY_S), decision)
                + (None if decision == "pending" else self.stamp(decided - base.LOCAL_OFFSET),)
                + (clue_id, self.people["office"].pk, self.people["handler"].pk)
            )
        return rows

    def monthly_values(self):
        rows, stamp = [], self.stamp(END - base.LOCAL_OFFSET)
        for indicator in Indicator.objects.filter(is_active=True):
            for unit in {u.pk: u for u in self.units.values()}.values():  # no aliases
                if unit.kind == UnitKind.OFFICE or not indicator.reported_by(unit.kind):
                    continue
                for month in range(36):
                    first = datetime.date(2018 + month // 12, month % 12 + 1, 1)
                    value = self.rng.randint(50, 5000)
                    rows.append((stamp, stamp, first, value, indicator.pk, unit.pk))
        return rows


def more_units(units: dict[str, Unit]) -> dict[str, Unit]:
    """bench_clues' office, police and discipline commission, and the other member units."""
    city = units["office"].jurisdiction
    for i, (name, kind, _hands) in enumerate(MEMBER_UNITS):
        units[name] = Unit.objects.create(name=name, kind=kind, jurisdiction=city, sort_order=i)
    units["procuratorate"], units["court"] = units["区人民检察院"], units["区人民法院"]
    return units


def generate_campaign(n: int, cases: int, transfers: int, people, units, jurisdictions):
    campaign = Campaign(n, people, units, jurisdictions)
    start = time.perf_counter()
    rows = campaign.cases(cases)
    tables = [
        ("cases", CASE_SQL, rows["case"]),
        ("case stage moves", STAGE_MOVE_SQL, rows["move"]),
        ("case-clue links", CASE_CLUE_SQL, rows["clue"]),
        ("一案三查 checks", CHECK_SQL, rows["check"]),
        ("suspects", SUSPECT_SQL, rows["suspect"]),
        ("assets", ASSET_SQL, rows["asset"]),
        ("officials", OFFICIAL_SQL, rows["official"]),
        ("transfers", TRANSFER_SQL, campaign.transfers(transfers)),
        ("extension requests", EXTENSION_SQL, campaign.extensions(n // 50)),
        ("monthly values", VALUE_SQL, campaign.monthly_values()),
    ]
    with connection.cursor() as cursor, connection.constraint_checks_disabled():
        for what, sql, table in tables:
            for first in range(0, len(table), base.BATCH):
                base.insert(cursor, sql, table[first : first + base.BATCH])
            base.progress(what, len(table), start)
        # Member units register the clues they hand over (成员单位移交), some units none.
        handing = [units[name].pk for name, _kind, hands in MEMBER_UNITS if hands]
        handing.append(units["police"].pk)
        cursor.execute(
            "UPDATE clues_clue SET registering_unit_id = CASE id %% %s "
            + " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(handing))
            + " END WHERE source = 'member_unit'",
            [len(handing)],
        )
        base.progress("clues handed over", cursor.rowcount, start)
        if connection.vendor == "sqlite":  # as a ledger import does after a large load
            cursor.execute("ANALYZE clues_clue")
    connection.close()


# Timing ---------------------------------------------------------------------------------------


def settled_count(day: datetime.date) -> int:
    """How many clues received by the day are read from their rows (not moved since)."""
    from saohei.clues.asof import settled
    from saohei.clues.models import Clue

    return Clue.objects.filter(settled(day), received_on__lte=day).count()


def line(label: str, seconds: float, floor_s: float, target: float, note: str = "") -> None:
    verdict = "ok" if seconds < target else "MISSED"
    print(
        f"{pad(label, 44)} {fmt(seconds):>9}   floor {fmt(floor_s):>8}"
        f"   target < {fmt(target):<6} {verdict}{note}",
        flush=True,
    )


def agrees(f: dict, expected: dict) -> str:
    """The clue figures against the statuses worked out while generating."""
    merged = expected.get(Status.MERGED, 0)
    want = {
        "clues_total": sum(expected.values()) - merged,
        "clues_concluded": expected.get(Status.CONCLUDED, 0),
        "clues_interim": expected.get(Status.INTERIM, 0),
        "clues_verifying": sum(expected.get(s, 0) for s in VERIFYING),
        "clues_pending": sum(expected.get(s, 0) for s in PENDING),
    }
    wrong = {k: (f[k], v) for k, v in want.items() if f[k] != v}
    return "exact" if not wrong else f"WRONG {wrong}"


def dashboard_page(client: Client, day: datetime.date) -> str:
    response = client.get(reverse("dashboard") + f"?as_of={day.isoformat()}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def shown(page: str, key: str) -> str:
    return re.search(rf'data-figure="{key}">([^<]*)<', page).group(1).strip()


def manage(*args: str) -> tuple[float, str]:
    """`manage.py …` in a new process, as an operator runs it: (seconds, what it printed)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, done.stdout


def briefing(day: datetime.date) -> tuple[int, str]:
    """The briefing .docx written to memory: (bytes, problem found or "")."""
    from saohei.reports.briefing import DocumentError, briefing_document

    out = BytesIO()
    try:
        briefing_document(day, Scope.everything(), out)
    except DocumentError as exc:
        return 0, f"DocumentError: {exc}"
    return len(out.getvalue()), ""


def measure(expected: list[dict], repeat: int) -> None:
    office = User.objects.get(username="office")
    client = Client()
    client.force_login(office)
    print(f"\nfigures ({connection.vendor}, best of {repeat} after a warm-up)")
    for day, want in zip(base.DAYS, expected, strict=True):
        floor_s, statuses = best_of(lambda d=day: base.status_counts(d), repeat)
        count_s, moves = best_of(base.floor_count, repeat)
        received, from_rows = sum(statuses.values()), settled_count(day)
        print(
            f"as of {day}: floor = bare status as of the day over {received:,} clues"
            f" {fmt(floor_s)} ({from_rows:,} read from their rows, {received - from_rows:,}"
            f" moved since and looked up); for scale, COUNT(*) of {moves:,} moves {fmt(count_s)}"
        )
        seconds, f = best_of(lambda d=day: figures(d, Scope.everything()), repeat)
        line(f"stats: figures(), {f['clues_total']:,} clues", seconds, floor_s,
             TARGETS["stats"], f"  ({agrees(f, want)})")  # fmt: skip
        command_s, printed = manage("stats", "--as-of", day.isoformat(), "--format", "json")
        startup_s, _help = manage("stats", "--help")
        same = "same JSON" if json.loads(printed) == json.loads(json.dumps(f)) else "DIFFERENT"
        line("stats: manage.py stats, end to end, once", command_s, floor_s, TARGETS["stats"],
             f"  ({same}; start-up alone, stats --help: {fmt(startup_s)})")  # fmt: skip
        seconds, page = best_of(lambda d=day: dashboard_page(client, d), repeat)
        mine_s, mine = best_of(lambda d=day: figures(d, Scope.for_user(office)), repeat)
        keys = ("clues_total", "clues_concluded", "clues_overdue", "cases_opened")
        ok = "shows" if all(shown(page, k) == str(mine[k]) for k in keys) else "DIFFERS from"
        line(f"dashboard page, {len(page) // 1024} kB", seconds, floor_s, TARGETS["dashboard"],
             f"  ({ok} the office's figures(), {fmt(mine_s)} of it)")  # fmt: skip
        seconds, (size, problem) = best_of(lambda d=day: briefing(d), 1)
        note = f"  ({size // 1024} kB .docx)" if size else f"  ({problem[:100]})"
        line("briefing .docx", seconds, floor_s, TARGETS["briefing"], note)


def main() -> None:
    args = ARGS
    if args.clues < 1 or args.moves_per_clue < 1:
        PARSER.error("--clues and --moves-per-clue must be at least 1")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test Client's host
    where = Path(args.reuse).resolve() if args.reuse else Path(base.TMP)
    if args.reuse:
        shutil.rmtree(base.TMP, ignore_errors=True)  # made by bench_clues on import, unused
        expected = json.loads((where / EXPECTED).read_text())
        start = time.perf_counter()
        call_command("migrate", verbosity=0)  # a database kept by an earlier version
        print(
            f"reusing {where}: {Unit.objects.count()} units; migrated in"
            f" {fmt(time.perf_counter() - start)}",
            flush=True,
        )
    else:
        cases = args.cases if args.cases is not None else max(1, args.clues // 50)
        transfers = args.transfers if args.transfers is not None else max(1, args.clues // 20)
        call_command("migrate", verbosity=0)
        people, units, jurisdictions = base.setup_org()
        units = more_units(units)
        total = args.clues * args.moves_per_clue
        print(
            f"generating {args.clues:,} clues, {total:,} moves, {cases:,} cases and "
            f"{transfers:,} transfers ({connection.vendor})",
            flush=True,
        )
        start = time.perf_counter()
        gen = base.generate(args.clues, args.moves_per_clue, people, units, jurisdictions)
        generate_campaign(args.clues, cases, transfers, people, units, jurisdictions)
        print(f"generated in {fmt(time.perf_counter() - start)}")
        expected = [dict(counts) for counts in gen.expected]
        (where / EXPECTED).write_text(json.dumps(expected))
    measure(expected, args.repeat)
    connection.close()
    if args.keep or args.reuse:
        print(f"kept in {where}  (again: bench/bench_figures.py --reuse {where})")
    else:
        shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
