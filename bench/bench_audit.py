"""How much the hash chain costs: appending audit entries through record() (read the chain
head, hash, insert, one transaction each) beside the floor of a bare ORM insert of the same
rows in the same run, on a throw-away SQLite database (or DATABASE_URL if set).

    make bench            # or: .venv/bin/python bench/bench_audit.py [N]
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
tmp = tempfile.mkdtemp(prefix="saohei-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("SAOHEI_VAR_DIR", tmp)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saohei.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from saohei.audit.models import Action, AuditEntry  # noqa: E402
from saohei.audit.services import record, verify_chain  # noqa: E402


def per_second(n, seconds):
    return f"{n / seconds:10.0f}/s"


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            record(Action.EXPORT, changes={"n": i, "file": "线索台账.xlsx"})
    chained = time.perf_counter() - start

    last = AuditEntry.objects.order_by("-id").first()
    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            AuditEntry.objects.create(
                id=last.id + 1 + i,
                at=timezone.now(),
                action=Action.EXPORT,
                changes={"n": i, "file": "线索台账.xlsx"},
                algorithm="sha256",
                prev_hash="0" * 64,
                hash="0" * 64,
            )
    floor = time.perf_counter() - start

    start = time.perf_counter()
    verify_chain()  # breaks at the floor rows, after walking the chained ones
    verify = time.perf_counter() - start

    print(f"audit append, {n} entries, one transaction each ({django.db.connection.vendor})")
    print(f"  record() with hash chain : {per_second(n, chained)}")
    print(f"  bare ORM insert (floor)  : {per_second(n, floor)}")
    print(f"  chain overhead           : {chained / floor:10.2f}x")
    print(f"  audit_verify walk        : {per_second(2 * n, verify)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
