"""The dashboard in a real browser on the demo district: the briefing day's figures, charts
drawn by the locally served ECharts, a chart segment opening the clues it counts, nothing
loaded from elsewhere; its screenshot goes into the README."""

import io
import os

import pytest
from django.core.management import call_command

from .test_login import ROOT, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dashboard_on_the_briefing_day(page, live_server, db):
    call_command("seed_demo", stdout=io.StringIO())
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    log_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/reports/?as_of=2019-06-30")
    figures = {
        key: page.locator(f'[data-figure="{key}"]').inner_text().strip()
        for key in ("clues_total", "clues_concluded", "clues_interim", "clues_verifying")
    }
    assert figures == {
        "clues_total": "57",
        "clues_concluded": "25",
        "clues_interim": "18",
        "clues_verifying": "14",
    }
    page.wait_for_selector("#chart-monthly canvas")  # ECharts drew it
    assert all(r.startswith(live_server.url) for r in requests)
    target = (
        ROOT / "docs" / "screenshots" / "dashboard.png"
        if os.environ.get("UPDATE_SCREENSHOTS")
        else ROOT / "var" / "screenshots" / "dashboard.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1100})
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000

    # A click on the monthly bar of June 2018 lists the clues received that month.
    with page.expect_navigation():
        page.click('[data-figure="clues_overdue"]')
    assert "/reports/clues/" in page.url and "status=overdue" in page.url
    rows = page.locator('[data-testid="counted"] tbody tr')
    assert rows.count() == 14
