"""The pages as each role meets them: who sees which inspection and task, the office sets
tasks, the unit reports progress with a file, another office user signs off, the overdue
list and the to-do list follow."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saohei.core.todo import todo_for
from saohei.orgs.choices import Role, UnitKind
from saohei.rectification.choices import TaskStatus
from saohei.rectification.models import Inspection, Problem, ProblemCategory, Task

from .factories import inspection, problem, report_done, task, upload

D = datetime.date


@pytest.fixture
def data(personas, units, other_personas):
    office = personas[Role.OFFICE_STAFF]
    today = timezone.localdate()
    insp = inspection(office, day=today - datetime.timedelta(days=60))
    police_problem = problem(
        office,
        insp,
        category="依法严惩",
        text="公安机关接警量同比持平",
        units=[units[UnitKind.POLICE]],
    )
    town_problem = problem(
        office,
        insp,
        category="组织领导",
        text="镇街未将专项斗争纳入工作计划",
        units=[units[UnitKind.TOWNSHIP]],
    )
    set_on = today - datetime.timedelta(days=50)
    late = task(
        office,
        police_problem,
        units[UnitKind.POLICE],
        today - datetime.timedelta(days=3),
        set_on=set_on,
    )
    town = task(
        office,
        town_problem,
        units[UnitKind.TOWNSHIP],
        today + datetime.timedelta(days=30),
        set_on=set_on,
    )
    return {"inspection": insp, "late": late, "town": town}


def test_office_sees_everything_agency_only_its_own(client, personas, data):
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("inspection_detail", args=[data["inspection"].pk])).content.decode()
    assert "公安机关接警量同比持平" in page and "镇街未将专项斗争纳入工作计划" in page
    assert page.index("依法严惩") < page.index("组织领导") or page.index("组织领导") > 0

    client.force_login(personas[Role.HANDLER])  # police
    page = client.get(reverse("inspection_detail", args=[data["inspection"].pk])).content.decode()
    assert "公安机关接警量同比持平" in page
    assert "镇街未将专项斗争纳入工作计划" not in page
    assert client.get(reverse("task_detail", args=[data["town"].pk])).status_code == 404
    assert client.get(reverse("task_detail", args=[data["late"].pk])).status_code == 200
    listed = client.get(reverse("task_list")).content.decode()
    assert reverse("task_detail", args=[data["late"].pk]) in listed
    assert reverse("task_detail", args=[data["town"].pk]) not in listed


def test_other_district_sees_nothing(client, other_personas, data):
    client.force_login(other_personas[Role.OFFICE_ADMIN])
    assert client.get(reverse("inspection_detail", args=[data["inspection"].pk])).status_code == 404
    assert "公安机关接警量同比持平" not in client.get(reverse("task_list")).content.decode()
    assert "No task matches." in client.get(reverse("task_list")).content.decode()


def test_office_records_inspection_problem_and_task(client, personas, units):
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.post(
        reverse("inspection_create"),
        {
            "kind": "supervision",
            "title": "市第三督导组反馈",
            "inspecting_body": "市第三督导组",
            "date": "2019-05-10",
        },
    )
    insp = Inspection.objects.get()
    assert response.url == reverse("inspection_detail", args=[insp.pk])
    category = ProblemCategory.objects.get(name="综合治理")
    client.post(
        reverse("problem_add", args=[insp.pk]),
        {
            "category": category.pk,
            "text": "市场乱象只在督导前集中整治",
            "units": [units[UnitKind.REGULATOR].pk],
        },
    )
    prob = Problem.objects.get()
    assert list(prob.units_concerned.all()) == [units[UnitKind.REGULATOR]]
    response = client.post(
        reverse("task_create", args=[prob.pk]),
        {
            "measures": "建立常态化市场巡查机制",
            "responsible_unit": units[UnitKind.REGULATOR].pk,
            "responsible_person": "赵志刚",
            "workdays": "10",
        },
    )
    assert response.status_code == 302
    t = Task.objects.get()
    from saohei.core.workdays import add_workdays

    assert t.deadline == add_workdays(timezone.localdate(), 10)
    assert t.events.get().kind == "created"


def test_task_without_deadline_is_refused_with_a_message(client, personas, units, data):
    client.force_login(personas[Role.OFFICE_STAFF])
    prob = data["late"].problem
    response = client.post(
        reverse("task_create", args=[prob.pk]),
        {
            "measures": "加强宣传",
            "responsible_unit": units[UnitKind.POLICE].pk,
            "responsible_person": "孙伟",
        },
    )
    assert response.status_code == 200
    assert "Set a deadline" in response.content.decode()


def test_agency_cannot_add_problems_or_tasks(client, personas, data):
    client.force_login(personas[Role.UNIT_LEADER])
    assert client.get(reverse("task_create", args=[data["late"].problem_id])).status_code == 403
    response = client.post(reverse("problem_add", args=[data["inspection"].pk]), {"text": "x"})
    assert response.status_code == 403


def test_unit_reports_with_a_file_and_another_user_signs_off(client, personas, data, units):
    late = data["late"]
    client.force_login(personas[Role.HANDLER])
    response = client.post(
        reverse("task_progress", args=[late.pk]),
        {
            "text": "已建立接处警日通报制度",
            "file": upload("通报制度.pdf"),
            "done": "on",
            "version": late.version,
        },
    )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == TaskStatus.REPORTED
    evidence = late.evidence.get()
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 200

    # The office sees it waiting for the sign-off on its to-do list.
    office = personas[Role.OFFICE_ADMIN]
    titles = [s.title for s in todo_for(office)]
    assert "Rectification tasks to sign off" in titles

    client.force_login(office)
    page = client.get(reverse("task_detail", args=[late.pk])).content.decode()
    assert 'data-testid="sign-off-form"' in page
    client.post(
        reverse("task_step", args=[late.pk, "sign_off"]),
        {"note": "经核查制度文件，整改到位", "evidence_checked": "on", "version": late.version},
    )
    late.refresh_from_db()
    assert late.status == TaskStatus.SIGNED_OFF
    overdue = client.get(reverse("task_list") + "?late=overdue").content.decode()
    assert reverse("task_detail", args=[late.pk]) not in overdue


def test_sign_off_without_checking_evidence_shows_the_reason(client, personas, data):
    late = data["late"]
    report_done(late, personas[Role.HANDLER], timezone.localdate())
    client.force_login(personas[Role.OFFICE_ADMIN])
    response = client.post(
        reverse("task_step", args=[late.pk, "sign_off"]), {"note": "到位"}, follow=True
    )
    assert "Check the evidence" in response.content.decode()
    late.refresh_from_db()
    assert late.status == TaskStatus.REPORTED


def test_evidence_is_scoped(client, personas, data):
    town = data["town"]
    from conftest import make_user
    from saohei.rectification import actions

    town_user = make_user("town", Role.HANDLER, unit=town.responsible_unit)
    actions.report_progress(town, town_user, text="已制定计划", files=[upload()])
    evidence = town.evidence.get()
    client.force_login(personas[Role.HANDLER])
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 404
    client.force_login(town_user)
    assert client.get(reverse("evidence_file", args=[evidence.pk])).status_code == 200


def test_overdue_and_due_soon_lists_and_todo(client, personas, data):
    client.force_login(personas[Role.OFFICE_STAFF])
    overdue = client.get(reverse("task_list") + "?late=overdue").content.decode()
    assert reverse("task_detail", args=[data["late"].pk]) in overdue
    assert reverse("task_detail", args=[data["town"].pk]) not in overdue
    police_handler = personas[Role.HANDLER]
    sections = {s.title: s for s in todo_for(police_handler)}
    assert sections["Rectification tasks overdue"].count == 1


def test_completion_page_as_of_a_day(client, personas, data):
    client.force_login(personas[Role.LEADER_VIEWER])
    page = client.get(reverse("rectification_completion")).content.decode()
    assert data["late"].responsible_unit.name in page
    before = (timezone.localdate() - datetime.timedelta(days=55)).isoformat()
    page = client.get(reverse("rectification_completion") + f"?as_of={before}").content.decode()
    assert "No task yet." in page


def test_reopen_from_the_page(client, personas, data):
    late = data["late"]
    report_done(late, personas[Role.HANDLER], timezone.localdate())
    from saohei.rectification import actions

    actions.sign_off(late, personas[Role.OFFICE_ADMIN], note="到位", evidence_checked=True)
    client.force_login(personas[Role.OFFICE_STAFF])
    new_deadline = timezone.localdate() + datetime.timedelta(days=20)
    client.post(
        reverse("task_step", args=[late.pk, "reopen"]),
        {"reopen-reason": "回头看发现问题反弹", "reopen-deadline": new_deadline.isoformat()},
    )
    late.refresh_from_db()
    assert late.status == TaskStatus.REOPENED and late.deadline == new_deadline


def test_categories_are_edited_by_the_office_head(client, personas):
    client.force_login(personas[Role.OFFICE_ADMIN])
    client.post(
        reverse("rectification_categories"),
        {"name": "宣传发动", "sort_order": 60, "is_active": "on"},
    )
    assert ProblemCategory.objects.filter(name="宣传发动").exists()
    client.force_login(personas[Role.OFFICE_STAFF])
    assert client.get(reverse("rectification_categories")).status_code == 403


def test_task_list_queries_do_not_grow_with_rows(client, personas, data, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = personas[Role.OFFICE_STAFF]
    client.force_login(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("task_list")).status_code == 200
        return len(ctx)

    count()  # the first request of a session asks more (session, permissions)
    few = count()
    for _ in range(10):
        task(
            office,
            data["late"].problem,
            units[UnitKind.POLICE],
            D(2030, 1, 1),
            set_on=timezone.localdate(),
        )
    assert count() == few


def test_dashboard_panel_lists_overdue_tasks_as_of_its_day(client, personas, data):
    client.force_login(personas[Role.LEADER_VIEWER])
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="rectification-overdue"' in page
    assert reverse("task_detail", args=[data["late"].pk]) in page
    before = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    page = client.get(reverse("dashboard") + f"?as_of={before}").content.decode()
    assert reverse("task_detail", args=[data["late"].pk]) not in page
    client.force_login(personas[Role.HANDLER])  # police: its own overdue task
    assert (
        reverse("task_detail", args=[data["late"].pk])
        in client.get(reverse("dashboard")).content.decode()
    )


def test_a_task_set_weeks_ago_is_overdue_at_once(client, personas, units, data):
    """The office enters the rectification plan after the fact: set on the plan's day, with
    its deadline already past, the task is on the overdue list at once."""
    client.force_login(personas[Role.OFFICE_STAFF])
    prob = data["late"].problem
    today = timezone.localdate()
    form = {
        "measures": "建立线索双向移送机制",
        "responsible_unit": units[UnitKind.DISCIPLINE].pk,
        "responsible_person": "钱立",
        "set_on": (today - datetime.timedelta(days=40)).isoformat(),
        "deadline": (today - datetime.timedelta(days=5)).isoformat(),
    }
    assert client.post(reverse("task_create", args=[prob.pk]), form).status_code == 302
    t = Task.objects.get(measures="建立线索双向移送机制")
    overdue = client.get(reverse("task_list") + "?late=overdue").content.decode()
    assert reverse("task_detail", args=[t.pk]) in overdue

    for set_on, message in (
        (today + datetime.timedelta(days=1), "day still to come"),
        (today - datetime.timedelta(days=61), "before the inspection"),
    ):
        response = client.post(
            reverse("task_create", args=[prob.pk]),
            {**form, "measures": "另一项措施", "set_on": set_on.isoformat()},
            follow=True,
        )
        assert message in response.content.decode()
    assert not Task.objects.filter(measures="另一项措施").exists()


def test_the_responsible_person_is_told_in_chinese(client, personas, units, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    office = personas[Role.OFFICE_STAFF]
    office_unit = units[UnitKind.OFFICE]
    t = task(
        office, problem(office, inspection(office)), office_unit, D(2019, 6, 28), person="王立新"
    )
    t.responsible_user = personas[Role.OFFICE_ADMIN]
    t.save()
    report_done(t, office, D(2019, 6, 20))
    client.force_login(personas[Role.OFFICE_ADMIN])
    response = client.post(
        reverse("task_step", args=[t.pk, "sign_off"]),
        {"note": "到位", "evidence_checked": "on"},
        follow=True,
    )
    assert "您是该整改任务的责任人，须由其他人审核销号。" in response.content.decode()


def test_unit_sees_its_tasks_falling_due_on_its_todo_list(personas, units):
    office = personas[Role.OFFICE_STAFF]
    today = timezone.localdate()
    from saohei.core.workdays import add_workdays

    prob = problem(office, inspection(office, day=today - datetime.timedelta(days=30)))
    soon = task(office, prob, units[UnitKind.POLICE], add_workdays(today, 3), set_on=today)
    task(office, prob, units[UnitKind.POLICE], add_workdays(today, 20), set_on=today)
    sections = {s.title: s for s in todo_for(personas[Role.UNIT_LEADER])}
    due = sections["Rectification tasks due soon"]
    assert [item.url for item in due.items] == [reverse("task_detail", args=[soon.pk])]
    assert "Rectification tasks due soon" not in {
        s.title for s in todo_for(personas[Role.DISCIPLINE])
    }


def test_completion_page_takes_no_day_to_come_and_no_impossible_date(client, personas, data):
    client.force_login(personas[Role.OFFICE_STAFF])
    for value in ("2999-01-01", "2019-02-30", "明天"):
        response = client.get(reverse("rectification_completion") + f"?as_of={value}")
        assert response.status_code == 200
        assert timezone.localdate().strftime("%Y-%m-%d") in response.content.decode()


def test_task_edit_page(client, personas, data, units):
    late = data["late"]
    client.force_login(personas[Role.HANDLER])
    assert client.get(reverse("task_edit", args=[late.pk])).status_code == 403
    client.force_login(personas[Role.OFFICE_STAFF])
    assert client.get(reverse("task_edit", args=[late.pk])).status_code == 200
    response = client.post(
        reverse("task_edit", args=[late.pk]),
        {
            "measures": "逐条回访核查近三年警情",
            "responsible_unit": units[UnitKind.POLICE].pk,
            "responsible_person": "刘海",
            "version": late.version,
        },
    )
    assert response.url == reverse("task_detail", args=[late.pk])
    late.refresh_from_db()
    assert late.measures == "逐条回访核查近三年警情" and late.responsible_person == "刘海"
