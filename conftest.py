"""Shared fixtures: two jurisdictions, units of every kind in each, and a persona per role.

Persona tests (STYLE habit 9) ask `personas["handler"]` for a handler of the first district's
police, `other_personas["handler"]` for the same role in the second district.
"""

import pytest
from django.contrib.auth.models import Group

from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Jurisdiction, Unit, User

PASSWORD = "Test#Passw0rd"

# Which unit kind each persona sits in.
PERSONA_UNIT = {
    Role.OFFICE_ADMIN: UnitKind.OFFICE,
    Role.OFFICE_STAFF: UnitKind.OFFICE,
    Role.CLUE_CUSTODIAN: UnitKind.OFFICE,
    Role.LEADER_VIEWER: UnitKind.OFFICE,
    Role.HANDLER: UnitKind.POLICE,
    Role.UNIT_LEADER: UnitKind.POLICE,
    Role.DISCIPLINE: UnitKind.DISCIPLINE,
    Role.SYSADMIN: UnitKind.OFFICE,
    Role.SECURITY_ADMIN: UnitKind.OFFICE,
    Role.AUDITOR: UnitKind.OFFICE,
}


def make_district(name: str, code: str, parent=None) -> dict:
    jurisdiction = Jurisdiction.objects.create(name=name, code=code, parent=parent)
    return {
        kind: Unit.objects.create(name=f"{name}{kind.label}", kind=kind, jurisdiction=jurisdiction)
        for kind in UnitKind
    }


def make_user(username: str, *roles: str, unit=None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit, **extra)
    user.groups.set(Group.objects.filter(name__in=roles))
    return User.objects.get(pk=user.pk)  # fresh: no cached roles


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """Argon2 is slow by design; tests that are not about hashing use a fast hasher."""
    if "real_hasher" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def units(db):
    city = Jurisdiction.objects.create(name="测试市", code="239900")
    return make_district("北湖区", "239901", parent=city)


@pytest.fixture
def other_units(units):
    return make_district("南郊区", "239902", parent=Jurisdiction.objects.get(code="239900"))


def _personas(prefix: str, unit_map: dict) -> dict:
    return {
        role: make_user(
            f"{prefix}{role}",
            role,
            unit=unit_map[PERSONA_UNIT[role]],
            is_staff=role == Role.SYSADMIN,
        )
        for role in Role
    }


@pytest.fixture
def personas(units):
    return _personas("", units)


@pytest.fixture
def other_personas(other_units):
    return _personas("other_", other_units)
