"""The engine on small hand-built data: each ground (person, merged person, suspect's ID,
vehicle, phone, organization, place within and outside the window, method), what is never
suggested, and decisions that stay decided."""

import datetime

import pytest

from saohei.entities.merging import merge
from saohei.linkage import actions
from saohei.linkage.models import LinkStatus, LinkSuggestion, SeriesMember, item_key
from saohei.linkage.suggestions import THRESHOLD, refresh, suggest_for
from saohei.linkage.traces import method_text, place_tokens
from saohei.orgs.choices import Role

from .helpers import DAY, case, clue, mention, org, person, phone, suspect, valid_id, vehicle

pytestmark = pytest.mark.django_db


def found(item, **kwargs):
    """{other item's key: (score, reason codes)}"""
    return {
        item_key(s.other): (s.score, [r.code for r in s.reasons])
        for s in suggest_for(item, **kwargs)
    }


def stored(a, b):
    return LinkSuggestion.objects.pair(a, b).first()


def test_place_tokens_and_method_text():
    assert place_tokens(["采油三厂4#井、北湖区红旗镇张家村"], []) == [
        "采油三厂",
        "采油三厂4号井",
        "张家村",
    ]
    # From summaries, places are cut at verbs and prepositions; generic words are not places.
    assert place_tokens([], ["张三伙同李四盗窃采油三厂4号井原油，在油井附近"]) == [
        "采油三厂",
        "采油三厂4号井",
    ]
    # An operating area, a district named after a road, a power line, a subdistrict: no places.
    assert place_tokens(["采油二厂长青作业区15号井"], []) == ["采油二厂", "采油二厂15号井"]
    assert place_tokens(["大庆市让胡路区中原路、供电线路、北湖街道"], []) == ["中原路"]
    # A well without a number is no place.
    assert place_tokens([], ["私拉电线盗用电力抽取油井原油"]) == []
    assert method_text("张三在王家村私接管线盗油", ["张三", "王家村"]) == "私接 接管 管线 线盗 盗油"


def test_shared_person_vehicle_phone_organization(personas):
    office = personas[Role.OFFICE_STAFF]
    a = clue(personas, on=DAY)
    b = case(personas, on=DAY + datetime.timedelta(days=400))
    c = clue(personas, on=DAY)
    d = clue(personas, on=DAY)
    e = clue(personas, on=DAY)
    p, v, ph, o = (
        person(office, "王五"),
        vehicle(office, "黑e 12345"),
        phone(office, "13904591234"),
        org(office, "北湖运输公司"),
    )
    for source in (a, b):
        mention(source, p)
    mention(a, v)
    mention(c, v)
    mention(a, ph)
    mention(d, ph)
    mention(a, o)
    mention(e, o)
    result = found(a)
    # Entities count whatever the time between the two.
    assert result[item_key(b)] == (50, ["person"])
    assert result[item_key(c)] == (40, ["vehicle"])
    assert result[item_key(d)] == (40, ["phone"])
    assert result[item_key(e)] == (30, ["organization"])
    reasons = {item_key(s.other): s.reasons for s in suggest_for(a)}
    assert "黑E·12345" in reasons[item_key(c)][0]
    assert "王五" in reasons[item_key(b)][0]
    # Stored from THRESHOLD up, once per pair, in either direction.
    assert THRESHOLD <= 30
    assert stored(a, b).status == LinkStatus.OPEN
    assert stored(a, b).kinds == ["person"]
    assert LinkSuggestion.objects.count() == 4


def test_several_shared_entities_add_up(personas):
    office = personas[Role.OFFICE_STAFF]
    a, b = clue(personas), clue(personas)
    p, v = person(office, "王五"), vehicle(office, "黑E12345")
    for source in (a, b):
        mention(source, p)
        mention(source, v)
    assert found(a)[item_key(b)] == (65, ["person", "vehicle"])


def test_merged_person_counts_as_its_survivor(personas):
    office = personas[Role.OFFICE_STAFF]
    a, b = clue(personas), clue(personas)
    survivor, double = person(office, "王五"), person(office, "王伍")
    mention(a, survivor)
    mention(b, double)
    assert item_key(b) not in found(a)
    merge(survivor, double, by=office, reason="同一人")
    assert found(a)[item_key(b)] == (50, ["person"])
    assert found(b)[item_key(a)] == (50, ["person"])


