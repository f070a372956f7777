"""Case linking and networks in a real browser on the demo district (issue 7, done means): the
two solved oil thefts are suggested as one series because they share a person and a vehicle;
accepting links them on both sides; the network of the extortion gang's leader shows the court
officials investigated as its umbrella, with the path to each."""

import io
import os

import pytest
from django.core.management import call_command

from saohei.cases.models import Case, Official, Suspect
from saohei.entities.models import Mention

from .test_login import ROOT, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_oil_thefts_are_linked_and_the_gang_leader_reaches_the_umbrella(page, live_server, db):
    call_command("seed_demo", stdout=io.StringIO())
    first, second = Case.objects.filter(is_oil=True, summary__contains="黑E·5T782").order_by(
        "opened_on"
    )
    log_in(page, live_server, "office_head")

    page.goto(f"{live_server.url}/cases/{first.number}/")
    suggestion = page.locator('[data-testid="suggestion"]', has_text=second.number)
    text = suggestion.inner_text()
    assert "黑E·5T782" in text and "袁杰" in text
    suggestion.locator('button[value="accept"]').click()
    page.wait_for_selector('[data-testid="series"]')
    assert second.number in page.locator('[data-testid="series"]').inner_text()
    page.goto(f"{live_server.url}/cases/{second.number}/")
    assert first.number in page.locator('[data-testid="series"]').inner_text()

    gang = Case.objects.get(kind="evil_group", name__contains="敲诈勒索")
    leader = Suspect.objects.get(case=gang, role="leader")
    person = Mention.objects.get(case=gang, person__name=leader.name).person
    officials = set(Official.objects.filter(case__protects=gang).values_list("name", flat=True))
    page.goto(f"{live_server.url}/linkage/networks/person/{person.pk}/")
    page.wait_for_selector("#network canvas")  # Cytoscape drew it
    paths = page.locator('[data-testid="network-paths"] li')
    reached = {paths.nth(i).get_attribute("data-official") for i in range(paths.count())}
    assert officials and officials <= reached
    assert leader.name in paths.first.inner_text()
    target = (
        ROOT / "docs" / "screenshots" / "network.png"
        if os.environ.get("UPDATE_SCREENSHOTS")
        else ROOT / "var" / "screenshots" / "network.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.screenshot(path=str(target), full_page=False)
