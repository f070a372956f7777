"""The load benchmark's database: seeded once, then reused; and the plan the load driver
follows (accounts, each handler's own clues, clues to open, search terms), written afresh
before every run. Run by bench/load/run.py in its own process, with DATABASE_URL and
SAOHEI_VAR_DIR pointing at the kept folder.

    python bench/load/seed.py --clues 100000 --plan DIR/plan.json

Seeding reuses the figures benchmark's generators (bench_clues.generate: clues and their
moves in raw batches, the search index built once; bench_figures.generate_campaign: cases,
transfers, extensions, monthly values in proportion), so 100,000 clues take about a minute.
Then the people the workload logs in as, with the roles that do the daily work: office staff
of the campaign office, handlers of the police (the unit most clues are routed to) and
district leaders who read the dashboard. (Office heads, custodians and the three officers
get a second factor at login: the benchmark leaves them out.)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saohei.settings")

import bench_clues as base  # noqa: E402  (sets up Django on DATABASE_URL)

shutil.rmtree(base.TMP, ignore_errors=True)  # its own throw-away folder: unused here
import bench_figures  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from saohei.clues.choices import Status  # noqa: E402
from saohei.clues.models import Clue  # noqa: E402
from saohei.orgs.choices import Role  # noqa: E402
from saohei.orgs.models import Unit, User  # noqa: E402

PASSWORD = "Bench#Passw0rd"  # bench_clues.setup_org's, for every account
ACCOUNTS = {"office": Role.OFFICE_STAFF, "handler": Role.HANDLER, "leader": Role.LEADER_VIEWER}
PER_ROLE = 60  # more than any run's users of one kind: no two share a session or a clue
OWN_CLUES = 40  # clues each handler account steps on (interim ↔ resume, verification notes)
SEARCH_TERMS = [*base.SEARCH_TERMS, "王伟", "砂石", "KTV", "套路贷", "石桥镇 砖厂", "高利贷"]


def seed(clues: int) -> None:
    call_command("migrate", verbosity=0)
    people, units, jurisdictions = base.setup_org()
    units = bench_figures.more_units(units)
    start = time.perf_counter()
    print(f"seeding {clues:,} clues and their records ({connection.vendor})", flush=True)
    base.generate(clues, 5, people, units, jurisdictions)
    bench_figures.generate_campaign(
        clues, max(1, clues // 50), max(1, clues // 20), people, units, jurisdictions
    )
    hashed = make_password(PASSWORD)  # once: Argon2 is slow on purpose
    for prefix, role in ACCOUNTS.items():
        group = Group.objects.get(name=role)
        unit = units["police" if prefix == "handler" else "office"]
        for i in range(1, PER_ROLE + 1):
            user = User.objects.create(username=f"load-{prefix}{i:02d}", password=hashed, unit=unit)
            user.groups.set([group])
    print(f"seeded in {base.fmt(time.perf_counter() - start)}", flush=True)


def plan(path: Path) -> None:
    """Who logs in, and the clues each handler account may step on alone (no two virtual
    users touch the same clue, so a refusal or a conflict is an error, not a race)."""
    police = Unit.objects.get(name="公安局")
    office = User.objects.get(username="load-office01")
    own = list(
        Clue.objects.filter(assigned_unit=police, status__in=[Status.VERIFYING, Status.INTERIM])
        .order_by("pk")
        .values_list("number", flat=True)[: PER_ROLE * OWN_CLUES]
    )
    visible = Clue.objects.visible_to(office).order_by("?").values_list("number", flat=True)
    accounts = {
        prefix: [f"load-{prefix}{i:02d}" for i in range(1, PER_ROLE + 1)] for prefix in ACCOUNTS
    }
    path.write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "accounts": accounts,
                "own_clues": {name: own[i::PER_ROLE] for i, name in enumerate(accounts["handler"])},
                "clues": list(visible[:2000]),
                "search": SEARCH_TERMS,
                "clues_total": Clue.objects.count(),
            },
            ensure_ascii=False,
        )
    )
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clues", type=int, help="seed this many clues first")
    parser.add_argument("--plan", type=Path, required=True)
    args = parser.parse_args()
    if args.clues:
        seed(args.clues)
    else:
        # A kept database from an earlier run: bring its tables up to the code being measured.
        call_command("migrate", verbosity=0)
    settle_statistics()
    plan(args.plan)


def settle_statistics() -> None:
    """The state a database in use is in: PostgreSQL's autovacuum has vacuumed and analysed
    the freshly written tables (without it, a new index is read row by row: the visibility map
    is empty), SQLite's statistics cover the indexes a migration has just made."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


if __name__ == "__main__":
    main()
