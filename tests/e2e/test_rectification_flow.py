"""Issue 9's rectification story in a real browser: the office records an inspection with a
problem and sets a task for the police; the deadline passes and the task is on the overdue
list; the police report progress with an evidence file and report it done; the office head
(not the one responsible) checks the evidence and signs it off, and it leaves the overdue
list."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from saohei.orgs.models import Unit
from saohei.rectification.choices import TaskStatus
from saohei.rectification.models import Inspection, Task, TaskEvent

from .test_clue_flow import as_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from saohei.rectification.choices import ensure_default_categories

    call_command("seed_demo", "--units-only", stdout=io.StringIO())
    ensure_default_categories()  # a browser test run before this one emptied the tables


def submit(page, form_selector):
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def let_the_deadline_pass(task, days=30, late_by=3):
    """The task was set `days` ago and fell due `late_by` days ago (time passing, which a
    browser test cannot wait for)."""
    today = timezone.localdate()
    set_on = today - datetime.timedelta(days=days)
    deadline = today - datetime.timedelta(days=late_by)
    Task.objects.filter(pk=task.pk).update(set_on=set_on, deadline=deadline)
    start = timezone.make_aware(datetime.datetime.combine(set_on, datetime.time(9)))
    TaskEvent.objects.filter(task=task).update(at=start, deadline=deadline)


def test_inspection_task_progress_sign_off(page, live_server, demo, tmp_path):
    police = Unit.objects.get(short_name="北湖分局")
    as_user(page, live_server, "office_staff")
    page.goto(f"{live_server.url}/rectification/")
    with page.expect_navigation():
        page.click('[data-testid="new-inspection"]')
    page.select_option("#id_kind", "supervision")
    page.fill("#id_title", "市第三督导组督导反馈意见")
    page.fill("#id_inspecting_body", "油城市扫黑除恶专项斗争第三督导组")
    page.fill("#id_date", timezone.localdate().isoformat())
    submit(page, '[data-testid="inspection-form"]')
    inspection = Inspection.objects.get()

    page.select_option('[data-testid="problem-form"] #id_category', label="依法严惩")
    page.fill('[data-testid="problem-form"] #id_text', "公安机关受理案件数同比下降")
    page.select_option('[data-testid="problem-form"] #id_units', [str(police.pk)])
    submit(page, '[data-testid="problem-form"]')
    assert "公安机关受理案件数同比下降" in page.locator('[data-testid="problem"]').inner_text()
    assert page.locator('[data-testid="category"]').inner_text() == "依法严惩"

    with page.expect_navigation():
        page.click('[data-testid="add-task"]')
    page.fill("#id_measures", "梳理近三年接处警记录，逐条回访核查")
    page.select_option("#id_responsible_unit", str(police.pk))
    page.fill("#id_responsible_person", "刘海")
    page.fill("#id_workdays", "10")
    submit(page, '[data-testid="task-form"]')
    task = Task.objects.get()
    assert page.url.endswith(f"/rectification/{inspection.pk}/")
    assert "刘海" in page.locator('[data-testid="problem"]').inner_text()

    let_the_deadline_pass(task)
    page.goto(f"{live_server.url}/rectification/tasks/?late=overdue")
    assert "梳理近三年接处警记录" in page.locator('[data-testid="task-table"]').inner_text()

    # The police see the overdue task on their home page and report on it with a file.
    as_user(page, live_server, "police_bh")
    with page.expect_navigation():
        page.click(f'a[href="/rectification/tasks/{task.pk}/"]')
    evidence = tmp_path / "接处警回访台账.pdf"
    evidence.write_bytes(b"%PDF-1.4 callbacks")
    form = '[data-testid="progress-form"]'
    page.fill(f"{form} #id_text", "已完成回访核查1200余条，建立台账")
    page.set_input_files(f"{form} #id_file", str(evidence))
    page.check(f"{form} #id_done")
    submit(page, form)
    task.refresh_from_db()
    assert task.status == TaskStatus.REPORTED
    assert "接处警回访台账.pdf" in page.locator('[data-testid="reports"]').inner_text()
    assert page.locator('[data-testid="sign-off-form"]').count() == 0

    # The office head signs it off, having checked the evidence.
    as_user(page, live_server, "office_head")
    page.goto(f"{live_server.url}/rectification/tasks/{task.pk}/")
    form = '[data-testid="sign-off-form"]'
    page.fill(f"{form} #id_note", "经查阅回访台账，整改到位，同意销号")
    page.check(f"{form} #id_evidence_checked")
    submit(page, form)
    assert "经查阅回访台账" in page.locator('[data-testid="sign-off"]').inner_text()
    task.refresh_from_db()
    assert task.status == TaskStatus.SIGNED_OFF

    page.goto(f"{live_server.url}/rectification/tasks/?late=overdue")
    assert "梳理近三年接处警记录" not in page.locator('[data-testid="task-table"]').inner_text()
