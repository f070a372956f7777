"""Issue 4's user story in a real browser: a police handler opens a case from two clues,
adds a suspect and seized vehicles, tries to close it and is told which of the three checks
is missing; the discipline commission records the umbrella check from its own case; the case
closes. Then a transfer from the office to a regulator shows as unacknowledged until the
regulator signs for it."""

import datetime
import io

import pytest
from django.core.management import call_command

from saohei.cases.models import Case
from saohei.clues import actions as clue_actions
from saohei.orgs.models import Unit, User

from .test_clue_flow import as_user, take_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--units-only", stdout=io.StringIO())
    office = User.objects.get(username="office_staff")
    police = User.objects.get(username="police_bh")
    unit = Unit.objects.get(short_name="北湖分局")
    clues = []
    for subjects, summary in (
        ("刘二虎", "刘二虎纠集多人在北湖街道农贸市场寻衅滋事"),
        ("刘二虎、王小军", "刘二虎、王小军殴打摊贩并强收“管理费”"),
    ):
        clue = clue_actions.register(
            office,
            received_on=datetime.date(2019, 5, 6),
            source="public",
            category="evil_force",
            subjects=subjects,
            summary=summary,
        )
        clue_actions.assign(clue, office, unit)
        clue_actions.accept(clue, police)
        clues.append(clue)
    return clues


def submit(page, form_selector):
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def test_open_a_case_check_it_three_ways_and_close_it(page, live_server, demo):
    first, second = demo
    as_user(page, live_server, "police_bh")
    page.goto(f"{live_server.url}/clues/{first.number}/")
    with page.expect_navigation():
        page.click('[data-testid="open-case"]')
    page.fill("#id_name", "刘二虎等9人寻衅滋事案")
    page.select_option("#id_kind", "evil_gang")
    page.fill("#id_opened_on", "2019-05-20")
    page.select_option("#id_clues", [str(first.pk), str(second.pk)])
    submit(page, '[data-testid="case-form"]')
    page.wait_for_selector('[data-testid="checks"]')
    case = Case.objects.get()
    assert case.clues.count() == 2

    page.click('[data-testid="suspects"] + details summary')
    page.fill('[data-testid="suspect-form"] [name=name]', "刘二虎")
    page.select_option('[data-testid="suspect-form"] [name=role]', "leader")
    submit(page, '[data-testid="suspect-form"]')
    page.click('[data-testid="assets"] + details summary')
    page.select_option('[data-testid="asset-form"] [name=kind]', "vehicle")
    page.select_option('[data-testid="asset-form"] [name=measure]', "seized")
    page.fill('[data-testid="asset-form"] [name=description]', "黑E·52817 等")
    page.fill('[data-testid="asset-form"] [name=count]', "4")
    submit(page, '[data-testid="asset-form"]')
    assert "刘二虎" in page.locator('[data-testid="suspects"]').inner_text()
    assert "黑E·52817" in page.locator('[data-testid="assets"]').inner_text()

    # Closing is refused, and the message says which checks are missing.
    take_step(page, "close", {"select[name=close-closing_reason]": "撤销案件"})
    alert = page.locator(".alert-danger").inner_text()
    assert "一案三查" in alert and "查保护伞" in alert
    page.select_option('[data-testid="check-form-crime"] [name=crime-status]', "done")
    page.fill('[data-testid="check-form-crime"] [name=crime-result]', "9名成员均已到案")
    submit(page, '[data-testid="check-form-crime"]')

    # The commission opens its own umbrella case and records both of its checks.
    as_user(page, live_server, "discipline")
    assert case.number in page.locator('[data-testid="todo"]').inner_text()
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_name", "某法官为刘二虎团伙说情案")
    page.select_option("#id_kind", "umbrella")
    page.fill("#id_opened_on", "2019-06-10")
    submit(page, '[data-testid="case-form"]')
    umbrella = Case.objects.get(kind="umbrella")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    form = '[data-testid="check-form-umbrella"]'
    page.select_option(f"{form} [name=umbrella-status]", "done")
    page.fill(f"{form} [name=umbrella-result]", "查实区法院某法官收受好处为团伙说情")
    page.select_option(f"{form} [name=umbrella-discipline_case]", str(umbrella.pk))
    submit(page, form)
    form = '[data-testid="check-form-failure"]'
    page.select_option(f"{form} [name=failure-status]", "done")
    page.fill(f"{form} [name=failure-result]", "市场监管所长期失管，已问责")
    submit(page, form)
    assert "完成" in page.locator('[data-testid="checks"] .card-header').inner_text()

    as_user(page, live_server, "police_bh")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    take_step(page, "close", {"select[name=close-closing_reason]": "撤销案件"})
    assert "办结" in page.locator('[data-testid="stage"]').inner_text()


def test_a_transfer_waits_until_the_regulator_signs_for_it(page, live_server, demo):
    clue = demo[0]
    as_user(page, live_server, "office_staff")
    page.goto(f"{live_server.url}/clues/{clue.number}/")
    with page.expect_navigation():
        page.click('[data-testid="transfer"]')
    page.select_option("#id_to_unit", label="区自然资源局")
    page.select_option("#id_kind", "jurisdiction")
    page.fill("#id_reason", "涉及非法采砂，请依职责查处并反馈")
    submit(page, '[data-testid="transfer-form"]')
    assert "待签收" in page.locator('[data-testid="status"]').inner_text()
    number = page.url.rstrip("/").rsplit("/", 1)[-1]

    as_user(page, live_server, "reg_land")
    assert number in page.locator('[data-testid="todo"]').inner_text()
    page.goto(f"{live_server.url}/transfers/{number}/")
    with page.expect_navigation():
        page.click('[data-testid="acknowledge"]')
    assert "已签收" in page.locator('[data-testid="status"]').inner_text()
