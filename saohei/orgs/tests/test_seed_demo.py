import io

import pytest
from django.core.management import call_command
from stdnum.cn import ric

from saohei.audit.services import verify_chain
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit, User


@pytest.mark.django_db
def test_demo_district_matches_the_briefing():
    call_command("seed_demo", "--units-only", stdout=io.StringIO())
    kinds = {k: Unit.objects.filter(kind=k).count() for k in UnitKind}
    assert kinds[UnitKind.OFFICE] == 1
    assert kinds[UnitKind.POLICE] == 2
    assert kinds[UnitKind.PROCURATORATE] == kinds[UnitKind.COURT] == 1
    assert kinds[UnitKind.DISCIPLINE] == 1
    assert kinds[UnitKind.REGULATOR] == 10
    assert kinds[UnitKind.TOWNSHIP] == 5
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    names = list(User.objects.values_list("full_name", flat=True))
    assert all(2 <= len(n) <= 3 and "\u4e00" <= n[0] <= "\u9fff" for n in names)
    assert verify_chain() is None


@pytest.mark.django_db
def test_seed_is_idempotent_and_prints_the_accounts(capsys):
    call_command("seed_demo")
    first = (Unit.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Unit.objects.count(), User.objects.count()) == first
    out = capsys.readouterr().out
    assert "office_head" in out and "auditor" in out and "Saohei#2019" in out


@pytest.mark.django_db
def test_demo_passwords_meet_the_policy():
    from django.contrib.auth.password_validation import validate_password

    from saohei.orgs.demo import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)


def test_synthetic_id_numbers_are_valid():
    import random

    from saohei.core.synthetic import id_number

    rng = random.Random(7)
    numbers = [id_number(rng, female=i % 2 == 0) for i in range(200)]
    assert all(ric.is_valid(n) for n in numbers)
    assert all((int(n[16]) % 2 == 0) == (i % 2 == 0) for i, n in enumerate(numbers))
