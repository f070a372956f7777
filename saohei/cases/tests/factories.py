"""Cases in any stage, made through the real action functions."""

import datetime

from saohei.cases import actions
from saohei.cases.choices import CaseKind
from saohei.cases.models import Charge
from saohei.clues.choices import Status
from saohei.clues.tests.factories import clue_in
from saohei.orgs.choices import Role, UnitKind

OPENED = datetime.date(2019, 6, 10)


def court_and_procuratorate(units):
    """A handler in the district's court and one in its procuratorate."""
    from conftest import make_user

    return (
        make_user("court", Role.HANDLER, unit=units[UnitKind.COURT]),
        make_user("procurator", Role.HANDLER, unit=units[UnitKind.PROCURATORATE]),
    )


def gang_case(personas, *, clues=2, kind=CaseKind.EVIL_GANG, name="张三等9人寻衅滋事案"):
    """A gang-type case opened by the police handler from `clues` clues it is verifying."""
    handler = personas[Role.HANDLER]
    sources = [clue_in(Status.VERIFYING, personas, subjects=f"张三{i}") for i in range(clues)]
    charge, _ = Charge.objects.get_or_create(name="寻衅滋事")
    return actions.open_case(
        handler,
        name=name,
        kind=kind,
        opened_on=OPENED,
        charges=[charge],
        clues=sources,
        summary="张三纠集多人在北湖街道农贸市场寻衅滋事",
    )


def record_all_checks(case, personas):
    for check in case.checks.all():
        user = (
            personas[Role.HANDLER]
            if check.responsible_unit_id == personas[Role.HANDLER].unit_id
            else personas[Role.DISCIPLINE]
        )
        actions.record_check(check, user, status="done", result="已查明，未发现问题")
