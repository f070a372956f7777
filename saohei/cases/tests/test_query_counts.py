"""Case and transfer lists run a fixed number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from saohei.clues.choices import Category, Status
from saohei.clues.tests.factories import clue_in
from saohei.clues.tests.test_query_counts import queries
from saohei.orgs.choices import Role, UnitKind
from saohei.transfers import actions as transfers

from .factories import gang_case

pytestmark = pytest.mark.django_db


def more(personas, units, n):
    for _ in range(n):
        case = gang_case(personas, clues=1)
        clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
        transfers.send(
            personas[Role.OFFICE_STAFF], clue=clue, to_unit=units[UnitKind.REGULATOR],
            kind="jurisdiction", reason="请整治",
        )  # fmt: skip
        transfers.send(
            personas[Role.HANDLER], case=case, to_unit=units[UnitKind.DISCIPLINE],
            kind="umbrella", reason="发现保护伞线索",
        )  # fmt: skip


@pytest.mark.parametrize(
    "url_name,role",
    [
        ("case_list", Role.OFFICE_STAFF),
        ("case-list", Role.OFFICE_STAFF),
        ("case_checks", Role.OFFICE_STAFF),
        ("transfer_list", Role.OFFICE_STAFF),
        ("transfer-list", Role.OFFICE_STAFF),
        ("transfer_matrix", Role.OFFICE_STAFF),
        ("home", Role.DISCIPLINE),
        ("home", Role.HANDLER),
    ],
)
def test_queries_do_not_grow_with_rows(url_name, role, personas, units, client):
    client.force_login(personas[role])
    more(personas, units, 2)
    url = reverse(url_name)
    queries(client, url)  # the first request of a session also writes the session
    few = queries(client, url)
    more(personas, units, 6)
    assert queries(client, url) == few


def test_the_case_page_does_not_grow_with_suspects_and_checks(personas, client):
    from saohei.cases.models import Asset, Suspect

    case = gang_case(personas)
    client.force_login(personas[Role.HANDLER])
    url = reverse("case_detail", args=[case.number])
    queries(client, url)
    few = queries(client, url)
    for i in range(10):
        Suspect.objects.create(case=case, name=f"成员{i}", role="member")
        Asset.objects.create(case=case, kind="vehicle", measure="seized", count=1)
    assert queries(client, url) == few
