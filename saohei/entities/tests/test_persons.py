"""The person pages as users meet them: who sees which person, entering a person who may
already be held, organizations, vehicles and phones, links from clue pages, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saohei.clues.choices import Status
from saohei.clues.tests.factories import clue_in, new_clue
from saohei.entities.matching.ids import check_character
from saohei.entities.models import Mention, Organization, Person, Phone, Vehicle
from saohei.orgs.choices import Role


def valid_id(region="230602", birth="19800115", seq="123") -> str:
    first17 = f"{region}{birth}{seq}"
    return first17 + check_character(first17)


def person(user, name, id_number="", **fields) -> Person:
    """A person entered by `user`'s unit, as the create page enters one."""
    return Person.objects.create(
        name=name,
        id_number=id_number,
        jurisdiction=user.unit.jurisdiction,
        entered_by_unit=user.unit,
        **fields,
    )


def mention(source, who, role="subject", **fields) -> Mention:
    kind = source._meta.model_name
    return Mention.objects.create(**{kind: source, "person": who, "role": role, **fields})


# Scoping ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_sees_persons_of_its_clues_only(personas, other_personas, client):
    office, handler = personas[Role.OFFICE_STAFF], personas[Role.HANDLER]
    ours = clue_in(Status.VERIFYING, personas)  # assigned to the handler's police unit
    not_ours = new_clue(personas, subjects="李四")  # received, not routed: the office's only
    elsewhere = clue_in(Status.VERIFYING, other_personas)
    in_ours = person(office, "张三", valid_id(seq="111"))
    only_in_not_ours = person(office, "李四", valid_id(seq="222"))
    only_elsewhere = person(other_personas[Role.OFFICE_STAFF], "王五", valid_id(seq="333"))
    mention(ours, in_ours)
    mention(not_ours, only_in_not_ours)
    mention(elsewhere, only_elsewhere)

    assert set(Person.objects.visible_to(handler)) == {in_ours}
    assert set(Person.objects.visible_to(office)) == {in_ours, only_in_not_ours}

    client.force_login(handler)
    page = client.get(reverse("person_list"))
    assert [p.name for p in page.context["page"]] == ["张三"]
    assert client.get(reverse("person_detail", args=[in_ours.pk])).status_code == 200
    assert client.get(reverse("person_detail", args=[only_in_not_ours.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[only_elsewhere.pk])).status_code == 404

    client.force_login(office)
    names = {p.name for p in client.get(reverse("person_list")).context["page"]}
    assert names == {"张三", "李四"}

    client.force_login(other_personas[Role.HANDLER])
    api = client.get(reverse("person-list")).json()
    assert [p["name"] for p in api["results"]] == ["王五"]


@pytest.mark.django_db
def test_three_officers_reach_no_person(personas, client):
    someone = person(personas[Role.OFFICE_STAFF], "张三")
    for role in (Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDITOR):
        client.force_login(personas[role])
        assert client.get(reverse("person_detail", args=[someone.pk])).status_code == 403


@pytest.mark.django_db
def test_list_searches_folded_names_and_ids_and_masks_ids(personas, client):
    office = personas[Role.OFFICE_STAFF]
    chen = person(office, "陈小明", valid_id(seq="135"), nicknames="明哥")
    person(office, "张三", valid_id(seq="246"))
    client.force_login(office)

    def found(q):
        return [p.name for p in client.get(reverse("person_list"), {"q": q}).context["page"]]

    assert found("陳小明") == ["陈小明"]  # traditional characters fold
    assert found("明哥") == ["陈小明"]  # nickname
    assert found(chen.id_number) == ["陈小明"]  # through the blind index
    assert found(chen.id_number[:6] + chen.id_number[8:17]) == ["陈小明"]  # its 15-digit form
    assert found(valid_id(seq="999")) == []
    page = client.get(reverse("person_list")).content.decode()
    assert chen.id_number not in page
    assert f"{chen.id_number[:4]}**********{chen.id_number[-4:]}" in page
    detail = client.get(reverse("person_detail", args=[chen.pk])).content.decode()
    assert chen.id_number not in detail
    api = client.get(reverse("person-detail", args=[chen.pk])).json()
    assert api["id_number"] == f"{chen.id_number[:4]}**********{chen.id_number[-4:]}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["person_list", "person-list"])
def test_list_queries_do_not_grow_with_persons(
    url_name, personas, client, django_assert_max_num_queries
):
    office = personas[Role.OFFICE_STAFF]
    client.force_login(office)
    url = reverse(url_name)
    client.get(url)  # the first request of a session writes the session
    for i in range(3):
        person(office, f"李{i}", valid_id(seq=f"{i:03d}"))
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(17):
        person(office, f"张{i}", valid_id(seq=f"{i + 100:03d}"))
    # The session, the user and their roles, the navigation's badges (a count or a few per
    # app with a to-do: clues, transfers, the portal, rectification), then a count, the ids
    # of the page and its rows.
    with django_assert_max_num_queries(len(few)) as ctx:
        response = client.get(url)
    assert len(ctx) == len(few) <= 27
    assert response.status_code == 200
    if url_name == "person_list":
        assert len(response.context["page"]) == 20


# Entering a person --------------------------------------------------------------------------


def _form(name, id_number, **extra):
    return {
        "name": name,
        "former_names": "",
        "nicknames": "",
        "id_number": id_number,
        "phones": "",
        "addresses": "",
        "employer": "",
        "position": "",
        **extra,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["陳小明", "陈晓明"])  # traditional; homophone
def test_entering_a_held_person_offers_the_match_first(typed, personas, client):
    office = personas[Role.OFFICE_STAFF]
    held = person(office, "陈小明", valid_id(seq="135"))
    client.force_login(office)
    url = reverse("person_create")

    response = client.post(url, _form(typed, held.id_number))
    assert response.status_code == 200
    matches = response.context["matches"]
    assert [p.pk for p, _masked, _m in matches] == [held.pk]
    assert matches[0][2].tier == "confirmed" and matches[0][2].reasons
    assert Person.objects.count() == 1

    used = client.post(url, {**_form(typed, held.id_number), "use": held.pk})
    assert used.status_code == 302 and used.url == reverse("person_detail", args=[held.pk])
    assert Person.objects.count() == 1

    created = client.post(url, {**_form(typed, held.id_number), "confirm": "1"})
    assert created.status_code == 302
    new = Person.objects.exclude(pk=held.pk).get()
    assert new.name == typed and new.birth_date.isoformat() == "1980-01-15"
    assert new.entered_by_unit == office.unit


@pytest.mark.django_db
def test_entering_a_new_person_creates_at_once_and_derives_birth_and_gender(personas, client):
    handler = personas[Role.HANDLER]
    person(handler, "李四", valid_id(seq="246"))
    client.force_login(handler)
    id15 = "230602800115135"  # an old 15-digit number
    response = client.post(reverse("person_create"), _form("赵六", id15))
    created = Person.objects.get(name="赵六")
    assert response.url == reverse("person_detail", args=[created.pk])
    assert len(created.id_number) == 18 and created.gender == "M"
    assert created.birth_date.isoformat() == "1980-01-15"


@pytest.mark.django_db
def test_an_invalid_id_is_refused(personas, client):
    client.force_login(personas[Role.OFFICE_STAFF])
    bad = valid_id()[:17] + ("0" if valid_id()[17] != "0" else "1")
    response = client.post(reverse("person_create"), _form("赵六", bad))
    assert response.status_code == 200 and "id_number" in response.context["form"].errors
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_leader_viewer_cannot_enter_persons(personas, client):
    client.force_login(personas[Role.LEADER_VIEWER])
    assert client.post(reverse("person_create"), _form("赵六", "")).status_code == 403


# Organizations, vehicles, phones ------------------------------------------------------------


@pytest.mark.django_db
def test_plate_numbers_are_normalised_and_checked(personas, client):
    client.force_login(personas[Role.HANDLER])
    url = reverse("vehicle_create")
    assert client.post(url, {"plate": "黑e 12345", "description": ""}).status_code == 302
    assert Vehicle.objects.get().plate == "黑E·12345"
    again = client.post(url, {"plate": "黑E-12345", "description": "再次录入"})
    assert again.status_code == 302 and Vehicle.objects.count() == 1
    bad = client.post(url, {"plate": "12345", "description": ""})
    assert bad.status_code == 200 and "plate" in bad.context["form"].errors
    assert Vehicle.objects.count() == 1
    listed = client.get(reverse("vehicle_list"), {"q": "黑e"}).content.decode()
    assert "黑E·12345" in listed


@pytest.mark.django_db
def test_credit_codes_are_checked(personas, client):
    office = personas[Role.OFFICE_STAFF]
    boss = person(office, "张三", valid_id(seq="111"))
    client.force_login(office)
    url = reverse("organization_create")
    base = {"name": "某某砂石公司", "kind": "company", "address": "", "representative": ""}
    bad = client.post(url, {**base, "credit_code": "91230600MA1B2C3D40"})
    assert bad.status_code == 200 and "credit_code" in bad.context["form"].errors
    unknown = client.post(url, {**base, "credit_code": "", "representative": "不存在的人"})
    assert unknown.status_code == 200 and "representative" in unknown.context["form"].errors
    assert not Organization.objects.exists()
    good = client.post(
        url, {**base, "credit_code": "91230600ma1b2c3d43", "representative": boss.id_number}
    )
    assert good.status_code == 302
    org = Organization.objects.get()
    assert org.credit_code == "91230600MA1B2C3D43" and org.legal_representative == boss
    assert "某某砂石公司" in client.get(reverse("organization_list")).content.decode()


@pytest.mark.django_db
def test_phones_are_entered_in_one_form(personas, client):
    client.force_login(personas[Role.HANDLER])
    assert client.post(reverse("phone_create"), {"number": "139-0000-0000"}).status_code == 302
    assert Phone.objects.get().number == "13900000000"


# Mentions on clue and case pages ------------------------------------------------------------


@pytest.mark.django_db
def test_handler_links_and_unlinks_a_person_on_the_clue_page(personas, client):
    handler = personas[Role.HANDLER]
    clue = clue_in(Status.VERIFYING, personas)
    suspect = person(handler, "张三", valid_id(seq="111"))
    client.force_login(handler)
    page = client.get(reverse("clue_detail", args=[clue.number]))
    assert 'data-testid="mention-form"' in page.content.decode()

    found = client.get(
        reverse("mention_add"),
        {"clue": clue.number, "kind": "person", "q": "張三", "role": "suspect"},
    )
    assert [e.pk for e in found.context["results"]] == [suspect.pk]
    added = client.post(
        reverse("mention_add"),
        {"clue": clue.number, "kind": "person", "entity": suspect.pk, "role": "suspect"},
    )
    assert added.status_code == 302 and added.url == reverse("clue_detail", args=[clue.number])
    link = Mention.objects.get()
    assert (link.clue, link.person, link.role) == (clue, suspect, "suspect")
    page = client.get(reverse("clue_detail", args=[clue.number])).content.decode()
    assert reverse("person_detail", args=[suspect.pk]) in page
    detail = client.get(reverse("person_detail", args=[suspect.pk]))
    assert detail.context["groups"][0]["source"] == clue

    removed = client.post(reverse("mention_remove", args=[link.pk]))
    assert removed.status_code == 302 and not Mention.objects.exists()


@pytest.mark.django_db
def test_naming_an_informant_is_for_the_custodian_only(personas, client):
    handler, custodian = personas[Role.HANDLER], personas[Role.CLUE_CUSTODIAN]
    clue = clue_in(Status.VERIFYING, personas)
    who = person(handler, "李四", valid_id(seq="222"))
    data = {"clue": clue.number, "kind": "person", "entity": who.pk, "role": "informant"}
    client.force_login(handler)
    assert client.post(reverse("mention_add"), data).status_code == 403
    client.force_login(custodian)
    assert client.post(reverse("mention_add"), data).status_code == 302
    client.force_login(handler)
    page = client.get(reverse("clue_detail", args=[clue.number])).content.decode()
    assert reverse("person_detail", args=[who.pk]) not in page
    assert client.get(reverse("mention-list")).json()["count"] == 0


@pytest.mark.django_db
def test_a_new_person_entered_from_the_clue_page_is_linked(personas, client):
    handler = personas[Role.HANDLER]
    clue = clue_in(Status.VERIFYING, personas)
    client.force_login(handler)
    response = client.post(
        reverse("person_create"),
        {**_form("赵六", valid_id(seq="333")), "clue": clue.number, "role": "victim"},
    )
    assert response.url == reverse("clue_detail", args=[clue.number])
    assert Mention.objects.get().person.name == "赵六"


@pytest.mark.django_db
def test_mentions_on_another_units_clue_are_out_of_reach(personas, other_personas, client):
    clue = clue_in(Status.VERIFYING, personas)
    who = person(personas[Role.HANDLER], "张三")
    link = mention(clue, who)
    client.force_login(other_personas[Role.HANDLER])
    assert client.post(reverse("mention_remove", args=[link.pk])).status_code == 404
    data = {"clue": clue.number, "kind": "person", "entity": who.pk, "role": "suspect"}
    assert client.post(reverse("mention_add"), data).status_code == 404
    assert Mention.objects.count() == 1


@pytest.mark.django_db
def test_the_case_page_lists_its_mentions(personas, client):
    from saohei.cases.tests.factories import gang_case

    case = gang_case(personas, clues=1)
    suspect = person(personas[Role.HANDLER], "张三", valid_id(seq="111"))
    mention(case, suspect, role="suspect")
    client.force_login(personas[Role.HANDLER])
    page = client.get(reverse("case_detail", args=[case.number])).content.decode()
    assert reverse("person_detail", args=[suspect.pk]) in page


@pytest.mark.django_db
def test_edit_a_person_within_reach(personas, other_personas, client):
    office = personas[Role.OFFICE_STAFF]
    someone = person(office, "张三", valid_id(seq="111"))
    url = reverse("person_edit", args=[someone.pk])
    client.force_login(office)
    assert client.get(url).status_code == 200
    response = client.post(url, _form("张三", someone.id_number, nicknames="三哥"))
    assert response.status_code == 302
    someone.refresh_from_db()
    assert someone.nicknames == "三哥" and someone.aliases() == ["三哥"]
    for user in (personas[Role.LEADER_VIEWER], other_personas[Role.OFFICE_STAFF]):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)


@pytest.mark.django_db
def test_a_person_linked_as_informant_is_seen_by_the_custodian_only(personas):
    custodian, office, handler = (
        personas[Role.CLUE_CUSTODIAN],
        personas[Role.OFFICE_STAFF],
        personas[Role.HANDLER],
    )
    clue = clue_in(Status.VERIFYING, personas)  # the handler's unit verifies it
    informant = person(custodian, "举报人甲", valid_id(seq="777"))
    subject = person(custodian, "被反映人乙", valid_id(seq="779"))
    mention(clue, informant, role="informant")
    mention(clue, subject)
    assert set(Person.objects.visible_to(custodian)) == {informant, subject}
    assert set(Person.objects.visible_to(office)) == {subject}
    assert set(Person.objects.visible_to(handler)) == {subject}
