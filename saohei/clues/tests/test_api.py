import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from saohei.clues.choices import Status
from saohei.clues.models import Clue
from saohei.orgs.choices import Role

from .factories import clue_in


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_api_scoping_matches_the_pages(api, personas, other_personas):
    clue = clue_in(Status.VERIFYING, personas)
    url = reverse("clue-detail", args=[clue.number])
    api.force_authenticate(personas[Role.HANDLER])
    assert api.get(url).json()["status"] == "verifying"
    for user in (
        personas[Role.DISCIPLINE],
        other_personas[Role.HANDLER],
        other_personas[Role.OFFICE_ADMIN],
    ):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404
        assert clue.number not in api.get(reverse("clue-list")).content.decode()
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.SECURITY_ADMIN):
        api.force_authenticate(personas[role])
        assert api.get(url).status_code == 403


@pytest.mark.django_db
def test_register_and_walk_the_workflow_over_the_api(api, personas):
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    created = api.post(
        reverse("clue-list"),
        {
            "received_on": "2019-06-03",
            "source": "public",
            "category": "oil",
            "subjects": "周七",
            "summary": "周七等人盗窃原油",
            "anonymous": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    step = reverse("clue-step", args=[number])
    unit = personas[Role.HANDLER].unit
    assert api.post(step, {"step": "assign", "unit": unit.pk}).json()["status"] == "assigned"
    api.force_authenticate(personas[Role.HANDLER])
    assert api.post(step, {"step": "accept"}).json()["status"] == "verifying"
    bad = api.post(step, {"step": "request_conclusion", "finding": "maybe", "result": "x"})
    assert bad.status_code == 400
    ok = api.post(step, {"step": "request_conclusion", "finding": "unfounded", "result": "查否"})
    assert ok.json()["status"] == "awaiting_approval"
    assert api.post(step, {"step": "approve"}).status_code == 403
    stale = api.post(step, {"step": "interim", "result": "x", "version": 0})
    assert stale.status_code == 409
    api.force_authenticate(personas[Role.UNIT_LEADER])
    assert api.post(step, {"step": "approve"}).json()["status"] == "concluded"
    moves = api.get(reverse("clue-moves", args=[number])).json()
    assert [m["to_status"] for m in moves] == [
        "received",
        "assigned",
        "verifying",
        "awaiting_approval",
        "concluded",
    ]


@pytest.mark.django_db
def test_api_never_returns_informant_identity(api, personas):
    api.force_authenticate(personas[Role.CLUE_CUSTODIAN])
    created = api.post(
        reverse("clue-list"),
        {
            "received_on": "2019-06-03",
            "source": "public",
            "category": "rural",
            "subjects": "吴八",
            "summary": "吴八欺压村民",
            "anonymous": False,
            "informant_name": "钱某",
            "informant_phone": "13900007777",
        },
        format="json",
    )
    assert created.status_code == 201
    body = api.get(reverse("clue-detail", args=[created.json()["number"]])).content.decode()
    assert "钱某" not in body and "13900007777" not in body
    assert Clue.objects.get(number=created.json()["number"]).informant_name == "钱某"


@pytest.mark.django_db
def test_leader_reads_but_cannot_register(api, personas):
    api.force_authenticate(personas[Role.LEADER_VIEWER])
    assert api.get(reverse("clue-list")).status_code == 200
    response = api.post(reverse("clue-list"), {"received_on": "2019-06-03"}, format="json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_api_list_filters(api, personas):
    a = clue_in(Status.RECEIVED, personas, subjects="甲")
    clue_in(Status.VERIFYING, personas, subjects="乙")
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    rows = api.get(reverse("clue-list"), {"status": "received"}).json()["results"]
    assert [r["number"] for r in rows] == [a.number]


@pytest.mark.django_db
def test_verifications_and_notices_are_listed_with_the_clue_scope(api, personas, other_personas):
    import datetime

    from saohei.clues import actions, supervision

    clue = clue_in(Status.VERIFYING, personas)
    actions.add_verification(
        clue, personas[Role.HANDLER], done_on=datetime.date.today(), work="调取监控录像"
    )
    supervision.issue_notice(clue, personas[Role.OFFICE_STAFF], level="urge", text="请加快")
    api.force_authenticate(personas[Role.UNIT_LEADER])
    assert (
        api.get(reverse("clue-verifications", args=[clue.number])).json()[0]["work"]
        == "调取监控录像"
    )
    assert api.get(reverse("clue-notices", args=[clue.number])).json()[0]["level"] == "urge"
    api.force_authenticate(other_personas[Role.UNIT_LEADER])
    assert api.get(reverse("clue-notices", args=[clue.number])).status_code == 404
