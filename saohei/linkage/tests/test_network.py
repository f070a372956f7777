"""Networks (打伞破网) on small hand-built graphs: what k steps out contains, the path from a
gang leader to the official who protected the gang, centrality, that informants and persons
out of reach never appear, the page per role and the edges as .xlsx."""

import io

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from saohei.cases import actions
from saohei.cases.choices import CaseKind, OfficialRank, SuspectRole
from saohei.cases.models import Official, Suspect
from saohei.cases.tests.factories import OPENED, gang_case
from saohei.clues.choices import Status
from saohei.clues.tests.factories import clue_in
from saohei.entities.models import Organization, Phone
from saohei.entities.tests.test_persons import mention, person, valid_id
from saohei.entities.ties import Tie, TieKind
from saohei.linkage import network
from saohei.orgs.choices import Role


def labels(graph) -> set[str]:
    return {n.label for n in graph.nodes.values()}


def tie(a, b, kind=TieKind.FAMILY):
    return Tie.objects.create(person=a, other_person=b, kind=kind)


@pytest.fixture
def umbrella(personas):
    """A gang case with its leader (a person on record, by ID number), a core member and a
    member (not on record), and the umbrella case that protected it with a court official."""
    gang = gang_case(personas, clues=1)
    leader_id = valid_id(seq="101")
    leader = person(personas[Role.OFFICE_STAFF], "张三", leader_id)
    Suspect.objects.create(case=gang, name="张三", id_number=leader_id, role=SuspectRole.LEADER)
    Suspect.objects.create(case=gang, name="李四", role=SuspectRole.CORE)
    Suspect.objects.create(case=gang, name="王五", role=SuspectRole.MEMBER)
    shield = actions.open_case(
        personas[Role.DISCIPLINE],
        name="北湖区法院执行局副局长赵六充当保护伞案",
        kind=CaseKind.UMBRELLA,
        opened_on=OPENED,
        protects=gang,
    )
    Official.objects.create(
        case=shield, name="赵六", employer="北湖区法院", position="执行局副局长",
        rank=OfficialRank.SECTION,
    )  # fmt: skip
    return {"gang": gang, "leader": leader, "shield": shield}


# k steps out --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_k_steps_out_along_ties_and_phones(personas):
    office = personas[Role.OFFICE_STAFF]
    a, b, c, d = (person(office, n, valid_id(seq=s)) for n, s in
                  (("甲", "201"), ("乙", "202"), ("丙", "203"), ("丁", "204")))  # fmt: skip
    tie(a, b, TieKind.SPOUSE)
    tie(c, b, TieKind.PARTNER)  # either direction is one step
    c.phones = "139-0000-1111"
    c.save()
    d.phones = "13900001111"
    d.save()
    Phone.objects.create(number="13900001111", jurisdiction=office.unit.jurisdiction)

    def around(k):
        return labels(network.build(office, ("person", a.pk), k=k))

    assert around(1) == {"甲", "乙"}
    assert around(2) == {"甲", "乙", "丙"}
    assert around(3) == {"甲", "乙", "丙", "13900001111"}
    graph = network.build(office, ("person", d.pk), k=2)
    assert labels(graph) == {"丁", "13900001111", "丙"}  # a shared phone joins them
    assert {n.depth for n in graph.nodes.values()} == {0, 1, 2}


@pytest.mark.django_db
def test_k_steps_out_through_cases(personas, umbrella):
    admin = personas[Role.OFFICE_ADMIN]  # the office head reads umbrella cases
    gang, shield = umbrella["gang"], umbrella["shield"]

    def around(k):
        return network.build(admin, ("person", umbrella["leader"].pk), k=k)

    one, two, three = around(1), around(2), around(3)
    assert labels(one) == {"张三", str(gang)}
    clue = gang.clues.get()
    assert labels(two) == {"张三", str(gang), "李四", "王五", str(shield), clue.number}
    assert labels(three) == labels(two) | {"赵六"}
    kinds = {e.kind for e in three.edges.values()}
    assert {"suspect", "protects", "official", "source"} <= kinds
    leader = three.nodes[f"person:{umbrella['leader'].pk}"]
    assert leader.gang and leader.role == "leader"
    official = next(n for n in three.nodes.values() if n.label == "赵六")
    assert official.official and official.kind == "named"


