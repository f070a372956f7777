"""The linkage pages as users meet them: the list of suggestions, deciding one, the section
on clue and case pages, series, the oil-field view, the API, and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saohei.cases.models import Asset
from saohei.clues.choices import Category
from saohei.linkage.models import LinkStatus, LinkSuggestion, Series
from saohei.orgs.choices import Role

from .helpers import DAY, case, clue, mention, person, vehicle

pytestmark = pytest.mark.django_db


def linked_pair(personas, name="王五", **fields):
    office = personas[Role.OFFICE_STAFF]
    a, b = clue(personas, **fields), clue(personas, **fields)
    p = person(office, name)
    mention(a, p)
    mention(b, p)
    return a, b, LinkSuggestion.objects.pair(a, b).get()


def test_list_shows_open_suggestions_with_filters(personas, client):
    a, b, s = linked_pair(personas)
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("link_suggestions"))
    assert page.status_code == 200
    assert [x.pk for x in page.context["page"].object_list] == [s.pk]
    assert a.number in page.content.decode() and b.number in page.content.decode()
    assert f'data-testid="decide-{s.pk}"' in page.content.decode()
    for query, expected in (
        ("ground=person", [s.pk]),
        ("ground=vehicle", []),
        ("item=clue", [s.pk]),
        ("item=case", []),
        ("min=51", []),
        ("status=rejected", []),
    ):
        got = client.get(reverse("link_suggestions") + "?" + query).context["page"].object_list
        assert [x.pk for x in got] == expected, query
    # A leader reads but has no buttons.
    client.force_login(personas[Role.LEADER_VIEWER])
    page = client.get(reverse("link_suggestions"))
    assert [x.pk for x in page.context["page"].object_list] == [s.pk]
    assert f'data-testid="decide-{s.pk}"' not in page.content.decode()


def test_another_district_sees_nothing(personas, other_personas, client):
    linked_pair(personas)
    client.force_login(other_personas[Role.OFFICE_STAFF])
    assert list(client.get(reverse("link_suggestions")).context["page"].object_list) == []
    assert client.get(reverse("linksuggestion-list")).json()["count"] == 0


def test_accept_from_the_clue_page_shows_on_both_sides(personas, client):
    a, b, s = linked_pair(personas)
    client.force_login(personas[Role.OFFICE_STAFF])
    detail = reverse("clue_detail", args=[a.number])
    page = client.get(detail).content.decode()
    assert 'data-testid="link-section"' in page and b.number in page
    response = client.post(
        reverse("link_decide", args=[s.pk]),
        {"decision": "accept", "note": "同一伙人", "next": detail},
    )
    assert response.status_code == 302 and response.url == detail
    s.refresh_from_db()
    assert (s.status, s.note, s.decided_by) == (
        LinkStatus.ACCEPTED,
        "同一伙人",
        personas[Role.OFFICE_STAFF],
    )
    series = Series.objects.get()
    for item, other in ((a, b), (b, a)):
        page = client.get(reverse("clue_detail", args=[item.number])).content.decode()
        assert reverse("series_detail", args=[series.pk]) in page
        assert other.number in page
    page = client.get(reverse("series_detail", args=[series.pk]))
    assert page.status_code == 200
    assert {r["item"].pk for r in page.context["rows"]} == {a.pk, b.pk}
    assert client.get(reverse("series_list")).context["page"].object_list == [series]
    # Deciding twice says so and changes nothing.
    client.post(reverse("link_decide", args=[s.pk]), {"decision": "reject"})
    s.refresh_from_db()
    assert s.status == LinkStatus.ACCEPTED


def test_reject_and_who_may_post(personas, other_personas, client):
    _a, _b, s = linked_pair(personas)
    url = reverse("link_decide", args=[s.pk])
    client.force_login(personas[Role.LEADER_VIEWER])
    assert client.post(url, {"decision": "reject"}).status_code == 403
    client.force_login(other_personas[Role.OFFICE_STAFF])
    assert client.post(url, {"decision": "reject"}).status_code == 404
    client.force_login(personas[Role.OFFICE_STAFF])
    assert client.get(url).status_code == 405
    client.post(url, {"decision": "reject", "next": "https://evil.example/"})
    s.refresh_from_db()
    assert s.status == LinkStatus.REJECTED


def test_series_page_hides_members_out_of_reach(personas, client):
    from saohei.linkage import actions

    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    mine = case(personas)
    theirs = clue(personas)
    p = person(office, "王五")
    mention(mine, p)
    mention(theirs, p)
    s = LinkSuggestion.objects.get()
    series = actions.accept(s, office)
    client.force_login(handler)
    page = client.get(reverse("series_detail", args=[series.pk]))
    assert page.status_code == 200
    assert [r["item"].pk for r in page.context["rows"]] == [mine.pk]
    assert page.context["hidden"] == 1
    client.force_login(personas[Role.AUDITOR])
    assert client.get(reverse("series_detail", args=[series.pk])).status_code == 403


def test_oil_field_view_groups_and_totals(personas, client):
    from saohei.linkage import actions

    office = personas[Role.OFFICE_STAFF]
    v = vehicle(office, "黑E·12345")
    first = case(
        personas,
        name="甲某等人盗油案",
        is_oil=True,
        oil_sites="采油三厂4号井",
        crude_oil_tonnes=Decimal("12.5"),
        on=DAY,
    )
    second = case(
        personas,
        name="乙某等人盗油案",
        is_oil=True,
        oil_sites="采油三厂4号井",
        crude_oil_tonnes=Decimal("3"),
        on=DAY + datetime.timedelta(days=20),
    )
    clue(personas, category=Category.OIL, place="王家村", on=DAY)
    case(personas, name="寻衅滋事案")  # not an oil case
    Asset.objects.create(case=first, kind="equipment", measure="seized", count=3)
    Asset.objects.create(case=second, kind="equipment", measure="seized", count=2)
    Asset.objects.create(case=second, kind="vehicle", measure="seized", count=1)
    mention(first, v)
    mention(second, v)
    s = LinkSuggestion.objects.pair(first, second).get()
    assert set(s.kinds) == {"vehicle", "place"}
    series = actions.accept(s, office)
    client.force_login(office)
    page = client.get(reverse("oil_field"))
    assert page.status_code == 200
    totals = page.context["totals"]
    assert totals == {"cases": 2, "clues": 1, "tonnes": Decimal("15.5"), "equipment": 5}
    places = {g["place"]: g["totals"]["cases"] for g in page.context["place_groups"]}
    assert places["采油三厂4号井"] == 2
    assert "王家村" in places
    [group] = page.context["series_groups"]
    assert group["pk"] == series.pk and group["totals"]["tonnes"] == Decimal("15.5")
    assert len(page.context["chart"]["series"]) == 3
    # A period narrows the view.
    page = client.get(reverse("oil_field") + "?start=2019-06-10&end=bad")
    assert page.context["totals"]["cases"] == 1
    # The series page adds the same figures up.
    page = client.get(reverse("series_detail", args=[series.pk]))
    assert page.context["totals"]["equipment"] == 5


def test_api_lists_visible_suggestions(personas, client):
    a, b, s = linked_pair(personas)
    client.force_login(personas[Role.OFFICE_STAFF])
    data = client.get(reverse("linksuggestion-list")).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["score"] == s.score and row["kinds"] == ["person"]
    assert {row["a"]["number"], row["b"]["number"]} == {a.number, b.number}
    assert client.get(reverse("linksuggestion-detail", args=[s.pk])).status_code == 200
    client.force_login(personas[Role.HANDLER])  # sees neither clue
    assert client.get(reverse("linksuggestion-detail", args=[s.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["link_suggestions", "series_list", "oil_field"])
def test_query_counts_do_not_grow(personas, client, url_name):
    from django.core.cache import cache

    from saohei.linkage import actions

    office = personas[Role.OFFICE_STAFF]
    client.force_login(office)

    def count():
        cache.clear()  # the to-do badge counted afresh each time (it is kept a minute)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        return len(ctx)

    def more(n):
        for i in range(n):
            _a, _b, s = linked_pair(personas, name=f"某{i}", category=Category.OIL)
            if i % 2:
                actions.accept(s, office)

    more(2)
    count()  # the first request of a session fills caches
    few = count()
    more(6)
    assert count() == few
