"""Shared fixtures: two jurisdictions, units of every kind in each, and a persona per role.

Persona tests (STYLE habit 9) ask `personas["handler"]` for a handler of the first district's
police, `other_personas["handler"]` for the same role in the second district.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

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


@pytest.fixture(autouse=True)
def cache_of_this_test(settings):
    """Each test its own empty cache, in memory: the files of var/cache are shared by the
    test processes and outlive a test, whose users and ids the next test makes anew."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def verify_second_factor(client, user) -> None:
    """Mark the client's session as past the second factor, the way django_otp.login does
    after a right code (a confirmed device of the user's, its id in the session)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from saohei.orgs.twofactor import HAS_DEVICE_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[HAS_DEVICE_SESSION_KEY] = True
    session.save()


@pytest.fixture(autouse=True)
def second_factor_on_test_logins(request, monkeypatch):
    """Two-factor login is on in tests as in production. A test that logs a user in with
    `client.force_login` or `client.login` (page and API tests of every role) gets a session
    that has also passed the second factor, as the user would after entering their code.
    Tests of the second step itself are marked `otp_unverified` and see the raw session."""
    if "otp_unverified" in request.keywords:
        return
    from saohei.orgs.twofactor import has_device, requires_two_factor

    force_login, login = Client.force_login, Client.login

    def needs(user) -> bool:
        return requires_two_factor(user) or has_device(user)

    def patched_force_login(self, user, backend=None):
        force_login(self, user, backend)
        if needs(user):
            verify_second_factor(self, user)

    def patched_login(self, **credentials):
        done = login(self, **credentials)
        if done:
            from django.contrib.auth import SESSION_KEY

            user = User.objects.get(pk=self.session[SESSION_KEY])
            if needs(user):
                verify_second_factor(self, user)
        return done

    monkeypatch.setattr(Client, "force_login", patched_force_login)
    monkeypatch.setattr(Client, "login", patched_login)


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
