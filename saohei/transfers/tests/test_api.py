import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from saohei.clues.choices import Category, Status
from saohei.clues.tests.factories import clue_in
from saohei.orgs.choices import Role, UnitKind

pytestmark = pytest.mark.django_db


def test_send_sign_and_answer_over_the_api(personas, units, other_personas):
    from conftest import make_user

    api = APIClient()
    regulator = make_user("reg", Role.HANDLER, unit=units[UnitKind.REGULATOR])
    clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    sent = api.post(
        reverse("transfer-list"),
        {"clue": clue.number, "to_unit": regulator.unit_id, "kind": "jurisdiction",
         "reason": "请整治"},
        format="json",
    )  # fmt: skip
    assert sent.status_code == 201, sent.content
    number = sent.json()["number"]
    wrong = api.post(
        reverse("transfer-list"),
        {"clue": clue.number, "to_unit": regulator.unit_id, "kind": "umbrella", "reason": "x"},
        format="json",
    )
    assert wrong.status_code == 400
    step = reverse("transfer-step", args=[number])
    assert api.post(step, {"step": "acknowledge"}, format="json").status_code == 403
    api.force_authenticate(regulator)
    version = api.get(reverse("transfer-detail", args=[number])).json()["version"]
    assert (
        api.post(step, {"step": "acknowledge", "version": version}, format="json").status_code
        == 200
    )
    stale = api.post(step, {"step": "answer", "text": "已整治", "version": version}, format="json")
    assert stale.status_code == 409
    done = api.post(step, {"step": "answer", "text": "已整治"}, format="json")
    assert done.json()["status"] == "answered"
    api.force_authenticate(other_personas[Role.OFFICE_ADMIN])
    assert api.get(reverse("transfer-detail", args=[number])).status_code == 404


def test_umbrella_reason_is_hidden_from_office_staff_in_the_api(personas, units):
    from saohei.transfers import actions

    clue = clue_in(Status.VERIFYING, personas, category=Category.GANG)
    transfer = actions.send(
        personas[Role.HANDLER], clue=clue, to_unit=units[UnitKind.DISCIPLINE], kind="umbrella",
        reason="法官甲为团伙说情",
    )  # fmt: skip
    api = APIClient()
    url = reverse("transfer-detail", args=[transfer.number])
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    assert api.get(url).json()["reason"] == ""
    api.force_authenticate(personas[Role.OFFICE_ADMIN])
    assert api.get(url).json()["reason"] == "法官甲为团伙说情"
