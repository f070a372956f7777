"""The assessment in a real browser on the demo district, as office staff: the first half of
2019 ranked, most units listed as having handed over no clue (over 80%), a unit's checklist
answered with evidence, and its score and rank going up on the ranking."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from saohei.oversight.models import AssessmentPeriod

from .test_login import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def score_of(page, unit):
    return Decimal(page.locator(f'tr[data-unit="{unit}"] [data-score]').inner_text())


def test_assessment_ranking_and_checklist(page, live_server, db):
    call_command("seed_demo", stdout=io.StringIO())
    period = AssessmentPeriod.objects.get(name="2019年上半年成员单位考核")
    log_in(page, live_server, "office_staff")

    page.click('nav a[href="/oversight/assessment/"]')
    page.click(f'[data-testid="periods"] a[href="/oversight/assessment/{period.pk}/"]')
    ranking = page.locator('[data-testid="ranking"] tbody tr')
    assert ranking.count() == 20  # every member unit, the office itself not assessed
    assert ranking.first.get_attribute("data-rank") == "1"
    scores = [
        Decimal(s) for s in page.locator('[data-testid="ranking"] [data-score]').all_inner_texts()
    ]
    assert scores == sorted(scores, reverse=True)

    # Most units handed over no clue in the half-year: listed, and the share is flagged.
    silent = page.locator('[data-testid="no-clue-unit"]').all_inner_texts()
    assert len(silent) >= 17 and "区教育局" in silent and "长青镇" not in silent
    assert "text-danger" in page.locator('[data-testid="no-clue-share"]').get_attribute("class")

    # The education bureau answers nothing yet; office staff records its plan with evidence.
    before = score_of(page, "区教育局")
    page.click('tr[data-unit="区教育局"] a')
    form = page.locator('[data-testid="answer-plan"]')
    form.locator('input[name="done"]').check()
    form.locator('textarea[name="note"]').fill(
        "区教育局2019年工作要点第五条：深入推进扫黑除恶专项斗争"
    )
    form.locator("button[type=submit]").click()
    assert "text-success" in page.locator('tr[data-item="plan"] [data-found]').get_attribute(
        "class"
    )

    page.goto(f"{live_server.url}/oversight/assessment/{period.pk}/")
    assert score_of(page, "区教育局") == before + 10

    # The items and weights the scores use are on their own page.
    page.click('a[href="/oversight/assessment/items/"]')
    assert page.locator('[data-testid="full-score"]').inner_text() == "100.0"
