"""Issue 8's user story in a real browser: a member of the public reports with a photo that
carries GPS EXIF and keeps the receipt code; the office sees the clue, the photo without its
EXIF, and asks a question; the reporter answers with the code; the clue is concluded and the
reporter reads the feedback."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from saohei.clues import actions
from saohei.clues.choices import Finding, Status
from saohei.clues.models import Clue
from saohei.intake.tests.conftest import GPS_IFD, jpeg_with_gps
from saohei.orgs.demo import DEMO_PASSWORD
from saohei.orgs.models import Unit, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NUMERALS = "零一二三四五六七八九十"


@pytest.fixture
def demo(db, settings):
    call_command("seed_demo", "--units-only", stdout=io.StringIO())
    settings.SAOHEI_PORTAL_MIN_FILL_SECONDS = 1


def solve(question: str) -> str:
    """三加五等于几？ -> 8"""
    a, b = question[0], question[2]
    return str(NUMERALS.index(a) + NUMERALS.index(b))


def test_report_follow_up_and_feedback(browser, live_server, demo, tmp_path):
    photo = tmp_path / "IMG_20190603.jpg"
    photo.write_bytes(jpeg_with_gps(size=(320, 240)))
    with Image.open(photo) as original:
        assert original.getexif().get_ifd(GPS_IFD)

    # A member of the public, on a phone-sized screen.
    public = browser.new_context(viewport={"width": 390, "height": 844})
    reporter = public.new_page()
    reporter.goto(f"{live_server.url}/report/")
    assert "举报电话" in reporter.content()
    reporter.click('[data-testid="start-report"]')
    reporter.check("text=匿名举报")
    reporter.fill("#id_subjects", "孙大强")
    reporter.check("text=涉恶")
    reporter.check("text=暴力、威胁、恐吓")
    reporter.select_option("#id_place_area", label="长青镇")
    reporter.fill("#id_place_detail", "红旗村砂场")
    reporter.fill("#id_description", "孙大强带人在红旗村砂场殴打拉沙司机，强收过路费。")
    reporter.set_input_files("#id_files", str(photo))
    reporter.fill("#id_answer", solve(reporter.inner_text('[data-testid="question"]')))
    reporter.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    with reporter.expect_navigation():
        reporter.click('[data-testid="submit"]')
    code = reporter.inner_text('[data-testid="receipt-code"]').replace(" ", "")
    assert len(code) == 16 and code.isdigit()
    assert "只显示这一次" in reporter.content()

    clue = Clue.objects.get()
    assert clue.status == Status.RECEIVED and clue.source == "public" and clue.channel == "web"

    # The office: the clue, its photo without EXIF, a question to the reporter.
    internal = browser.new_context(viewport={"width": 1280, "height": 800})
    office = internal.new_page()
    office.goto(f"{live_server.url}/accounts/login/")
    office.fill("#id_username", "office_staff")
    office.fill("#id_password", DEMO_PASSWORD)
    office.click("button[type=submit]")
    office.wait_for_url(f"{live_server.url}/")
    office.goto(f"{live_server.url}/clues/{clue.number}/")
    assert "孙大强带人在红旗村砂场" in office.content()
    assert "待分流" in office.inner_text('[data-testid="status"]')
    link = office.locator('[data-testid="attachments"] a', has_text="举报材料1.jpg")
    with office.expect_download() as download:
        link.click()
    with Image.open(download.value.path()) as stored:
        assert stored.size == (320, 240)
        assert len(stored.getexif()) == 0 and stored.getexif().get_ifd(GPS_IFD) == {}
    panel = office.locator('[data-testid="reporter-message-form"]')
    panel.locator("select[name=kind]").select_option("question")
    panel.locator("textarea[name=text]").fill("拉沙司机被打是哪一天？有没有人受伤？")
    with office.expect_navigation():
        panel.locator("button[type=submit]").click()
    assert "拉沙司机被打是哪一天" in office.inner_text('[data-testid="reporter-thread"]')

    # The reporter comes back with the code and answers.
    public.clear_cookies()
    reporter.goto(f"{live_server.url}/report/check/")
    reporter.fill("#id_code", f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}")
    with reporter.expect_navigation():
        reporter.click('[data-testid="check-submit"]')
    assert "已受理" in reporter.inner_text('[data-testid="plain-status"]')
    question = reporter.locator('[data-testid="open-question"]')
    assert "拉沙司机被打是哪一天" in question.inner_text()
    question.locator("textarea[name=text]").fill("6月1日下午，一名司机头部受伤住院。")
    with reporter.expect_navigation():
        question.locator('[data-testid="answer-submit"]').click()
    assert reporter.locator('[data-testid="open-question"]').count() == 0

    office.reload()
    assert "6月1日下午，一名司机头部受伤住院。" in office.inner_text(
        '[data-testid="reporter-thread"]'
    )

    # Routed, verified and concluded through the clue's actions.
    staff = User.objects.get(username="office_staff")
    police = Unit.objects.get(short_name="北湖分局")
    actions.assign(clue, staff, police)
    actions.accept(clue, User.objects.get(username="police_bh"))
    actions.request_conclusion(
        clue,
        User.objects.get(username="police_bh"),
        finding=Finding.SUBSTANTIATED,
        result="已对孙大强等3人以寻衅滋事立案侦查。",
    )
    actions.approve(clue, User.objects.get(username="police_bh_chief"))

    reporter.reload()
    assert "已查结" in reporter.inner_text('[data-testid="plain-status"]')
    feedback = reporter.inner_text('[data-testid="message-feedback"]')
    assert "经核查，您反映的问题属实" in feedback
    assert "已对孙大强等3人以寻衅滋事立案侦查。" in feedback
    public.close()
    internal.close()