@pytest.mark.django_db
def test_node_cap_truncates(personas):
    office = personas[Role.OFFICE_STAFF]
    hub = person(office, "中心")
    for i in range(6):
        tie(hub, person(office, f"亲属{i}"))
    graph = network.build(office, ("person", hub.pk), k=1, max_nodes=4)
    assert len(graph.nodes) == 4 and graph.truncated
    assert not network.build(office, ("person", hub.pk), k=1).truncated


# Paths and centrality -----------------------------------------------------------------------


@pytest.mark.django_db
def test_path_from_gang_leader_to_umbrella_official(personas, umbrella):
    graph = network.build(personas[Role.OFFICE_ADMIN], ("person", umbrella["leader"].pk), k=3)
    result = network.analyse(graph)
    first = result.paths[0]
    assert (first.member.label, first.official.label, first.length) == ("张三", "赵六", 3)
    assert [n.label for n, _ in first.steps] == [
        "张三", str(umbrella["gang"]), str(umbrella["shield"]), "赵六",
    ]  # fmt: skip
    assert [e.kind for _, e in first.steps[:-1]] == ["suspect", "protects", "official"]
    # Every gang member reaches the official: one row, from the leader, counting the three.
    assert [(p.member.label, p.length, p.reached_by) for p in result.paths] == [("张三", 3, 3)]
    assert result.paths_total == 3


@pytest.mark.django_db
def test_network_of_the_gang_case_and_of_a_suspect_not_on_record(personas, umbrella):
    admin = personas[Role.OFFICE_ADMIN]
    graph = network.build(admin, ("case", umbrella["gang"].pk), k=2)
    assert "赵六" in labels(graph)
    assert network.analyse(graph).paths[0].length == 3
    core = Suspect.objects.get(name="李四")
    around = network.build(admin, ("suspect", core.pk), k=1)
    assert labels(around) == {"李四", str(umbrella["gang"])}
    leader = Suspect.objects.get(name="张三")  # resolves to the person by ID number
    assert network.build(admin, ("suspect", leader.pk), k=1).center == (
        f"person:{umbrella['leader'].pk}"
    )


def test_centrality_ranks_the_broker_first():
    """Hand-built: H joins three members, M1 knows the official O. H lies on most shortest
    connections, so it ranks first though M1 alone reaches the official directly."""
    graph = network.Graph(center="H", k=2)
    for name, gang in (("H", True), ("M1", True), ("M2", True), ("M3", True), ("X", False)):
        graph.add_node(network.Node(id=name, kind="named", label=name, depth=0, gang=gang))
    graph.add_node(network.Node(id="O", kind="named", label="O", depth=0, official=True))
    for a, b in (("H", "M1"), ("H", "M2"), ("H", "M3"), ("M1", "O"), ("M3", "X")):
        graph.add_edge(a, b, "tie", "friend")
    result = network.analyse(graph)
    ranking = [(r.node.label, r.degree) for r in result.centrality]
    assert ranking == [("H", 3), ("M1", 2), ("M3", 2), ("M2", 1)]
    assert result.centrality[0].betweenness > result.centrality[1].betweenness > 0
    assert [r.node.label for r in result.centrality if r.suggested_core] == ["H", "M1", "M3"]
    assert [(p.member.label, p.length, p.reached_by) for p in result.paths] == [("M1", 1, 4)]
    assert result.paths_total == 4
    # A second official beyond M2: its row starts from the member nearest to it.
    graph.add_node(network.Node(id="P", kind="named", label="P", depth=0, official=True))
    graph.add_edge("M2", "P", "tie", "friend")
    paths = network.analyse(graph).paths
    assert [(p.official.label, p.member.label, p.length) for p in paths] == [
        ("O", "M1", 1), ("P", "M2", 1),
    ]  # fmt: skip
    assert [n.label for n, _ in network.analyse(graph).paths[0].steps] == ["M1", "O"]


