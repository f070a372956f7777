"""The issue's user story in a real browser: the office registers a clue and routes it to a
police sub-bureau; a handler there verifies it and asks to conclude; the unit leader
approves; the timeline shows every step; a handler of another unit gets 404."""

import io

import pytest
from django.core.management import call_command

from saohei.clues.models import Clue
from saohei.orgs.demo import DEMO_PASSWORD

from .test_login import pass_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--units-only", stdout=io.StringIO())


def as_user(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    pass_second_factor(page, username)
    page.wait_for_url(f"{live_server.url}/")


def take_step(page, name, fill=None):
    page.click(f'[data-testid="step-{name}"]')
    # Bootstrap adds "show" when the opening animation has ended: click only then.
    page.wait_for_selector(f"#step-{name}.collapse.show")
    form = page.locator(f"#step-{name} form")
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    with page.expect_navigation():  # the step redirects back to the clue page
        form.locator("button[type=submit]").click()


def test_register_route_verify_approve(page, live_server, demo):
    as_user(page, live_server, "office_staff")
    page.goto(f"{live_server.url}/clues/new/")
    page.fill("#id_received_on", "2019-06-03")
    page.select_option("#id_source", "public")
    page.select_option("#id_category", "evil_force")
    page.fill("#id_subjects", "孙大强、某某砂场")
    page.fill("#id_summary", "孙大强纠集他人在长青镇强占砂场")
    with page.expect_navigation():
        page.click("form button.btn-primary[type=submit]")
    page.wait_for_selector('[data-testid="timeline"]')
    number = Clue.objects.get().number
    assert number in page.content()

    take_step(page, "assign", {"select[name=unit]": "北湖分局", "textarea[name=reason]": "请核查"})
    assert "已交办" in page.locator('[data-testid="status"]').inner_text()

    as_user(page, live_server, "police_bh")
    page.goto(f"{live_server.url}/clues/{number}/")
    take_step(page, "accept")
    take_step(
        page,
        "request_conclusion",
        {"select[name=finding]": "查实", "textarea[name=result]": "查实强占砂场事实"},
    )
    assert "查结待审批" in page.locator('[data-testid="status"]').inner_text()
    assert page.locator('[data-testid="step-approve"]').count() == 0  # not the handler's

    as_user(page, live_server, "police_bh_chief")
    assert number in page.locator('[data-testid="todo"]').inner_text()
    page.goto(f"{live_server.url}/clues/{number}/")
    take_step(page, "approve")
    assert "查结" in page.locator('[data-testid="status"]').inner_text()
    timeline = page.locator('[data-testid="timeline"] li')
    assert timeline.count() == 5

    as_user(page, live_server, "police_yt")
    response = page.goto(f"{live_server.url}/clues/{number}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/api/clues/{number}/")
    assert response.status == 404
