"""The to-do badge and the dashboard's figures are kept a short while (saohei.core.recent):
what a user does shows on their next page, what others do within the minute, and nobody is
shown what was counted for someone else."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import translation

from saohei.clues.choices import Status
from saohei.clues.tests.factories import clue_in, new_clue
from saohei.core import recent
from saohei.core.nav import BADGE_SECONDS
from saohei.orgs.choices import Role, UnitKind
from saohei.reports.views import FIGURES_SECONDS


class Clock:
    """time.time as saohei.core.recent sees it, moved on by the test."""

    def __init__(self):
        self.ahead = 0.0

    def time(self):
        return time.time() + self.ahead


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(recent, "time", fake)
    return fake


def badge(client) -> int:
    page = client.get(reverse("clue_list")).content.decode()
    found = re.search(r'data-testid="nav-count">(\d+)<', page)
    return int(found.group(1)) if found else 0


def clues_total(client, **params) -> int:
    page = client.get(reverse("dashboard"), params).content.decode()
    return int(re.search(r'data-figure="clues_total">(\d+)<', page).group(1))


@pytest.fixture
def no_training_topics():
    from saohei.oversight.models import TrainingTopic

    TrainingTopic.objects.update(listed=False)  # they wait on a unit too; clues only here


@pytest.mark.django_db
def test_badge_shows_own_step_at_once_and_others_within_the_minute(
    personas, client, clock, no_training_topics
):
    handler = personas[Role.HANDLER]
    verifying = clue_in(Status.VERIFYING, personas)
    client.force_login(handler)
    assert badge(client) == 1

    # The office assigns two more to the handler's unit: the badge kept is not yet older
    # than a minute, and it is not the handler who acted.
    clue_in(Status.ASSIGNED, personas)
    clue_in(Status.ASSIGNED, personas)
    assert badge(client) == 1

    # The handler's own step, taken on the clue's page, shows on the next page: the clue
    # concluded for the stage leaves the list, the two to accept are on it.
    verifying.refresh_from_db()
    response = client.post(
        reverse("clue_step", args=[verifying.number, "interim"]),
        {"version": verifying.version, "result": "已查明部分事实，待补充证据后继续核查。"},
        follow=True,
    )
    assert 'data-testid="nav-count">2<' in response.content.decode()
    assert badge(client) == 2

    clue_in(Status.ASSIGNED, personas)
    assert badge(client) == 2
    clock.ahead = BADGE_SECONDS + 1
    assert badge(client) == 3


@pytest.mark.django_db
def test_home_page_counts_the_list_it_shows(personas, client, no_training_topics):
    client.force_login(personas[Role.HANDLER])
    assert badge(client) == 0
    clue = clue_in(Status.ASSIGNED, personas)
    page = client.get(reverse("home")).content.decode()
    assert clue.number in page and 'data-testid="nav-count">1<' in page
    assert badge(client) == 1  # and the pages after it show that count


@pytest.mark.django_db
def test_dashboard_says_when_it_counted_and_shows_own_records_at_once(personas, client, clock):
    office = personas[Role.OFFICE_STAFF]
    new_clue(personas)
    client.force_login(personas[Role.LEADER_VIEWER])
    page = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'data-testid="counted-at">[^<]*\d\d:\d\d:\d\d', page)

    # The office staff who registers a clue on the page sees it counted on their next look.
    client.force_login(office)
    assert clues_total(client) == 1
    response = client.post(
        reverse("clue_register"),
        {
            "received_on": "2019-06-03",
            "source": "public",
            "channel": "phone",
            "category": "evil_force",
            "subjects": "赵六、某某砂石公司",
            "summary": "赵六纠集多人强揽砂石工程",
            "anonymous": "on",
            "confirm": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert clues_total(client) == 2
    # Another day, another period: counted apart.
    assert clues_total(client, as_of="2019-06-02") == 0

    # The leader reads the figures the office's look has just made (same district, same
    # figures); one more clue, recorded by someone else, shows within the minute.
    client.force_login(personas[Role.LEADER_VIEWER])
    assert clues_total(client) == 2
    new_clue(personas)
    assert clues_total(client) == 2
    clock.ahead = FIGURES_SECONDS + 1
    assert clues_total(client) == 3


@pytest.mark.django_db
def test_figures_kept_for_one_district_are_not_shown_to_another(personas, other_personas, client):
    new_clue(personas)
    client.force_login(personas[Role.OFFICE_STAFF])
    assert clues_total(client) == 1
    client.force_login(other_personas[Role.OFFICE_STAFF])
    assert clues_total(client) == 0
    # A unit's figures are its own: the police handler of the district sees none of the
    # office's clue, which is not assigned to it.
    client.force_login(personas[Role.HANDLER])
    assert clues_total(client) == 0


@pytest.mark.django_db
def test_figures_kept_for_a_chinese_reader_are_not_shown_in_english(personas, units, client):
    from django.conf import settings

    from saohei.transfers.tests.test_transfers import send_to_regulator

    send_to_regulator(personas, units)  # the dashboard's transfer table names unit kinds
    client.force_login(personas[Role.OFFICE_STAFF])
    with translation.override("zh-hans"):
        in_chinese = str(UnitKind.REGULATOR.label)
    cell = '<td>{}</td><td class="text-end">'  # the receiving kind, before the counts
    assert cell.format(in_chinese) in client.get(reverse("dashboard")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        in_english = str(UnitKind.REGULATOR.label)
    page = client.get(reverse("dashboard")).content.decode()
    assert in_english != in_chinese
    assert cell.format(in_english) in page and cell.format(in_chinese) not in page


@pytest.mark.django_db
def test_the_badge_counts_without_reading_the_items(personas, no_training_topics):
    """The badge on every page needs the sections' totals; their first items are read only
    when the home page lists them (query count, STYLE habit 10)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saohei.core.nav import waiting
    from saohei.core.todo import todo_for
    from saohei.orgs.models import User

    clue_in(Status.ASSIGNED, personas)
    clue_in(Status.VERIFYING, personas)
    handler = User.objects.get(pk=personas[Role.HANDLER].pk)
    with CaptureQueriesContext(connection) as counted:
        assert waiting(handler) == 2
    on_clues = [q["sql"] for q in counted.captured_queries if 'FROM "clues_clue"' in q["sql"]]
    assert on_clues and all(sql.startswith("SELECT COUNT(*)") for sql in on_clues)
    with CaptureQueriesContext(connection) as listed:
        titles = [item.title for section in todo_for(handler) for item in section.items]
    assert len(titles) == 2 and len(listed.captured_queries) >= 2
