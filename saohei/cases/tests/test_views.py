"""Case pages as users meet them."""

import pytest
from django.urls import reverse

from saohei.cases import actions
from saohei.cases.choices import CheckPart, Stage
from saohei.cases.models import Asset, Case, Suspect
from saohei.clues.choices import Status
from saohei.clues.tests.factories import clue_in
from saohei.orgs.choices import Role, UnitKind

from .factories import court_and_procuratorate, gang_case

pytestmark = pytest.mark.django_db


def test_police_open_a_case_from_two_clues_on_the_page(client, personas):
    handler = personas[Role.HANDLER]
    first = clue_in(Status.VERIFYING, personas, subjects="王五")
    second = clue_in(Status.VERIFYING, personas, subjects="赵六")
    client.force_login(handler)
    form = client.get(reverse("case_open") + f"?clues={first.number}").content.decode()
    assert first.number in form and second.number in form
    response = client.post(
        reverse("case_open"),
        {
            "name": "王五等9人寻衅滋事案",
            "kind": "evil_gang",
            "opened_on": "2019-06-10",
            "clues": [first.pk, second.pk],
            "summary": "王五纠集多人寻衅滋事",
        },
    )
    case = Case.objects.get()
    assert response.url == reverse("case_detail", args=[case.number])
    assert set(case.clues.values_list("number", flat=True)) == {first.number, second.number}
    page = client.get(response.url).content.decode()
    assert "王五等9人寻衅滋事案" in page and first.number in page


def test_handler_adds_suspects_and_vehicles(client, personas):
    case = gang_case(personas)
    client.force_login(personas[Role.HANDLER])
    client.post(
        reverse("case_add", args=[case.number, "suspects"]),
        {"name": "张三", "role": "leader", "outcome": "arrested"},
    )
    client.post(
        reverse("case_add", args=[case.number, "assets"]),
        {
            "kind": "vehicle",
            "measure": "confiscated",
            "description": "黑E·12345 等",
            "count": 4,
            "amount": "",
        },
    )
    client.post(
        reverse("case_add", args=[case.number, "assets"]),
        {"kind": "fine", "measure": "fined", "count": 1, "amount": "700000"},
    )
    assert Suspect.objects.get(case=case).role == "leader"
    assert Asset.objects.filter(case=case).count() == 2
    page = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert "700,000元（70万元）" in page


def test_a_bad_suspect_id_number_is_explained(client, personas):
    case = gang_case(personas)
    client.force_login(personas[Role.HANDLER])
    response = client.post(
        reverse("case_add", args=[case.number, "suspects"]),
        {
            "name": "张三",
            "role": "leader",
            "outcome": "arrested",
            "id_number": "230102199001011235",
        },
        follow=True,
    )
    assert not Suspect.objects.exists()
    assert "230102199001011235" in response.content.decode()


def test_closing_names_the_missing_check_on_the_page(client, personas):
    case = gang_case(personas)
    client.force_login(personas[Role.HANDLER])
    response = client.post(
        reverse("case_step", args=[case.number, "close"]),
        {"close-closing_reason": "withdrawn", "close-reason": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    page = response.content.decode()
    assert "一案三查" in page and "查保护伞" in page
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


def test_the_commission_records_the_umbrella_check_on_the_page(client, personas):
    case = gang_case(personas)
    client.force_login(personas[Role.DISCIPLINE])
    page = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert 'data-testid="check-form-umbrella"' in page
    assert 'data-testid="check-form-crime"' not in page
    client.post(
        reverse("case_check", args=[case.number, "umbrella"]),
        {"umbrella-status": "done", "umbrella-result": "经核查未发现公职人员充当保护伞"},
    )
    check = case.checks.get(part=CheckPart.UMBRELLA)
    assert check.status == "done" and "未发现" in check.result


def test_the_police_hand_the_case_to_the_procuratorate(client, personas, units):
    court, procurator = court_and_procuratorate(units)
    case = gang_case(personas)
    client.force_login(personas[Role.HANDLER])
    client.post(
        reverse("case_step", args=[case.number, "prosecute"]),
        {"prosecute-unit": units[UnitKind.PROCURATORATE].pk, "version": case.version},
    )
    case.refresh_from_db()
    assert case.stage == Stage.PROSECUTION and case.handling_unit == procurator.unit
    # The page no longer offers the police a step.
    page = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert 'data-testid="steps"' not in page


def test_the_court_does_not_reach_a_case_before_trial(client, personas, units):
    court, procurator = court_and_procuratorate(units)
    case = gang_case(personas)
    client.force_login(court)
    assert client.get(reverse("case_detail", args=[case.number])).status_code == 404
    assert case.number not in client.get(reverse("case_list")).content.decode()
    assert client.get(reverse("case-detail", args=[case.number])).status_code == 404
    actions.move(case, "prosecute", personas[Role.HANDLER], unit=procurator.unit)
    actions.move(case, "indict", procurator, unit=court.unit)
    assert client.get(reverse("case_detail", args=[case.number])).status_code == 200
    assert case.number in client.get(reverse("case_list")).content.decode()


def test_other_roles_cannot_change_the_case(client, personas, other_personas):
    case = gang_case(personas)
    cases = [
        (personas[Role.OFFICE_STAFF], 403),  # reads it, does not handle cases
        (personas[Role.LEADER_VIEWER], 403),
        (personas[Role.DISCIPLINE], 403),  # sees it (umbrella check) but does not handle it
        (other_personas[Role.HANDLER], 404),  # another district: not even there
        (personas[Role.AUDITOR], 403),
    ]
    for user, expected in cases:
        client.force_login(user)
        for url in (
            reverse("case_step", args=[case.number, "close"]),
            reverse("case_add", args=[case.number, "suspects"]),
            reverse("case_details", args=[case.number]),
        ):
            response = client.post(url, {"name": "x", "role": "leader"})
            assert response.status_code == expected, (user.username, url)
    assert not Suspect.objects.exists()


def test_incomplete_checks_list(client, personas):
    case = gang_case(personas)
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("case_checks")).content.decode()
    assert case.number in page


def test_office_staff_reach_the_case_and_its_export(client, personas):
    case = gang_case(personas)
    client.force_login(personas[Role.OFFICE_STAFF])
    assert client.get(reverse("case_detail", args=[case.number])).status_code == 200
    response = client.get(reverse("case_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_the_court_records_sentences(client, personas, units):
    court, procurator = court_and_procuratorate(units)
    case = gang_case(personas)
    suspect = Suspect.objects.create(case=case, name="张三", role="leader", outcome="arrested")
    url = reverse("case_outcome", args=[case.number, "suspects", suspect.pk])
    client.force_login(court)
    assert client.post(url, {"outcome": "sentenced"}).status_code == 404  # not yet at court
    actions.move(case, "prosecute", personas[Role.HANDLER], unit=procurator.unit)
    actions.move(case, "indict", procurator, unit=court.unit)
    client.post(url, {"outcome": "sentenced", "sentence": "有期徒刑八年"})
    suspect.refresh_from_db()
    assert (suspect.outcome, suspect.sentence) == ("sentenced", "有期徒刑八年")
    client.force_login(personas[Role.HANDLER])  # the police no longer handle the case
    assert client.post(url, {"outcome": "released"}).status_code == 403
    suspect.refresh_from_db()
    assert suspect.outcome == "sentenced"
