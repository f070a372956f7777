"""A demo user of each role logs in through the real login form and sees their home page."""

import io
import os
import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from saohei.orgs.demo import ACCOUNTS, DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# What each role's home page must show (a section only that role has).
HOME_SECTION = {
    "office_head": "todo",
    "office_staff": "todo",
    "custodian": "todo",
    "leader": "units",
    "police_bh": "todo",
    "police_bh_chief": "todo",
    "discipline": "todo",
    "sysadmin": "accounts",
    "secadmin": "security",
    "auditor": "audit",
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--units-only", stdout=io.StringIO())


def log_in(page, live_server, username, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    pass_second_factor(page, username)


def next_code(device) -> str:
    """The code the user's authenticator app shows, as the user would type it: the current
    one, or the next one if the current was already used (the server refuses a code twice)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    now = time.time()
    step_now = int(now - device.t0) // device.step
    step = max(step_now, device.last_t + 1)
    if step > step_now + device.tolerance:  # used up this one and the next: wait a step
        time.sleep((step - device.tolerance) * device.step + device.t0 - now + 0.5)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = step * device.step + device.t0 + 1
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(page, username):
    """After the password: the second step, for an account with an authenticator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    page.fill("#id_code", next_code(device))
    page.click('[data-testid="otp-verify"] button[type=submit]')


def test_every_role_logs_in_and_sees_its_home(page, live_server, demo):
    failures = []
    for username, section in HOME_SECTION.items():
        log_in(page, live_server, username)
        page.wait_for_selector(f'[data-testid="{section}"]')
        if page.url != f"{live_server.url}/":
            failures.append((username, page.url))
        page.click('form[action="/accounts/logout/"] button')
        page.wait_for_selector("#id_username")
    assert failures == []
    assert {a[0] for a in ACCOUNTS} >= set(HOME_SECTION)


def test_login_page_is_chinese_and_loads_nothing_from_elsewhere(page, live_server, demo):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/accounts/login/")
    assert "登录" in page.content()
    assert requests and all(r.startswith(live_server.url) for r in requests)
    # Bootstrap came from our own static files and styled the button.
    colour = page.eval_on_selector("button[type=submit]", "b => getComputedStyle(b).color")
    assert colour == "rgb(255, 255, 255)"


def test_wrong_password_says_so_in_chinese(page, live_server, demo):
    log_in(page, live_server, "office_staff", "wrong-password")
    assert "请输入一个正确的" in page.locator(".alert-danger").inner_text()


def test_home_page_screenshot_for_the_readme(page, live_server, db):
    call_command("seed_demo", stdout=io.StringIO())  # with the clue history: a real to-do list
    log_in(page, live_server, "office_staff")
    page.wait_for_selector('[data-testid="todo"] a')
    target = (
        ROOT / "docs" / "screenshots" / "home.png"
        if os.environ.get("UPDATE_SCREENSHOTS")
        else ROOT / "var" / "screenshots" / "home.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