# Who sees what ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_office_staff_does_not_see_the_umbrella_case(personas, umbrella):
    graph = network.build(personas[Role.OFFICE_STAFF], ("person", umbrella["leader"].pk), k=3)
    assert str(umbrella["shield"]) not in labels(graph)
    assert "赵六" not in labels(graph)
    assert network.analyse(graph).paths == []


@pytest.mark.django_db
def test_informants_and_persons_out_of_reach_never_appear(personas, other_personas):
    office, custodian = personas[Role.OFFICE_STAFF], personas[Role.CLUE_CUSTODIAN]
    clue = clue_in(Status.VERIFYING, personas)
    subject = person(office, "被反映人")
    informant = person(office, "举报人")
    mention(clue, subject, "subject")
    mention(clue, informant, "informant")
    tie(subject, informant, TieKind.FRIEND)
    elsewhere = person(other_personas[Role.OFFICE_STAFF], "外区人员")
    tie(subject, elsewhere, TieKind.FAMILY)
    for user in (office, custodian, personas[Role.HANDLER]):
        graph = network.build(user, ("person", subject.pk), k=3)
        assert "举报人" not in labels(graph) or user == custodian
        assert "外区人员" not in labels(graph)
        assert not any(e.label == "informant" for e in graph.edges.values())
    # The custodian may read the informant's record, but the network never shows who reported
    # whom: the informant is drawn through the tie only, never through the clue.
    graph = network.build(custodian, ("person", subject.pk), k=3)
    informant_id = f"person:{informant.pk}"
    assert all(
        e.kind == "tie" for e in graph.edges.values() if informant_id in (e.source, e.target)
    )
    with pytest.raises(LookupError):
        network.build(office, ("person", informant.pk), k=1)
    with pytest.raises(LookupError):
        network.build(office, ("person", elsewhere.pk), k=1)


