"""A clear-to-zero target in a real browser on the demo district (issue 11, done means): the
office sets a target for clues older than 60 days, due three months ahead; its page shows
today's count, the burn-down drawn from the start, the projected date and the units holding
the rest; when a unit concludes one of those clues, the count goes down."""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from saohei.campaigns.measures import OPEN_CLUE_STATUSES, read
from saohei.campaigns.models import Target
from saohei.clues import actions
from saohei.clues.choices import Finding, Status
from saohei.clues.models import Clue
from saohei.orgs.models import User
from saohei.reports.figures import clues_as_of

from .test_login import ROOT, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clear_to_zero_target_moves_when_a_unit_concludes(page, live_server, db):
    call_command("seed_demo", stdout=io.StringIO())
    Target.objects.filter(name="问题线索清零").delete()  # the demo's own; we set it anew
    today = timezone.localdate()
    log_in(page, live_server, "office_staff")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/campaigns/")
    page.click('a[href="/campaigns/targets/new/"]')
    page.fill("#id_name", "超期积案清零")
    page.select_option("#id_measure", "old_open_clues")
    page.fill("#id_days", "60")
    page.fill("#id_goal", "0")
    page.fill("#id_start", (today - datetime.timedelta(days=60)).isoformat())
    page.fill("#id_deadline", (today + datetime.timedelta(days=91)).isoformat())
    page.click('[data-testid="edit-form"] button[type=submit]')
    page.wait_for_selector('[data-testid="today-value"]')
    target = Target.objects.get(name="超期积案清零")
    reading = read(target, today)
    assert reading.value > 0
    assert page.locator('[data-testid="today-value"]').inner_text() == f"{reading.value}件"
    page.wait_for_selector("#chart-path canvas")  # ECharts drew the burn-down
    assert page.locator('[data-testid="path"] th').count() >= 5  # start … today
    assert page.locator('[data-testid="projected"]').inner_text().strip()
    holders = page.locator('[data-testid="holders"]').inner_text()
    held = {u: n for u, n in reading.by_unit.items() if u is not None}
    assert held, "the demo has old clues held by units"
    unit_id = max(held, key=held.get)
    handler = User.objects.filter(unit_id=unit_id, groups__name="handler").first()
    chief = User.objects.filter(unit_id=unit_id, groups__name="unit_leader").first()
    assert handler.unit.short_name in holders

    # The unit concludes one of its old clues (its handler asks, its head approves).
    clue = (
        clues_as_of(Clue.objects.filter(assigned_unit=unit_id), today)
        .filter(
            status_then__in=OPEN_CLUE_STATUSES,
            received_on__lt=target.received_before(today),
            status=Status.VERIFYING,
        )
        .first()
    )
    if clue is None:  # accepted not yet: accept first
        clue = (
            Clue.objects.filter(
                assigned_unit=unit_id,
                status=Status.ASSIGNED,
                received_on__lt=target.received_before(today),
            )
        ).first()
        actions.accept(clue, handler)
    actions.request_conclusion(clue, handler, finding=Finding.UNFOUNDED, result="经核查，查否")
    actions.approve(clue, chief)
    page.reload()
    assert page.locator('[data-testid="today-value"]').inner_text() == f"{reading.value - 1}件"

    shot = (
        ROOT / "docs" / "screenshots" / "target.png"
        if os.environ.get("UPDATE_SCREENSHOTS")
        else ROOT / "var" / "screenshots" / "target.png"
    )
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.screenshot(path=str(shot), full_page=True)
