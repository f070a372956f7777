import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import PASSWORD
from saohei.audit.models import AuditEntry
from saohei.orgs.choices import Role
from saohei.orgs.models import Unit


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_units_api_is_scoped_like_the_page(api, personas, other_personas):
    api.force_authenticate(personas[Role.HANDLER])
    rows = api.get(reverse("unit-list"), {"limit": 500}).json()["results"]
    assert {r["id"] for r in rows} == set(
        Unit.objects.filter(jurisdiction__code="239901").values_list("pk", flat=True)
    )
    foreign = other_personas[Role.HANDLER].unit
    assert api.get(reverse("unit-detail", args=[foreign.pk])).status_code == 404
    mine = personas[Role.HANDLER].unit
    assert api.get(reverse("unit-detail", args=[mine.pk])).json()["name"] == mine.name


@pytest.mark.django_db
def test_units_api_filter_by_kind(api, personas):
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    rows = api.get(reverse("unit-list"), {"kind": "police"}).json()["results"]
    assert [r["kind"] for r in rows] == ["police"]


@pytest.mark.django_db
def test_audit_api_is_read_only_and_for_the_auditor_only(api, personas):
    entry = AuditEntry.objects.order_by("id").first()
    url = reverse("auditentry-detail", args=[entry.pk])
    api.force_authenticate(personas[Role.AUDITOR])
    assert api.get(url).json()["hash"] == entry.hash
    assert api.put(url, {"object_repr": "x"}).status_code in (403, 405)
    assert api.delete(url).status_code in (403, 405)
    assert api.post(reverse("auditentry-list"), {}).status_code in (403, 405)
    assert AuditEntry.objects.get(pk=entry.pk).hash == entry.hash
    for role in (Role.SYSADMIN, Role.OFFICE_ADMIN, Role.SECURITY_ADMIN):
        api.force_authenticate(personas[role])
        assert api.get(url).status_code == 403


@pytest.mark.django_db
def test_token_login_goes_through_lockout_and_is_audited(api, personas):
    user = personas[Role.HANDLER]
    response = api.post(reverse("api-token"), {"username": user.username, "password": PASSWORD})
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api-me")).json()["roles"] == ["handler"]


@pytest.mark.django_db
def test_schema_is_openapi_3(api, personas):
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    response = api.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/units/" in schema["paths"]