@pytest.mark.django_db
def test_tie_joins_a_person_to_a_person_or_an_organization(personas):
    office = personas[Role.OFFICE_STAFF]
    a, b = person(office, "甲"), person(office, "乙")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.objects.create(person=a, other_person=b, kind=TieKind.SHAREHOLDER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.objects.create(person=a, other_person=a, kind=TieKind.FAMILY)
    t = tie(a, b)
    assert list(Tie.objects.visible_to(office)) == [t]
    assert list(Tie.objects.visible_to(personas[Role.HANDLER])) == []
    assert list(Tie.objects.visible_to(personas[Role.AUDITOR])) == []


# Pages --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_per_role(personas, umbrella, client):
    url = reverse("network", args=["person", umbrella["leader"].pk]) + "?k=3"
    expected = {
        Role.OFFICE_ADMIN: 200,
        Role.OFFICE_STAFF: 200,
        Role.CLUE_CUSTODIAN: 200,
        Role.LEADER_VIEWER: 200,
        Role.HANDLER: 404,  # the person is in no clue or case of the police unit
        Role.UNIT_LEADER: 404,
        Role.DISCIPLINE: 404,
        Role.SYSADMIN: 403,
        Role.SECURITY_ADMIN: 403,
        Role.AUDITOR: 403,
    }
    for role, status in expected.items():
        client.force_login(personas[role])
        assert client.get(url).status_code == status, role
    client.force_login(personas[Role.OFFICE_ADMIN])
    page = client.get(url)
    assert [(p["member"].label, p["official"].label) for p in page.context["paths"]][0] == (
        "张三", "赵六",
    )  # fmt: skip
    assert page.context["centrality"][0].node.label in {"张三", "李四", "王五"}
    assert b'id="network-data"' in page.content
    # The gang case's page reaches the same network for the police who handle it.
    client.force_login(personas[Role.HANDLER])
    case_url = reverse("network", args=["case", umbrella["gang"].pk])
    assert client.get(case_url).status_code == 200
    assert client.get(reverse("network", args=["galaxy", 1])).status_code == 404


@pytest.mark.django_db
def test_edges_as_xlsx(personas, umbrella, client):
    client.force_login(personas[Role.OFFICE_ADMIN])
    url = reverse("network_edges", args=["person", umbrella["leader"].pk]) + "?k=3"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    graph = network.build(personas[Role.OFFICE_ADMIN], ("person", umbrella["leader"].pk), k=3)
    assert len(rows) == len(graph.edges)
    assert any("赵六" in (r[0], r[4]) for r in rows)
    client.force_login(personas[Role.AUDITOR])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_official_mentioned_by_the_case_is_that_person(personas, umbrella):
    """An official (or a suspect without ID number) whom the case also mentions as a person
    is one node: the person, with the official's role."""
    admin = personas[Role.OFFICE_ADMIN]
    judge = person(admin, "赵六", employer="北湖区人民法院")
    mention(umbrella["shield"], judge, "official")
    graph = network.build(admin, ("person", umbrella["leader"].pk), k=3)
    named = [n for n in graph.nodes.values() if n.label == "赵六"]
    assert [(n.kind, n.official) for n in named] == [("person", True)]
    assert network.analyse(graph).paths[0].official.id == f"person:{judge.pk}"


@pytest.mark.django_db
def test_ties_added_and_removed_from_the_network_page(personas, client):
    office = personas[Role.OFFICE_STAFF]
    a = person(office, "甲", valid_id(seq="301"))
    b = person(office, "乙", valid_id(seq="302"))
    add = reverse("tie_add", args=[a.pk])
    client.force_login(personas[Role.LEADER_VIEWER])  # leaders read, they do not add
    assert client.post(add, {"kind": "spouse", "other": "乙"}).status_code == 403
    client.force_login(personas[Role.HANDLER])  # the person is out of the police's reach
    assert client.post(add, {"kind": "spouse", "other": "乙"}).status_code == 404
    client.force_login(office)
    assert client.post(add, {"kind": "spouse", "other": "乙", "source": "户籍"}).status_code == 302
    assert client.post(add, {"kind": "spouse", "other": "丙"}).status_code == 302  # no match
    assert client.post(add, {"kind": "shareholder", "other": "乙"}).status_code == 302
    t = Tie.objects.get()
    assert (t.person, t.other_person, t.kind, t.source) == (a, b, "spouse", "户籍")
    page = client.get(reverse("network", args=["person", b.pk]))
    assert list(page.context["ties"]) == [t] and page.context["can_tie"]
    assert client.post(add, {"kind": "spouse", "other": "乙"}).status_code == 302  # once
    assert Tie.objects.count() == 1
    client.post(reverse("tie_remove", args=[t.pk]))
    assert not Tie.objects.exists()


@pytest.mark.django_db
def test_organization_network_and_queries_per_step(personas):
    office = personas[Role.OFFICE_STAFF]
    boss, partner = person(office, "老板"), person(office, "股东")
    firm = Organization.objects.create(
        name="顺通物流公司", jurisdiction=office.unit.jurisdiction, legal_representative=boss
    )
    Tie.objects.create(person=partner, organization=firm, kind=TieKind.SHAREHOLDER)
    graph = network.build(office, ("organization", firm.pk), k=1)
    assert labels(graph) == {"顺通物流公司", "老板", "股东"}
    assert {e.label for e in graph.edges.values()} == {"legal_rep", "shareholder"}

    def queries(n):
        hub = person(office, f"中心{n}")
        for i in range(n):
            near = person(office, f"人{n}-{i}")
            tie(hub, near)
            tie(near, person(office, f"远{n}-{i}"))
        with CaptureQueriesContext(connection) as ctx:
            graph = network.build(office, ("person", hub.pk), k=2)
        assert len(graph.nodes) == 1 + 2 * n
        return len(ctx.captured_queries)

    assert queries(2) == queries(8)  # batched per step, not per node


@pytest.mark.django_db
def test_a_suspect_out_of_reach_draws_no_one(personas, other_personas):
    """A suspect of another district's case with the person's ID number: neither the case
    nor another person holding that number is drawn."""
    office = personas[Role.OFFICE_STAFF]
    number = valid_id(seq="401")
    someone = person(office, "甲", number)
    person(office, "甲某", number)  # the same ID entered twice, not yet merged
    theirs = gang_case(other_personas, clues=1, name="外区案件")
    Suspect.objects.create(case=theirs, name="甲", id_number=number, role=SuspectRole.LEADER)
    assert labels(network.build(office, ("person", someone.pk), k=2)) == {"甲"}
