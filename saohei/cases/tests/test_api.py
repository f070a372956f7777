import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from saohei.cases.choices import Stage
from saohei.orgs.choices import Role, UnitKind

from .factories import court_and_procuratorate, gang_case, record_all_checks

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_case_api_scoping_matches_the_pages(api, personas, other_personas, units):
    case = gang_case(personas)
    court, _procurator = court_and_procuratorate(units)
    url = reverse("case-detail", args=[case.number])
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    body = api.get(url).json()
    assert body["stage"] == "investigation" and len(body["clues"]) == 2
    assert len(body["missing_checks"]) == 3
    for user in (court, other_personas[Role.HANDLER], other_personas[Role.OFFICE_ADMIN]):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404
        assert case.number not in api.get(reverse("case-list")).content.decode()
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.SECURITY_ADMIN):
        api.force_authenticate(personas[role])
        assert api.get(url).status_code == 403


def test_stage_steps_over_the_api(api, personas, units):
    case = gang_case(personas)
    step = reverse("case-step", args=[case.number])
    api.force_authenticate(personas[Role.HANDLER])
    refused = api.post(step, {"step": "close", "closing_reason": "withdrawn"}, format="json")
    assert refused.status_code == 400
    record_all_checks(case, personas)
    moved = api.post(
        step,
        {"step": "prosecute", "unit": units[UnitKind.PROCURATORATE].pk, "version": case.version},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["stage"] == Stage.PROSECUTION
    stale = api.post(
        step,
        {"step": "close", "closing_reason": "withdrawn", "version": case.version},
        format="json",
    )
    assert stale.status_code == 403  # the police no longer handle it
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    assert api.post(step, {"step": "close"}, format="json").status_code == 403
    moves = api.get(reverse("case-moves", args=[case.number])).json()
    assert [m["to_stage"] for m in moves] == ["investigation", "prosecution"]
