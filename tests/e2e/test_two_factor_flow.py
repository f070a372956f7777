"""Two-factor login in a real browser (issue 10 item 6): the office head, without an
authenticator yet, logs in, is held at enrolment, scans (here: reads) the key, confirms a code,
saves the recovery codes, logs out, and logs in again with a code from the app, then once
more with a recovery code."""

import io
import re
from base64 import b32decode
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from saohei.orgs.demo import DEMO_PASSWORD

from .test_login import next_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def password_step(page, live_server, username):
    page.goto(f"{live_server.url}/clues/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def log_out(page):
    page.click('form[action="/accounts/logout/"] button')
    page.wait_for_selector("#id_username")


def test_enrol_save_codes_log_out_log_in_with_code(page, live_server, db):
    call_command("seed_demo", "--units-only", stdout=io.StringIO())
    TOTPDevice.objects.filter(user__username="office_head").delete()  # a new head of office

    password_step(page, live_server, "office_head")
    page.wait_for_url(re.compile(r"/accounts/two-factor/enrol/\?next=%2Fclues%2F$"))
    assert "等保三级" in page.content()
    assert page.locator('[data-testid="otp-qr"] svg').count() == 1
    # Nothing else opens meanwhile, and the menu is not offered.
    assert page.locator("#mainnav").count() == 0
    secret = page.locator('[data-testid="otp-secret"]').inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user__username="office_head", confirmed=False)
    assert b32decode(secret + "=" * (-len(secret) % 8)).hex() == device.key

    page.fill("#id_code", "000000")
    page.click('[data-testid="otp-enrol"] button[type=submit]')
    page.wait_for_selector(".invalid-feedback")
    assert "验证码不匹配" in page.content()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    page.fill("#id_code", next_code(device))
    page.click('[data-testid="otp-enrol"] button[type=submit]')

    page.wait_for_selector('[data-testid="recovery-codes"]')
    codes = page.locator('[data-testid="recovery-codes"] li').all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download_info:
        page.click('[data-testid="download-codes"]')
    download = download_info.value
    assert download.suggested_filename.endswith(".txt")
    assert codes[0] in Path(download.path()).read_text(encoding="utf-8")
    page.click('[data-testid="codes-saved"]')
    page.wait_for_url(f"{live_server.url}/clues/")
    log_out(page)

    # Next login: password, then the code from the app.
    password_step(page, live_server, "office_head")
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    page.fill("#id_code", next_code(TOTPDevice.objects.get(user__username="office_head")))
    page.click('[data-testid="otp-verify"] button[type=submit]')
    page.wait_for_url(f"{live_server.url}/clues/")
    log_out(page)

    # Phone left at home: a recovery code, once.
    password_step(page, live_server, "office_head")
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    page.fill("#id_code", codes[0])
    page.click('[data-testid="otp-verify"] button[type=submit]')
    page.wait_for_url(f"{live_server.url}/clues/")
    assert "恢复码" in page.content()
