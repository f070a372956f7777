"""Fifty users acting on the same clue at once (issue 10 item 3): exactly one move wins, the
others get a clear conflict in Chinese, and nothing is lost or written twice, on SQLite
(IMMEDIATE transactions queue on the write lock) and PostgreSQL (row locks)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import translation

from saohei.clues import actions as clues
from saohei.clues.actions import ConflictError, WorkflowError
from saohei.clues.choices import Category, Source, Status
from saohei.clues.models import Clue, Move
from saohei.orgs.choices import Role

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 50


@pytest.fixture
def assigned(personas):
    office = personas[Role.OFFICE_STAFF]
    clue = clues.register(
        office,
        received_on=datetime.date(2019, 6, 1),
        source=Source.PUBLIC,
        category=Category.EVIL_FORCE,
        subjects="王某",
        summary="强迫交易",
    )
    clues.assign(clue, office, personas[Role.HANDLER].unit)
    return Clue.objects.get(pk=clue.pk)


def race(work) -> list:
    """Run `work(i)` in ATTEMPTS threads released together; each result or exception."""
    start, results = threading.Barrier(ATTEMPTS), [None] * ATTEMPTS

    def run(i):
        try:
            with translation.override("zh-hans"):
                start.wait()
                results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 (each attempt's outcome is what is checked)
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_fifty_accepts_of_one_version_one_wins(assigned, personas):
    handler, version = personas[Role.HANDLER], assigned.version
    results = race(lambda i: clues.accept(Clue(pk=assigned.pk), handler, expected_version=version))
    won = [r for r in results if isinstance(r, Move)]
    lost = [r for r in results if isinstance(r, ConflictError)]
    assert len(won) == 1 and len(lost) == ATTEMPTS - 1, results
    assert "其他人已修改线索" in str(lost[0])  # the conflict, in Chinese
    clue = Clue.objects.get(pk=assigned.pk)
    assert (clue.status, clue.version) == (Status.VERIFYING, version + 1)
    assert Move.objects.filter(clue=clue, action="accept").count() == 1


def test_fifty_returns_without_a_version_one_wins(assigned, personas):
    """Without the version (the API's callers), the step's own rule decides: once the clue
    is returned, returning it again is not possible, and says so."""
    handler = personas[Role.HANDLER]
    results = race(lambda i: clues.return_clue(Clue(pk=assigned.pk), handler, reason=f"第{i}次"))
    won = [r for r in results if isinstance(r, Move)]
    refused = [r for r in results if isinstance(r, WorkflowError)]
    assert len(won) == 1 and len(refused) == ATTEMPTS - 1, results
    assert Move.objects.filter(clue=assigned, action="return").count() == 1
    assert Clue.objects.get(pk=assigned.pk).status == Status.RECEIVED


def test_fifty_answers_to_one_transfer_one_wins(assigned, personas):
    """The same race on a transfer: fifty answers of the version read, one recorded."""
    from saohei.transfers import actions as transfers
    from saohei.transfers.actions import TransferError
    from saohei.transfers.models import Transfer

    office, discipline = personas[Role.OFFICE_STAFF], personas[Role.DISCIPLINE]
    sent = transfers.send(
        office, clue=assigned, to_unit=discipline.unit, kind="umbrella", reason="发现保护伞线索"
    )
    version = sent.version
    results = race(
        lambda i: transfers.answer(
            Transfer(pk=sent.pk), discipline, text=f"第{i}份答复", expected_version=version
        )
    )
    won = [r for r in results if isinstance(r, Transfer)]
    lost = [r for r in results if isinstance(r, TransferError | WorkflowError)]
    assert len(won) == 1 and len(lost) == ATTEMPTS - 1, results
    answered = Transfer.objects.get(pk=sent.pk)
    assert answered.answer == won[0].answer and answered.version == version + 1


def test_fifty_stage_moves_of_one_case_one_wins(personas):
    """And on a case: fifty moves to prosecution of the version read, one recorded."""
    from saohei.cases import actions as cases
    from saohei.cases.models import Case, StageMove
    from saohei.cases.tests.factories import gang_case
    from saohei.orgs.choices import UnitKind
    from saohei.orgs.models import Unit

    case = gang_case(personas, clues=0)
    police = personas[Role.HANDLER]
    procuratorate = Unit.objects.filter(
        kind=UnitKind.PROCURATORATE, jurisdiction_id=police.unit.jurisdiction_id
    ).first()
    version = Case.objects.get(pk=case.pk).version
    results = race(
        lambda i: cases.move(
            Case(pk=case.pk), "prosecute", police, unit=procuratorate, expected_version=version
        )
    )
    won = [r for r in results if isinstance(r, StageMove)]
    assert len(won) == 1, results
    assert all(isinstance(r, Exception) for r in results if r not in won)
    assert StageMove.objects.filter(case=case, to_stage="prosecution").count() == 1
