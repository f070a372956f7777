"""Pages and API per role: the ranking for the office and the district leader only; a member
unit reaches its own checklist, answers it with a file, and sees only its own records; the
API lists are scoped the same way; the weights page changes the ranking."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saohei.orgs.choices import Role, UnitKind
from saohei.oversight import actions
from saohei.oversight.models import AssessmentAnswer, AssessmentItem

from .factories import activity, hand_over, period, unit_user

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def p(personas):
    return period(personas[Role.OFFICE_ADMIN])


RANKING_READERS = {
    Role.OFFICE_ADMIN,
    Role.OFFICE_STAFF,
    Role.CLUE_CUSTODIAN,
    Role.LEADER_VIEWER,
}


@pytest.mark.parametrize("role", sorted(Role))
def test_ranking_per_role(client, personas, units, p, role):
    client.force_login(personas[role])
    expected = 200 if role in RANKING_READERS else 403
    assert client.get(reverse("assessment_ranking", args=[p.pk])).status_code == expected
    api = client.get(reverse("assessmentperiod-scores", args=[p.pk]))
    assert api.status_code == expected
    assert client.get(reverse("assessment_export", args=[p.pk])).status_code == expected


def test_ranking_lists_the_units_without_clues(client, personas, units, p):
    hand_over(personas[Role.HANDLER], D(2019, 3, 1))
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("assessment_ranking", args=[p.pk])).content.decode()
    assert page.count('data-testid="no-clue-unit"') == 6
    assert 'data-rank="1"' in page
    scores = client.get(reverse("assessmentperiod-scores", args=[p.pk])).json()
    assert scores["units"][0]["unit"] == str(units[UnitKind.POLICE])
    assert scores["no_clue_share"] == pytest.approx(6 / 7)


def test_another_district_cannot_reach_the_period(client, other_personas, p):
    client.force_login(other_personas[Role.OFFICE_STAFF])
    assert client.get(reverse("assessment_ranking", args=[p.pk])).status_code == 404


def test_a_member_unit_answers_its_own_checklist(client, personas, units, p):
    handler, police = personas[Role.HANDLER], units[UnitKind.POLICE]
    client.force_login(handler)
    own = reverse("assessment_unit", args=[p.pk, police.pk])
    assert client.get(own).status_code == 200
    court = units[UnitKind.COURT]
    assert client.get(reverse("assessment_unit", args=[p.pk, court.pk])).status_code == 404
    item = AssessmentItem.objects.get(code="fund_ledger")
    response = client.post(
        reverse("assessment_answer", args=[p.pk, police.pk]),
        {"item": item.pk, "done": "on", "upload": SimpleUploadedFile("经费台账.pdf", b"%PDF")},
    )
    assert response.status_code == 302
    answer = AssessmentAnswer.objects.get(item=item)
    assert answer.done and answer.file_name == "经费台账.pdf"
    page = client.get(own).content.decode()
    assert reverse("assessment_file", args=[answer.pk]) in page
    download = client.get(reverse("assessment_file", args=[answer.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF"
    # Done without evidence: refused with the reason, nothing saved.
    study = AssessmentItem.objects.get(code="study")
    response = client.post(
        reverse("assessment_answer", args=[p.pk, police.pk]), {"item": study.pk, "done": "on"},
        follow=True,
    )  # fmt: skip
    assert not AssessmentAnswer.objects.filter(item=study).exists()
    assert "evidence" in response.content.decode() or "佐证" in response.content.decode()
    # Another unit's file is not served to it.
    other = unit_user(court)
    other_answer = actions.answer_item(
        other, p, court, study, done=True, upload=SimpleUploadedFile("学习.pdf", b"x")
    )
    assert client.get(reverse("assessment_file", args=[other_answer.pk])).status_code == 404


def test_weights_page_changes_the_scores(client, personas, units, p):
    hand_over(personas[Role.HANDLER], D(2019, 3, 1))
    clues = AssessmentItem.objects.get(code="clues")
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.post(reverse("assessment_items"), {f"weight-{clues.pk}": "40"})
    assert response.status_code == 403
    client.force_login(personas[Role.OFFICE_ADMIN])
    form = {f"weight-{i.pk}": str(i.weight) for i in AssessmentItem.objects.all()}
    form[f"weight-{clues.pk}"] = "40"
    assert client.post(reverse("assessment_items"), form).status_code == 302
    assert AssessmentItem.objects.get(code="clues").weight == Decimal(40)
    scores = client.get(reverse("assessmentperiod-scores", args=[p.pk])).json()
    police = next(u for u in scores["units"] if u["unit"] == str(units[UnitKind.POLICE]))
    assert police["items"]["clues"] == "40.0"
    form[f"weight-{clues.pk}"] = "四十"
    response = client.post(reverse("assessment_items"), form, follow=True)
    assert AssessmentItem.objects.get(code="clues").weight == Decimal(40)
    errors = [str(m) for m in response.context["messages"]]
    assert "移交线索" in errors[-1]  # the error names the item to correct


def test_api_lists_are_scoped(client, personas, other_personas, units, other_units):
    staff = personas[Role.OFFICE_STAFF]
    activity(staff, units[UnitKind.TOWNSHIP], D(2019, 3, 1))
    activity(staff, units[UnitKind.POLICE], D(2019, 3, 2))
    activity(other_personas[Role.OFFICE_STAFF], other_units[UnitKind.POLICE], D(2019, 3, 3))
    actions.record_spending(
        staff, unit=units[UnitKind.TOWNSHIP], spent_on=D(2019, 3, 1), amount=Decimal(10),
        purpose="publicity",
    )  # fmt: skip

    def listed(user, name):
        client.force_login(user)
        return client.get(reverse(name)).json()["count"]

    assert listed(staff, "publicityactivity-list") == 2
    assert listed(personas[Role.HANDLER], "publicityactivity-list") == 1  # its own unit
    assert listed(other_personas[Role.OFFICE_STAFF], "publicityactivity-list") == 1
    assert listed(personas[Role.HANDLER], "fundspending-list") == 0
    assert listed(staff, "fundspending-list") == 1
    assert listed(personas[Role.LEADER_VIEWER], "fundspending-list") == 1


def test_publicity_of_another_unit_is_not_shown(client, personas, units):
    town_activity = activity(personas[Role.OFFICE_STAFF], units[UnitKind.TOWNSHIP], D(2019, 3, 1))
    client.force_login(personas[Role.HANDLER])
    detail = reverse("publicity_detail", args=[town_activity.pk])
    assert client.get(detail).status_code == 404
    client.force_login(personas[Role.LEADER_VIEWER])
    assert client.get(detail).status_code == 200


def test_ranking_queries_do_not_grow_with_units(client, personas, units, p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saohei.orgs.models import Unit

    client.force_login(personas[Role.OFFICE_STAFF])
    url = reverse("assessment_ranking", args=[p.pk])
    jurisdiction = units[UnitKind.POLICE].jurisdiction

    def add_towns(numbers):
        for n in numbers:
            town = Unit.objects.create(
                name=f"第{n}镇", kind=UnitKind.TOWNSHIP, jurisdiction=jurisdiction
            )
            activity(personas[Role.OFFICE_STAFF], town, D(2019, 3, 1))
            hand_over(unit_user(town), D(2019, 3, 1))

    add_towns([0])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_towns(range(1, 7))
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).content.decode().count('data-testid="no-clue-unit"') == 7
    assert len(more) == len(few)


def test_member_unit_to_do(client, personas, units):
    from django.utils import timezone

    from saohei.oversight.models import TrainingTopic

    today = timezone.localdate()
    admin, handler = personas[Role.OFFICE_ADMIN], personas[Role.HANDLER]
    current = period(admin, start=today.replace(month=1, day=1), end=today, name="本年度考核")
    topic = TrainingTopic.objects.create(name="新司法解释（测试）", since=D(2019, 4, 9))
    client.force_login(handler)
    home = client.get(reverse("home")).content.decode()
    checklist = reverse("assessment_unit", args=[current.pk, handler.unit_id])
    assert checklist in home and "新司法解释（测试）" in home
    # Answered and trained: off the list.
    plan = AssessmentItem.objects.get(code="plan")
    actions.answer_item(handler, current, handler.unit, plan, done=True, note="工作计划")
    actions.record_training(
        handler, unit=handler.unit, held_on=D(2019, 5, 1), topic=topic, title="学习", attendees=9
    )
    home = client.get(reverse("home")).content.decode()
    assert "新司法解释（测试）" not in home
    assert "纳入年度工作计划" not in home and "学习新规定" in home
    assert "召开会议并有记录" not in home  # read from the register, not asked
    # The office's home page is not filled with every unit's items.
    client.force_login(personas[Role.OFFICE_STAFF])
    assert checklist not in client.get(reverse("home")).content.decode()


def test_ranking_export(client, personas, units, p):
    import io

    from openpyxl import load_workbook

    hand_over(personas[Role.HANDLER], D(2019, 3, 1))
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.get(reverse("assessment_export", args=[p.pk]))
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:2] == ("名次", "单位") and rows[1][-2:] == ("总分", "移交线索数")
    assert rows[2][:2] == (1, units[UnitKind.POLICE].name) and rows[2][-1] == 1
    assert len(rows) == 2 + 7
