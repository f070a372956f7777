"""Hand-built clues, cases and entities for the linkage tests."""

import datetime

from saohei.cases import actions as case_actions
from saohei.cases.choices import CaseKind
from saohei.cases.models import Suspect
from saohei.clues.choices import Category
from saohei.clues.tests.factories import new_clue
from saohei.entities.models import Mention, Organization, Person, Phone, Vehicle
from saohei.entities.tests.test_persons import valid_id
from saohei.orgs.choices import Role

DAY = datetime.date(2019, 6, 3)

__all__ = ["DAY", "clue", "case", "person", "vehicle", "phone", "org", "mention", "suspect"]
__all__ += ["valid_id"]


_n = iter(range(1, 10**6))


def clue(personas, summary="", place="", on=DAY, **fields):
    return new_clue(
        personas,
        summary=summary or f"举报{next(_n)}",  # too short to compare methods by
        place=place,
        received_on=on,
        subjects=fields.pop("subjects", "某人"),
        category=fields.pop("category", Category.EVIL_FORCE),
        **fields,
    )


def case(personas, name="某某等人盗窃案", summary="", on=DAY, **details):
    return case_actions.open_case(
        personas[Role.HANDLER],
        name=name,
        kind=details.pop("kind", CaseKind.ORDINARY),
        opened_on=on,
        summary=summary,
        **details,
    )


def _entity(model, user, **fields):
    return model.objects.create(
        jurisdiction=user.unit.jurisdiction, entered_by_unit=user.unit, **fields
    )


def person(user, name, id_number="", **fields):
    return _entity(Person, user, name=name, id_number=id_number, **fields)


def vehicle(user, plate):
    return _entity(Vehicle, user, plate=plate)


def phone(user, number):
    return _entity(Phone, user, number=number)


def org(user, name):
    return _entity(Organization, user, name=name)


def mention(source, entity, role="subject"):
    field = entity._meta.model_name
    return Mention.objects.create(**{source._meta.model_name: source, field: entity, "role": role})


def suspect(case, name, id_number, role="member"):
    return Suspect.objects.create(case=case, name=name, id_number=id_number, role=role)
