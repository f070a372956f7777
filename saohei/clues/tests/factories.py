"""Clues in any state, made through the real action functions."""

import datetime

from saohei.clues import actions
from saohei.clues.choices import Category, Finding, Source, Status
from saohei.orgs.choices import Role

DAY = datetime.date(2019, 6, 3)


def new_clue(
    personas,
    *,
    category=Category.EVIL_FORCE,
    subjects="张三",
    summary=None,
    received_on=DAY,
    **fields,
):
    return actions.register(
        personas[Role.OFFICE_STAFF],
        received_on=received_on,
        source=fields.pop("source", Source.PUBLIC),
        category=category,
        subjects=subjects,
        summary=summary or f"{subjects}在北湖街道强迫交易",
        **fields,
    )


def clue_in(status, personas, **fields):
    """A clue brought to `status` through the workflow, assigned (if at all) to the police
    unit of the `handler` and `unit_leader` personas."""
    office, handler, leader = (
        personas[Role.OFFICE_STAFF],
        personas[Role.HANDLER],
        personas[Role.UNIT_LEADER],
    )
    clue = new_clue(personas, **fields)
    if status == Status.RECEIVED:
        return clue
    if status == Status.PARKED:
        actions.park(clue, office, reason="待补充材料", until=datetime.date(2099, 1, 1))
        return clue
    if status == Status.MERGED:
        other = new_clue(personas, subjects="李四")
        actions.merge(clue, office, into=other)
        return clue
    unit = handler.unit if clue.category != Category.UMBRELLA else personas[Role.DISCIPLINE].unit
    actions.assign(clue, office, unit)
    if status == Status.ASSIGNED:
        return clue
    actions.accept(clue, handler)
    if status == Status.VERIFYING:
        return clue
    if status == Status.INTERIM:
        actions.interim(clue, handler, result="已查明部分事实，待进一步核查")
        return clue
    actions.request_conclusion(clue, handler, finding=Finding.SUBSTANTIATED, result="查实")
    if status == Status.AWAITING_APPROVAL:
        return clue
    actions.approve(clue, leader)
    assert status == Status.CONCLUDED
    return clue
