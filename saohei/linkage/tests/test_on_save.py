"""New clues and cases are checked on save, once their transaction commits: through the real
signals and on_commit, not the at-once shortcut the other linkage tests use."""

import datetime
import io

import pytest

from saohei.linkage.models import LinkSuggestion, Trace
from saohei.orgs.choices import Role

from .helpers import DAY, case, clue, mention, person

AFTER_COMMIT = True
pytestmark = pytest.mark.django_db


def test_new_clue_case_and_mention_are_checked_after_commit(
    personas, django_capture_on_commit_callbacks
):
    office = personas[Role.OFFICE_STAFF]
    with django_capture_on_commit_callbacks(execute=True):
        oil_case = case(personas, is_oil=True, oil_sites="采油三厂4号井", on=DAY)
    assert Trace.objects.filter(case=oil_case).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        near = clue(personas, place="采油三厂4号井", on=DAY + datetime.timedelta(days=3))
    assert callbacks  # the check waits for the commit
    assert LinkSuggestion.objects.pair(oil_case, near).get().kinds == ["place"]
    # A mention added later is checked too.
    other = clue(personas, on=DAY + datetime.timedelta(days=300))
    p = person(office, "王五")
    with django_capture_on_commit_callbacks(execute=True):
        mention(other, p)
        mention(oil_case, p)
    assert LinkSuggestion.objects.pair(oil_case, other).get().kinds == ["person"]


def test_moves_that_do_not_change_what_is_compared_are_not_rechecked(
    personas, django_capture_on_commit_callbacks
):
    from saohei.clues import actions

    a = clue(personas)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.assign(a, personas[Role.OFFICE_STAFF], personas[Role.HANDLER].unit)
    assert callbacks == []


def test_refresh_links_command_indexes_what_was_loaded_without_signals(personas):
    from django.core.management import call_command

    from saohei.linkage.models import Trace

    a = clue(personas, place="王家村")
    b = clue(personas, place="王家村", on=DAY + datetime.timedelta(days=2))
    assert not Trace.objects.exists()  # nothing ran: the transaction never committed
    call_command("refresh_links", stdout=io.StringIO())
    assert LinkSuggestion.objects.pair(a, b).get().kinds == ["place"]
    call_command("refresh_links", stdout=io.StringIO())  # idempotent
    assert LinkSuggestion.objects.count() == 1
