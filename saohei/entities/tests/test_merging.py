"""Merging two persons found to be one, and undoing it: what moves, what comes back, the
audit entries, and the merges refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from saohei.audit.models import AuditEntry
from saohei.clues.choices import Status
from saohei.clues.tests.factories import clue_in
from saohei.entities import merging
from saohei.entities.models import Mention, Merge, Person, Record
from saohei.orgs.choices import Role

from .test_persons import mention, person, valid_id


def record_of(who, user, kind="criminal"):
    return Record.objects.create(
        person=who,
        jurisdiction=user.unit.jurisdiction,
        name=who.name,
        id_number=who.id_number,
        kind=kind,
        decided_on=datetime.date(2015, 3, 1),
        deciding_body="北湖区人民法院",
        imported_by_unit=user.unit,
        imported_by=user,
    )


@pytest.fixture
def pair(personas):
    """张三 and 張三 (the same ID), each with a mention and a record."""
    office = personas[Role.OFFICE_STAFF]
    clue = clue_in(Status.VERIFYING, personas)
    a = person(office, "张三", valid_id(seq="111"))
    b = person(office, "張三", valid_id(seq="111"), nicknames="三哥")
    return {
        "office": office,
        "clue": clue,
        "a": a,
        "b": b,
        "a_mention": mention(clue, a, role="subject"),
        "b_mention": mention(clue, b, role="suspect"),
        "a_record": record_of(a, office),
        "b_record": record_of(b, office, kind="administrative"),
    }


@pytest.mark.django_db
def test_merge_moves_mentions_and_records_and_unmerge_puts_them_back(pair):
    office, a, b = pair["office"], pair["a"], pair["b"]
    done = merging.merge(a, b, by=office, reason="同一身份证号")
    b.refresh_from_db()
    assert b.merged_into == a
    assert set(Mention.objects.filter(person=a)) == {pair["a_mention"], pair["b_mention"]}
    assert set(Record.objects.filter(person=a)) == {pair["a_record"], pair["b_record"]}
    assert done.moved == {
        "mentions": [pair["b_mention"].pk],
        "records": [pair["b_record"].pk],
        "represents": [],
    }
    assert list(Person.objects.visible_to(office).current()) == [a]
    entry = AuditEntry.objects.get(object_type="entities.merge", action="create")
    assert entry.changes["merged"] == b.pk and entry.changes["reason"] == "同一身份证号"

    later = mention(pair["clue"], a, role="witness")  # gained after the merge: stays
    merging.unmerge(done, by=office)
    b.refresh_from_db()
    assert b.merged_into is None
    assert set(Mention.objects.filter(person=a)) == {pair["a_mention"], later}
    assert set(Mention.objects.filter(person=b)) == {pair["b_mention"]}
    assert set(Record.objects.filter(person=b)) == {pair["b_record"]}
    done.refresh_from_db()
    assert done.undone_at is not None and done.undone_by == office
    assert AuditEntry.objects.filter(object_type="entities.merge", action="update").count() == 1

    with pytest.raises(merging.MergeError):
        merging.unmerge(done, by=office)  # a second undo


@pytest.mark.django_db
def test_merges_that_are_refused(pair, personas):
    office, a, b = pair["office"], pair["a"], pair["b"]
    c = person(office, "张叁", valid_id(seq="111"))
    with pytest.raises(merging.MergeError):
        merging.merge(a, a, by=office, reason="同一人")
    with pytest.raises(merging.MergeError):
        merging.merge(a, b, by=office, reason=" ")
    with pytest.raises(PermissionDenied):
        merging.merge(a, b, by=personas[Role.HANDLER], reason="同一人")  # no merge permission
    merging.merge(a, b, by=office, reason="同一人")
    with pytest.raises(merging.MergeError):
        merging.merge(c, b, by=office, reason="同一人")  # b is merged already
    with pytest.raises(merging.MergeError):
        merging.merge(b, c, by=office, reason="同一人")  # into one merged already
    with pytest.raises(merging.MergeError):
        merging.merge(c, a, by=office, reason="同一人")  # a chain: a has b merged into it
    assert Merge.objects.count() == 1
    assert Person.objects.get(pk=c.pk).merged_into is None


@pytest.mark.django_db
def test_undo_waits_for_a_later_merge_of_the_survivor(pair):
    office, a, b = pair["office"], pair["a"], pair["b"]
    c = person(office, "张叁", valid_id(seq="111"))
    first = merging.merge(a, b, by=office, reason="同一人")
    with pytest.raises(merging.MergeError):
        merging.merge(c, a, by=office, reason="同一人")
    merging.unmerge(first, by=office)
    second = merging.merge(c, a, by=office, reason="同一人")
    assert Mention.objects.filter(person=c).count() == 1
    merging.unmerge(second, by=office)
    assert Mention.objects.filter(person=a).count() == 1


@pytest.mark.django_db
def test_other_jurisdictions_persons_cannot_be_merged(pair, other_personas):
    other_office = other_personas[Role.OFFICE_STAFF]
    with pytest.raises(PermissionDenied):
        merging.merge(pair["a"], pair["b"], by=other_office, reason="同一人")


@pytest.mark.django_db
def test_merge_and_undo_through_the_pages(pair, client):
    office, a, b = pair["office"], pair["a"], pair["b"]
    client.force_login(office)
    url = reverse("person_merge", args=[a.pk])
    suggested = client.get(url).context["suggested"]
    assert [p.pk for p, _masked, _m in suggested] == [b.pk]
    found = client.get(url, {"q": "三哥"}).context["found"]
    assert [p.pk for p, _masked in found] == [b.pk]
    compared = client.get(url, {"other": b.pk})
    assert compared.context["comparison"].tier == "confirmed"

    response = client.post(url, {"other": b.pk, "reason": "同一身份证号"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.merged_into == a
    assert client.get(reverse("person_detail", args=[b.pk])).context["person"].merged_into == a
    done = Merge.objects.get()
    page = client.get(reverse("person_detail", args=[a.pk])).content.decode()
    assert reverse("merge_undo", args=[done.pk]) in page

    assert client.get(reverse("merge_undo", args=[done.pk])).status_code == 405
    undone = client.post(reverse("merge_undo", args=[done.pk]))
    assert undone.status_code == 302 and undone.url == reverse("person_detail", args=[b.pk])
    b.refresh_from_db()
    assert b.merged_into is None and Mention.objects.filter(person=b).count() == 1


@pytest.mark.django_db
def test_only_office_roles_reach_the_merge_page(pair, personas, client):
    url = reverse("person_merge", args=[pair["a"].pk])
    for role in (Role.HANDLER, Role.LEADER_VIEWER, Role.AUDITOR):
        client.force_login(personas[role])
        assert client.get(url).status_code == 403, role
    for role in (Role.OFFICE_ADMIN, Role.CLUE_CUSTODIAN):
        client.force_login(personas[role])
        assert client.get(url).status_code == 200, role
