"""The transfer matrix on a hand-built set of transfers."""

import datetime

import pytest

from saohei.clues.choices import Category, Status
from saohei.clues.tests.factories import clue_in
from saohei.orgs.choices import Role, UnitKind
from saohei.transfers import actions
from saohei.transfers.choices import TransferKind
from saohei.transfers.models import Transfer
from saohei.transfers.services import transfer_matrix

from .factories import at

pytestmark = pytest.mark.django_db


def test_matrix_counts_sent_and_answered_by_unit_kind(personas, units):
    from conftest import make_user

    office = personas[Role.OFFICE_STAFF]
    police = personas[Role.HANDLER]
    discipline = personas[Role.DISCIPLINE]
    regulator = make_user("reg", Role.HANDLER, unit=units[UnitKind.REGULATOR])
    june = lambda d: at(datetime.date(2019, 6, d))  # noqa: E731

    def clue(category=Category.INDUSTRY_DISORDER):
        return clue_in(Status.VERIFYING, personas, category=category)

    # office → regulator: two in June, one answered in June, one answered only in July.
    a = actions.send(office, clue=clue(), to_unit=regulator.unit,
                     kind=TransferKind.JURISDICTION, reason="请整治", at=june(3))  # fmt: skip
    b = actions.send(office, clue=clue(), to_unit=regulator.unit,
                     kind=TransferKind.JURISDICTION, reason="请整治", at=june(4))  # fmt: skip
    actions.answer(a, regulator, text="已整治", at=june(20))
    actions.answer(b, regulator, text="已整治", at=at(datetime.date(2019, 7, 2)))
    # police → discipline: one, answered; discipline → police: one, never answered.
    c = actions.send(police, clue=clue(Category.GANG), to_unit=discipline.unit,
                     kind=TransferKind.UMBRELLA, reason="发现保护伞", at=june(5))  # fmt: skip
    actions.answer(c, discipline, text="已立案审查", at=june(25))
    umbrella = clue_in(Status.ASSIGNED, personas, category=Category.UMBRELLA)
    actions.send(discipline, clue=umbrella, to_unit=police.unit,
                 kind=TransferKind.CRIMINAL, reason="涉嫌犯罪", at=june(10))  # fmt: skip
    # Outside the period: not counted.
    actions.send(office, clue=clue(), to_unit=regulator.unit,
                 kind=TransferKind.JURISDICTION, reason="请整治",
                 at=at(datetime.date(2019, 5, 31)))  # fmt: skip

    m = transfer_matrix(
        Transfer.objects.all(), datetime.date(2019, 6, 1), datetime.date(2019, 6, 30)
    )
    cells = m["cells"]
    assert cells[("office", "regulator")] == {"sent": 2, "answered": 1, "returned": 0}
    assert cells[("police", "discipline")] == {"sent": 1, "answered": 1, "returned": 0}
    assert cells[("discipline", "police")] == {"sent": 1, "answered": 0, "returned": 0}
    assert len(cells) == 3
    assert m["kinds"] == ["office", "police", "discipline", "regulator"]
    assert [(r["from"], r["to"]) for r in m["rows"]] == [
        ("office", "regulator"),
        ("police", "discipline"),
        ("discipline", "police"),
    ]
    # Through the end of July the late answer counts; with no start, May's transfer too.
    later = transfer_matrix(Transfer.objects.all(), None, datetime.date(2019, 7, 31))
    assert later["cells"][("office", "regulator")] == {"sent": 3, "answered": 2, "returned": 0}
