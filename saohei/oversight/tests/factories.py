"""Hand-built oversight data: users of any unit, clues handed over by a unit, publicity
activities, all made through the real action functions."""

from __future__ import annotations

import datetime

from conftest import make_user
from saohei.clues import actions as clue_actions
from saohei.clues.choices import Category, Source
from saohei.orgs.choices import Role
from saohei.oversight import actions
from saohei.oversight.models import AssessmentPeriod

D = datetime.date


def unit_user(unit, role=Role.HANDLER, name=None):
    return make_user(name or f"u{unit.pk}_{role}", role, unit=unit)


def hand_over(user, day: datetime.date, source=Source.MEMBER_UNIT):
    """A clue the user's unit hands over to the office (registered by the unit itself)."""
    return clue_actions.register(
        user,
        received_on=day,
        source=source,
        category=Category.INDUSTRY_DISORDER,
        subjects="王某",
        summary="王某在北湖街道欺行霸市",
    )


def activity(user, unit, day, kind="banner", quantity=10, text="", **fields):
    return actions.record_publicity(
        user, unit=unit, held_on=day, kind=kind, quantity=quantity, text=text, **fields
    )


FIRST_HALF = (D(2019, 1, 1), D(2019, 6, 30))


def period(admin, start=FIRST_HALF[0], end=FIRST_HALF[1], name="2019年上半年考核"):
    return actions.create_period(admin, name=name, start=start, end=end)


def first_half(admin) -> AssessmentPeriod:
    return period(admin)
