"""List pages and API lists run a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saohei.clues.choices import Status
from saohei.orgs.choices import Role

from .factories import clue_in


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["clue_list", "clue-list", "clue_deadlines", "home"])
def test_queries_do_not_grow_with_rows(url_name, personas, client):
    client.force_login(personas[Role.OFFICE_STAFF])
    for _ in range(3):
        clue_in(Status.VERIFYING, personas)
    url = reverse(url_name)
    queries(client, url)  # the first request of a session also writes the session
    few = queries(client, url)
    for _ in range(12):
        clue_in(Status.VERIFYING, personas)
    assert queries(client, url) == few
