"""Vetting in a real browser on the demo district (issue 6, done means): the demo candidate
list, with a traditional-character name, a homophone, a nickname and an ID with one wrong
digit among clean candidates, is uploaded, screened in the background, and each disguised
candidate comes back 确认 or 疑似 with reasons while the clean ones come back 无; a reviewer
judges a record and decides."""

import io
import os

import pytest
from django.core.management import call_command

from saohei.entities.demo import candidate_list_path

from .test_login import ROOT, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_screening_the_demo_candidate_list(page, live_server, db):
    call_command("seed_demo", stdout=io.StringIO())
    log_in(page, live_server, "office_staff")
    page.goto(f"{live_server.url}/vetting/upload/")
    page.set_input_files('input[type="file"]', str(candidate_list_path()))
    page.fill('input[name="title"]', "2021年村“两委”换届（演示）")
    page.click('[data-testid="vetting-upload"] button[type=submit]')
    page.wait_for_selector('[data-testid="candidates"]', timeout=60_000)  # after the progress
    tiers = {
        row.get_attribute("data-candidate"): row.get_attribute("data-tier")
        for row in page.locator('[data-testid="candidates"] tbody tr').all()
    }
    assert tiers == {
        "陳建國": "confirmed",  # traditional characters
        "章海涛": "confirmed",  # homophone
        "王老三": "confirmed",  # nickname
        "赵红梅": "possible",  # one wrong ID digit
        "李清华": "none",
        "孙丽娟": "none",
        "周志强": "none",
    }
    assert page.locator('[data-figure="screened"]').inner_text() == "7"
    target = (
        ROOT / "docs" / "screenshots" / "vetting.png"
        if os.environ.get("UPDATE_SCREENSHOTS")
        else ROOT / "var" / "screenshots" / "vetting.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.screenshot(path=str(target), full_page=False)

    # The reviewer opens the one with the wrong digit, sees why, and judges the record hers.
    page.click('tr[data-candidate="赵红梅"] a')
    hit = page.locator('[data-testid="hit"]')
    assert "第10位" in hit.inner_text()  # the ID numbers differ only in character 10
    hit.locator('input[name="note"]').fill("经户籍核实为同一人，身份证号登记有误")
    hit.locator('button[name="same"][value="1"]').click()
    assert page.locator('[data-testid="tier"]').inner_text() == "确认"
    form = page.locator('[data-testid="decision-form"]')
    form.locator("select").select_option("review")
    form.locator("textarea").fill("党纪处分已满五年，提请组织部门复核")
    form.locator("button[type=submit]").click()
    assert "待复核" in page.content()
