"""Each role's home page shows its own real content and nothing it may not see."""

import pytest
from django.urls import reverse

from conftest import make_user
from saohei.core import todo
from saohei.orgs.choices import Role


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_office_staff_sees_to_do_and_the_member_units(client, personas):
    page = home(client, personas[Role.OFFICE_STAFF])
    assert 'data-testid="todo"' in page
    assert 'data-testid="units"' in page
    assert personas[Role.HANDLER].unit.name in page
    assert 'data-testid="audit"' not in page and 'data-testid="accounts"' not in page


@pytest.mark.django_db
def test_to_do_shows_what_providers_register(client, personas):
    def provider(user):
        if user.has_role(Role.HANDLER):
            return todo.TodoSection(
                title="待核查线索", items=[todo.TodoItem(title="XS2019-0001", url="/")]
            )
        return None

    todo.register(provider)
    try:
        assert "XS2019-0001" in home(client, personas[Role.HANDLER])
        assert "XS2019-0001" not in home(client, personas[Role.OFFICE_STAFF])
    finally:
        todo._PROVIDERS.remove(provider)


@pytest.mark.django_db
def test_sysadmin_sees_accounts_not_case_data(client, personas):
    page = home(client, personas[Role.SYSADMIN])
    assert 'data-testid="accounts"' in page
    assert 'data-testid="todo"' not in page and 'data-testid="units"' not in page


@pytest.mark.django_db
def test_security_admin_sees_policy_and_locks(client, personas):
    page = home(client, personas[Role.SECURITY_ADMIN])
    assert 'data-testid="security"' in page
    assert 'data-testid="todo"' not in page and 'data-testid="audit"' not in page


@pytest.mark.django_db
def test_auditor_sees_the_latest_audit_entries(client, personas):
    page = home(client, personas[Role.AUDITOR])
    assert 'data-testid="audit"' in page
    assert personas[Role.AUDITOR].username in page  # the newest entries: its own creation
    assert 'data-testid="units"' not in page


@pytest.mark.django_db
def test_user_without_role_sees_only_a_greeting(client, units):
    user = make_user("newcomer", unit=units["police"])
    page = home(client, user)
    for section in ("todo", "units", "accounts", "security", "audit"):
        assert f'data-testid="{section}"' not in page


@pytest.mark.django_db
def test_auditor_filters_the_log(client, personas):
    client.force_login(personas[Role.AUDITOR])
    url = reverse("audit_log")
    page = client.get(url, {"action": "create", "object_type": "orgs.unit"}).content.decode()
    assert personas[Role.HANDLER].unit.name in page
    assert f"> {personas[Role.HANDLER].username}<" not in page
    page = client.get(url, {"since": "2019-13-45"}).content.decode()
    assert "有效的日期" in page  # a wrong date gets a Chinese message, not a crash