def test_merged_person_whose_mentions_stayed_resolves_to_survivor(personas):
    from saohei.entities.models import Person

    office = personas[Role.OFFICE_STAFF]
    a, b = clue(personas), clue(personas)
    survivor, double = person(office, "王五"), person(office, "王伍")
    mention(a, survivor)
    mention(b, double)
    # A mention of a merged person (e.g. added by an import that knew the old record).
    Person.objects.filter(pk=double.pk).update(merged_into=survivor)
    assert found(a)[item_key(b)] == (50, ["person"])
    assert found(b)[item_key(a)] == (50, ["person"])


def test_suspect_counts_as_the_person_with_the_same_id(personas):
    office = personas[Role.OFFICE_STAFF]
    number = valid_id()
    a = clue(personas)
    mention(a, person(office, "赵六", number))
    b = case(personas)
    suspect(b, "赵六", number)
    c = case(personas, name="另案")
    suspect(c, "赵某", number)
    assert found(b)[item_key(a)] == (50, ["person"])
    assert found(a)[item_key(b)] == (50, ["person"])
    # Two cases whose suspects share an ID number.
    assert found(b)[item_key(c)] == (50, ["person"])
    other = case(personas, name="无关案")
    suspect(other, "赵六", valid_id(seq="456"))
    assert item_key(other) not in found(b)


def test_same_place_within_the_window_only(personas, settings):
    settings.SAOHEI_LINK_WINDOW_DAYS = 90
    a = case(personas, oil_sites="采油三厂4号井", is_oil=True, on=DAY)
    near = clue(personas, place="北湖区采油三厂4#井", on=DAY + datetime.timedelta(days=23))
    far = clue(personas, place="采油三厂4号井", on=DAY + datetime.timedelta(days=200))
    elsewhere = clue(personas, place="采油五厂7号井", on=DAY)
    result = found(a)
    score, codes = result[item_key(near)]
    assert codes == ["place"] and score >= THRESHOLD
    assert "采油三厂4号井" in suggest_for(a)[0].reasons[0]
    assert "23" in suggest_for(a)[0].reasons[0]
    assert item_key(far) not in result
    assert item_key(elsewhere) not in result
    settings.SAOHEI_LINK_WINDOW_DAYS = 365
    assert item_key(far) in found(a)


def test_same_village_named_in_the_summary(personas):
    a = clue(personas, summary="张三在红旗镇王家村收保护费")
    b = clue(personas, summary="有人在王家村强占土地", on=DAY + datetime.timedelta(days=5))
    assert found(a)[item_key(b)][1] == ["place"]


def test_similar_method(personas):
    text = "深夜驾驶改装罐车在输油管线打孔私接阀门盗取原油后转卖给地下炼油点"
    a = clue(personas, summary=f"张三{text}", subjects="张三")
    b = clue(
        personas, summary=f"李四等人{text}", subjects="李四", on=DAY + datetime.timedelta(days=9)
    )
    c = clue(personas, summary="王五在集贸市场强行收取摊位费殴打商户")
    result = found(a)
    score, codes = result[item_key(b)]
    assert codes == ["method"] and score >= THRESHOLD
    assert item_key(c) not in result


def test_a_case_and_its_own_clues_are_not_suggested(personas):
    office = personas[Role.OFFICE_STAFF]
    from saohei.clues.choices import Status
    from saohei.clues.tests.factories import clue_in

    source = clue_in(Status.VERIFYING, personas, subjects="王五")
    p = person(office, "王五")
    mention(source, p)
    opened = case(personas, clues=[source])
    mention(opened, p)
    assert item_key(source) not in found(opened)
    assert stored(source, opened) is None


