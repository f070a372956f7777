"""The dashboard shows the figures of the hand-built history, and each number opens the list
of exactly the records it counts."""

import re

import pytest
from django.urls import reverse

from saohei.orgs.choices import Role
from saohei.reports.tests.test_figures import history  # noqa: F401

pytestmark = pytest.mark.django_db


def figure(page: str, key: str) -> str:
    return re.search(rf'data-figure="{key}">([^<]*)<', page).group(1).strip()


def counted(client, url: str) -> int:
    page = client.get(url).content.decode()
    return page.split('data-testid="counted"', 1)[1].count('href="/')


def test_dashboard_numbers_as_of_days(client, personas, history):  # noqa: F811
    client.force_login(personas[Role.OFFICE_STAFF])
    june = client.get(reverse("dashboard") + "?as_of=2019-06-30").content.decode()
    shown = {k: figure(june, k) for k in (
        "clues_total", "clues_concluded", "clues_interim", "clues_verifying", "clues_pending",
        "clues_overdue", "conclusion_rate", "cases_opened", "cases_closed",
    )}  # fmt: skip
    assert shown == {
        "clues_total": "4", "clues_concluded": "1", "clues_interim": "1", "clues_verifying": "1",
        "clues_pending": "1", "clues_overdue": "1", "conclusion_rate": "50.0%",
        "cases_opened": "1", "cases_closed": "0",
    }  # fmt: skip
    august = client.get(reverse("dashboard") + "?as_of=2019-08-31").content.decode()
    assert figure(august, "clues_concluded") == "2" and figure(august, "cases_closed") == "1"


def test_each_number_opens_the_records_it_counts(client, personas, history):  # noqa: F811
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("dashboard") + "?as_of=2019-06-30").content.decode()
    by_status = {
        status: url.replace("&amp;", "&")
        for url, status in re.findall(
            r'href="(/reports/clues/\?as_of=2019-06-30(?:&amp;|&)status=(\w+))"', page
        )
    }
    expected = {"total": 4, "concluded": 1, "interim": 1, "verifying": 1, "pending": 1,
                "overdue": 1, "done": 2}  # fmt: skip
    for status, n in expected.items():
        assert counted(client, by_status[status]) == n, status
    unit = history["police"].pk
    assert counted(client, f"/reports/clues/?as_of=2019-06-30&unit={unit}") == 3
    assert counted(client, "/reports/cases/?as_of=2019-06-30&stage=prosecution") == 1
    assert counted(client, "/reports/cases/?as_of=2019-08-31&stage=closed") == 1
    assert counted(client, "/reports/cases/?as_of=2019-06-30&checks=incomplete") == 1
    assert counted(client, "/reports/cases/?as_of=2019-08-31&checks=incomplete") == 0


def test_a_bad_or_future_day_is_explained(client, personas, history):  # noqa: F811
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("dashboard") + "?as_of=2019-13-01").content.decode()
    assert "2019-13-01" in page  # the message names what was wrong
    page = client.get(reverse("dashboard") + "?as_of=2999-01-01").content.decode()
    assert 'data-figure="clues_total"' in page


def test_the_three_officers_get_no_dashboard(client, personas):
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.SECURITY_ADMIN):
        client.force_login(personas[role])
        assert client.get(reverse("dashboard")).status_code == 403
        assert client.get(reverse("api-stats")).status_code == 403


def test_led_to_case_and_handed_over_open_their_clues(client, personas, history):  # noqa: F811
    client.force_login(personas[Role.OFFICE_STAFF])
    assert counted(client, "/reports/clues/?as_of=2019-06-30&status=led_to_case") == 1
    page = client.get(reverse("dashboard") + "?as_of=2019-06-30").content.decode()
    assert "status=led_to_case" in page