def test_rejected_pair_stays_rejected(personas):
    office = personas[Role.OFFICE_STAFF]
    a, b = clue(personas), clue(personas)
    mention(a, vehicle(office, "黑E12345"))
    mention(b, vehicle(office, "黑E12345"))
    # Two vehicle records with one plate are two entities: no link yet.
    assert stored(a, b) is None
    p = person(office, "王五")
    mention(a, p)
    mention(b, p)
    suggestion = stored(a, b)
    actions.reject(suggestion, office, note="同名不同人")
    # A new shared entity appears: the pair stays rejected and is not suggested.
    v = vehicle(office, "黑E99999")
    mention(a, v)
    mention(b, v)
    refresh(a)
    refresh(b)
    suggestion.refresh_from_db()
    assert suggestion.status == LinkStatus.REJECTED
    assert suggestion.note == "同名不同人"
    assert item_key(b) not in found(a)
    assert LinkSuggestion.objects.filter(status=LinkStatus.OPEN).count() == 0


def test_open_suggestion_goes_when_its_ground_goes(personas):
    office = personas[Role.OFFICE_STAFF]
    a, b = clue(personas), clue(personas)
    p = person(office, "王五")
    mention(a, p)
    gone = mention(b, p)
    assert stored(a, b) is not None
    gone.delete()
    assert stored(a, b) is None


def test_accept_links_both_sides_and_merges_series(personas):
    office = personas[Role.OFFICE_STAFF]
    a, b, c, d = (clue(personas) for _ in range(4))
    p, q, r = person(office, "甲某"), person(office, "乙某"), person(office, "丙某")
    mention(a, p)
    mention(b, p)
    mention(c, q)
    mention(d, q)
    first = actions.accept(stored(a, b), office)
    second = actions.accept(stored(c, d), office)
    assert first.pk != second.pk
    assert {m.item for m in first.members.all()} == {a, b}
    # A link between members of two series merges them into the older one.
    mention(b, r)
    mention(c, r)
    merged = actions.accept(stored(b, c), office, note="同一团伙")
    assert merged.pk == first.pk
    assert {m.item for m in merged.members.all()} == {a, b, c, d}
    assert SeriesMember.objects.count() == 4
    assert not type(second).objects.filter(pk=second.pk).exists()
    # Both sides show it, and nothing already in the series is suggested again.
    assert found(a) == {} and found(d) == {}
    with pytest.raises(actions.LinkError):
        actions.accept(stored(b, c), office)


def test_who_may_decide(personas, other_personas):
    from django.core.exceptions import PermissionDenied

    office = personas[Role.OFFICE_STAFF]
    a, b = clue(personas), clue(personas)
    p = person(office, "王五")
    mention(a, p)
    mention(b, p)
    suggestion = stored(a, b)
    for user in (
        personas[Role.LEADER_VIEWER],  # reads, does not decide
        other_personas[Role.OFFICE_STAFF],  # cannot see the items
        personas[Role.AUDITOR],
    ):
        with pytest.raises(PermissionDenied):
            actions.accept(suggestion, user)
    # The police handler does not see these unassigned clues.
    with pytest.raises(PermissionDenied):
        actions.reject(suggestion, personas[Role.HANDLER])
    assert actions.reject(suggestion, office).status == LinkStatus.REJECTED


def test_scoping_of_suggestions(personas, other_personas):
    office, other_office = personas[Role.OFFICE_STAFF], other_personas[Role.OFFICE_STAFF]
    a = clue(personas, place="采油三厂4号井")
    far = clue(other_personas, place="采油三厂4号井")
    # Another district's items are never suggested to this district's users.
    assert item_key(far) not in found(a, user=office)
    assert item_key(a) not in found(far, user=other_office)
    # A shared person across districts: each office sees neither side of the other's pair.
    p = person(office, "王五")
    mention(a, p)
    mention(far, p)
    assert stored(a, far) is not None
    assert not LinkSuggestion.objects.visible_to(office).exists()
    assert not LinkSuggestion.objects.visible_to(other_office).exists()
    # A handler who sees only one of two items does not see their suggestion.
    handler = personas[Role.HANDLER]
    mine = case(personas)
    mention(mine, p)
    b = clue(personas)
    mention(b, p)
    assert stored(mine, b) is not None
    assert not LinkSuggestion.objects.visible_to(handler).filter(pk=stored(mine, b).pk).exists()
    assert LinkSuggestion.objects.visible_to(office).filter(pk=stored(mine, b).pk).exists()
