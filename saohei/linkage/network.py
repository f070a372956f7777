"""Networks (打伞破网): the graph around a person, organization, clue or case, k steps out, and
what it says — the shortest paths from gang members to public officials, and which members
are central enough to be the core.

The graph is read from the database breadth-first, one batch of queries per step. Every row
that becomes a node is read through `visible_to(user)`, and an edge is drawn only between two
nodes already drawn — which is exactly when the user may read it: a mention, a suspect or an
official is visible with its clue or case, a tie when both its ends are. So the rows that only
link (mentions, ties, suspects, officials, case-to-clue and umbrella links) are read without
the scoping subqueries — building those for every batch took most of a view's time — and
cannot show anything the nodes do not. A mention as informant is never an edge, whoever looks
(DESIGN §4: the informant's identity is the custodian's alone, and a network must not show who
reported whom).

Nodes: persons, organizations, vehicles, phones, clues, cases; and suspects or officials of
a case that resolve to no person (suspects are resolved by ID number to a visible person;
otherwise they, like officials, are their own node keyed by case and name).

Edges, undirected, by kind:
- mention: a clue or case mentions an entity in a role (subject, suspect, victim, witness,
  official involved);
- suspect / official: a case's suspect (leader, core, member) or official involved. Co-suspects
  meet through their case, two steps apart, rather than by a clique of edges: a gang of nine
  draws as a star, not as 36 crossing lines, and a path reads "A → case → B";
- tie: family and business ties (saohei.entities.ties), and an organization's legal
  representative;
- phone: a person uses a phone (the number among the person's phones) — two persons sharing
  a phone, or a phone and a vehicle mentioned in two clues, meet at the phone or vehicle node;
- protects: an umbrella case and the gang case whose protection it investigated;
- source: a case and the clue it was opened from.

The graph library is rustworkx (bench/bench_graph.py: as fast as igraph on the operations we
use, several times faster than networkx, Apache-licensed, and node indices that stay put when
nodes are added).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rustworkx as rx
from django.db.models import Q
from django.urls import reverse

from saohei.cases.choices import GANG_KINDS, CaseKind, SuspectRole
from saohei.core.normalize import normalize_phone
from saohei.entities.models import Mention, Organization, Person, Phone, Vehicle, split_list
from saohei.entities.ties import Tie

MAX_NODES = 400
MAX_K = 3
PATH_ROWS = 40
CORE_SUGGESTED = 3

# Colour classes, in order of precedence for a person (a ringleader who is also a victim of
# another clue is drawn as the ringleader).
PERSON_ROLES = (
    "leader",
    "core",
    "member",
    "suspect",
    "official",
    "subject",
    "victim",
    "witness",
)
RANK = {SuspectRole.LEADER: 0, SuspectRole.CORE: 1, SuspectRole.MEMBER: 2}


@dataclass
class Node:
    id: str
    kind: str  # person organization vehicle phone clue case named
    label: str
    depth: int
    pk: int | None = None
    roles: set[str] = field(default_factory=set)
    official: bool = False
    gang: bool = False
    detail_url: str = ""
    network: tuple[str, int] | None = None  # (kind, pk) to centre a network on it
    note: str = ""

    @property
    def role(self) -> str:
        """The colour class."""
        if self.kind == "case":
            return self.note if self.note in ("gang_case", "umbrella_case") else "case"
        if self.kind in ("person", "named"):
            return next((r for r in PERSON_ROLES if r in self.roles), "person")
        return self.kind

    @property
    def rank(self) -> int:
        """Leader, core, member as recorded (for ordering)."""
        return min(
            (RANK[r] for r in self.roles if r in RANK),
            default=3,
        )


@dataclass
class Edge:
    source: str
    target: str
    kind: str  # mention suspect official tie phone protects source
    label: str = ""  # the role or tie, as a display value
    note: str = ""


@dataclass
class Graph:
    center: str
    k: int
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple, Edge] = field(default_factory=dict)
    truncated: bool = False
    max_nodes: int = MAX_NODES

    def add_node(self, node: Node) -> Node | None:
        """The node as held (the one already there, or this new one); None when the cap is
        reached."""
        held = self.nodes.get(node.id)
        if held is not None:
            return held
        if len(self.nodes) >= self.max_nodes:
            self.truncated = True
            return None
        self.nodes[node.id] = node
        return node

    def add_edge(self, a: str, b: str, kind: str, label: str = "", note: str = "") -> None:
        if a == b or a not in self.nodes or b not in self.nodes:
            return
        key = (*sorted((a, b)), kind, label)
        self.edges.setdefault(key, Edge(a, b, kind, label, note))


# Node makers --------------------------------------------------------------------------------


def _person(p: Person, depth: int) -> Node:
    return Node(
        id=f"person:{p.pk}",
        kind="person",
        label=p.name,
        depth=depth,
        pk=p.pk,
        official=p.is_public_official,
        detail_url=reverse("person_detail", args=[p.pk]),
        network=("person", p.pk),
        note=" ".join(x for x in (p.employer, p.position) if x),
    )


def _organization(o: Organization, depth: int) -> Node:
    return Node(
        id=f"organization:{o.pk}",
        kind="organization",
        label=o.name,
        depth=depth,
        pk=o.pk,
        official=False,
        network=("organization", o.pk),
    )


def _vehicle(v: Vehicle, depth: int) -> Node:
    return Node(id=f"vehicle:{v.pk}", kind="vehicle", label=v.plate, depth=depth, pk=v.pk)


def _phone(p: Phone, depth: int) -> Node:
    return Node(id=f"phone:{p.pk}", kind="phone", label=p.number, depth=depth, pk=p.pk)


def _clue(c, depth: int) -> Node:
    return Node(
        id=f"clue:{c.pk}",
        kind="clue",
        label=c.number,
        depth=depth,
        pk=c.pk,
        detail_url=reverse("clue_detail", args=[c.number]),
        network=("clue", c.pk),
        note=c.get_category_display(),
    )


def _case(c, depth: int) -> Node:
    note = (
        "gang_case"
        if c.kind in GANG_KINDS
        else "umbrella_case"
        if c.kind == CaseKind.UMBRELLA
        else ""
    )
    return Node(
        id=f"case:{c.pk}",
        kind="case",
        label=f"{c.number} {c.name}",
        depth=depth,
        pk=c.pk,
        detail_url=reverse("case_detail", args=[c.number]),
        network=("case", c.pk),
        note=note,
    )


def _named(case_id: int, name: str, depth: int, network: tuple[str, int]) -> Node:
    return Node(
        id=f"named:{case_id}:{name}",
        kind="named",
        label=name,
        depth=depth,
        network=network,
    )


ENTITY_MAKERS = {
    "person": _person,
    "organization": _organization,
    "vehicle": _vehicle,
    "phone": _phone,
}
ENTITY_MODELS = {"person": Person, "organization": Organization, "vehicle": Vehicle, "phone": Phone}


def _visible(user):
    from saohei.cases.models import Case
    from saohei.clues.models import Clue

    return {
        "person": Person.objects.visible_to(user).current().defer("id_number"),
        "organization": Organization.objects.visible_to(user),
        "vehicle": Vehicle.objects.visible_to(user),
        "phone": Phone.objects.visible_to(user),
        "clue": Clue.objects.visible_to(user),
        "case": Case.objects.visible_to(user),
    }


def _phone_numbers(person: Person) -> set[str]:
    return {n for n in (normalize_phone(x) for x in split_list(person.phones)) if len(n) >= 7}


# Building -----------------------------------------------------------------------------------


class _Builder:
    def __init__(self, user, graph: Graph):
        self.user = user
        self.graph = graph
        self.seen = _visible(user)
        self.objects: dict[str, object] = {}  # node id -> its row, for expanding it
        # (case pk, name) -> the person node a case mentions under that name: a suspect or
        # official without an ID number on record is that person, not a node of their own.
        self.in_case: dict[tuple[int, str], Node] = {}

    def add(self, kind: str, obj, depth: int, new: list[str]) -> Node | None:
        node_id = f"{kind}:{obj.pk}"
        if node_id in self.graph.nodes:
            return self.graph.nodes[node_id]
        maker = {**ENTITY_MAKERS, "clue": _clue, "case": _case}[kind]
        node = self.graph.add_node(maker(obj, depth))
        if node is not None:
            self.objects[node_id] = obj
            new.append(node_id)
        return node

    def fetch(self, kind: str, pks) -> list:
        pks = {pk for pk in pks if pk and f"{kind}:{pk}" not in self.graph.nodes}
        if not pks:
            return []
        return list(self.seen[kind].filter(pk__in=pks).order_by("pk"))

    def step(self, frontier: list[str], depth: int) -> list[str]:
        """Expand the frontier nodes by one step; the ids of the nodes added."""
        graph = self.graph
        new: list[str] = []
        ids: dict[str, set] = {}
        for node_id in frontier:
            kind, _, rest = node_id.partition(":")
            ids.setdefault(kind, set()).add(rest if kind == "named" else int(rest))

        # Mentions from and to the frontier (never as informant).
        cond = Q(pk__in=[])
        for kind in ("person", "organization", "vehicle", "phone", "clue", "case"):
            if ids.get(kind):
                cond |= Q(**{f"{kind}_id__in": ids[kind]})
        mentions = list(Mention.objects.filter(cond).exclude(role="informant").order_by("pk"))
        wanted: dict[str, set] = {}
        for m in mentions:
            for kind in ("person", "organization", "vehicle", "phone", "clue", "case"):
                pk = getattr(m, f"{kind}_id")
                if pk:
                    wanted.setdefault(kind, set()).add(pk)

        # Ties.
        ties = []
        if ids.get("person") or ids.get("organization"):
            ties = list(
                Tie.objects.filter(
                    Q(person_id__in=ids.get("person", ()))
                    | Q(other_person_id__in=ids.get("person", ()))
                    | Q(organization_id__in=ids.get("organization", ()))
                ).order_by("pk")
            )
            for t in ties:
                wanted.setdefault("person", set()).update({t.person_id, t.other_person_id})
                if t.organization_id:
                    wanted.setdefault("organization", set()).add(t.organization_id)
        # Legal representatives.
        represented = []
        if ids.get("person") or ids.get("organization"):
            represented = list(
                Organization.objects.filter(
                    Q(legal_representative_id__in=ids.get("person", ()))
                    | Q(pk__in=ids.get("organization", ()))
                )
                .exclude(legal_representative=None)
                .order_by("pk")
            )
            for o in represented:
                wanted.setdefault("person", set()).add(o.legal_representative_id)
                wanted.setdefault("organization", set()).add(o.pk)

        # Phones used by persons, persons using phones.
        person_phones: list[tuple[int, str]] = []
        for pk in ids.get("person", ()):
            obj = self.objects.get(f"person:{pk}")
            for number in _phone_numbers(obj) if obj else ():
                person_phones.append((pk, number))
        phone_rows = []
        if person_phones:
            phone_rows = list(
                self.seen["phone"].filter(number__in={n for _, n in person_phones}).order_by("pk")
            )
        phone_users = []
        frontier_phones = [self.objects[f"phone:{pk}"] for pk in ids.get("phone", ())]
        if frontier_phones:
            # Phones are typed as users write them (139-0000-1111): narrow by the last four
            # digits in the database, decide on the normalized numbers.
            cond = Q(pk__in=[])
            for p in frontier_phones:
                cond |= Q(phones__contains=p.number[-4:])
            numbers = {p.number for p in frontier_phones}
            phone_users = [
                p
                for p in self.seen["person"].filter(cond).order_by("pk")
                if _phone_numbers(p) & numbers
            ]

        # Suspects and officials of frontier cases; cases of frontier persons as suspects.
        suspects, officials = self._case_people(ids, wanted)

        # Cases and clues around frontier cases and clues.
        case_links = self._case_links(ids, wanted)

        # The rows for every wanted node not yet drawn, visible ones only, in a fixed order.
        rows: dict[str, dict[int, object]] = {}
        for kind in ("case", "clue", "person", "organization", "vehicle", "phone"):
            rows[kind] = {o.pk: o for o in self.fetch(kind, wanted.get(kind, ()))}
        rows["phone"].update({p.pk: p for p in phone_rows})
        rows["person"].update({p.pk: p for p in phone_users})
        for kind in ("case", "clue", "person", "organization", "vehicle", "phone"):
            for pk in sorted(rows[kind]):
                self.add(kind, rows[kind][pk], depth, new)

        # Edges among the nodes now drawn.
        for m in mentions:
            source = f"clue:{m.clue_id}" if m.clue_id else f"case:{m.case_id}"
            kind, pk = next(
                (k, getattr(m, f"{k}_id"))
                for k in ("person", "organization", "vehicle", "phone")
                if getattr(m, f"{k}_id")
            )
            target = f"{kind}:{pk}"
            graph.add_edge(source, target, "mention", m.role)
            node = graph.nodes.get(target)
            if node is not None and source in graph.nodes:
                if m.case_id and kind == "person":
                    self.in_case.setdefault((m.case_id, node.label), node)
                node.roles.add(m.role)
                if m.role == "official":
                    node.official = True
                if m.role == "suspect" and graph.nodes[source].note == "gang_case":
                    node.gang = True
                    node.roles.add(SuspectRole.MEMBER)
        for t in ties:
            other = f"person:{t.other_person_id}" if t.other_person_id else None
            other = other or f"organization:{t.organization_id}"
            graph.add_edge(f"person:{t.person_id}", other, "tie", t.kind, t.note)
        for o in represented:
            graph.add_edge(
                f"person:{o.legal_representative_id}", f"organization:{o.pk}", "tie", "legal_rep"
            )
        for pk, number in person_phones:
            for p in phone_rows:
                if p.number == number:
                    graph.add_edge(f"person:{pk}", f"phone:{p.pk}", "phone")
        for p in phone_users:
            for phone in frontier_phones:
                if phone.number in _phone_numbers(p):
                    graph.add_edge(f"person:{p.pk}", f"phone:{phone.pk}", "phone")
        for a, b, kind in case_links:
            graph.add_edge(a, b, kind)
        self._people_edges(suspects, officials, depth, new)
        return new

    def _case_people(self, ids, wanted):
        from saohei.cases.models import Official, Suspect

        cases = set(ids.get("case", ()))
        named_cases = {int(n.split(":", 1)[0]) for n in ids.get("named", ())}
        # Frontier persons who are suspects (by ID number), and the cases they are in.
        indexes = {
            self.objects[f"person:{pk}"].id_index
            for pk in ids.get("person", ())
            if self.objects.get(f"person:{pk}") is not None
        } - {""}
        suspects = list(
            Suspect.objects.filter(Q(case_id__in=cases | named_cases) | Q(id_index__in=indexes))
            .select_related("case")
            .defer("id_number", "case__summary")
            .order_by("case_id", "pk")
        )
        officials = list(
            Official.objects.filter(case_id__in=cases | named_cases)
            .select_related("case")
            .order_by("case_id", "pk")
        )
        # A named frontier node reaches its own case only, not its co-suspects (two steps).
        named = set(ids.get("named", ()))

        def near(row, by_index=False):
            return (
                row.case_id in cases
                or f"{row.case_id}:{row.name}" in named
                or (by_index and row.id_index in indexes)
            )

        suspects = [s for s in suspects if near(s, by_index=True)]
        officials = [o for o in officials if near(o)]
        for row in [*suspects, *officials]:
            wanted.setdefault("case", set()).add(row.case_id)
        # Suspects resolved to visible persons by ID number: a frontier person is itself; the
        # suspects of frontier cases are looked up (only those: a person is never drawn for a
        # suspect whose case is out of reach).
        self.resolved = {
            obj.id_index: obj
            for pk in ids.get("person", ())
            if (obj := self.objects.get(f"person:{pk}")) is not None and obj.id_index
        }
        by_index = {s.id_index for s in suspects if s.id_index and s.case_id in cases}
        by_index -= set(self.resolved)
        if by_index:
            for p in self.seen["person"].filter(id_index__in=by_index).order_by("pk"):
                self.resolved.setdefault(p.id_index, p)
                wanted.setdefault("person", set()).add(p.pk)
        return suspects, officials

    def _people_edges(self, suspects, officials, depth, new):
        graph = self.graph
        for s in suspects:
            case_id = f"case:{s.case_id}"
            if case_id not in graph.nodes:
                continue
            person = self.resolved.get(s.id_index) if s.id_index else None
            if person is not None:
                node = graph.nodes.get(f"person:{person.pk}") or self.add(
                    "person", person, depth, new
                )
            elif (s.case_id, s.name) in self.in_case:
                node = self.in_case[(s.case_id, s.name)]
            else:
                node = graph.nodes.get(f"named:{s.case_id}:{s.name}")
                if node is None:
                    node = graph.add_node(_named(s.case_id, s.name, depth, ("suspect", s.pk)))
                    if node is not None:
                        new.append(node.id)
            if node is None:
                continue
            node.roles.update({s.role, "suspect"})
            if s.is_public_official:
                node.official = True
            if s.case.kind in GANG_KINDS:
                node.gang = True
            graph.add_edge(case_id, node.id, "suspect", s.role)
        for o in officials:
            case_id = f"case:{o.case_id}"
            if case_id not in graph.nodes:
                continue
            node = self.in_case.get((o.case_id, o.name)) or graph.nodes.get(
                f"named:{o.case_id}:{o.name}"
            )
            if node is None:
                node = graph.add_node(_named(o.case_id, o.name, depth, ("official", o.pk)))
                if node is not None:
                    new.append(node.id)
            if node is None:
                continue
            node.roles.add("official")
            node.official = node.official or o.is_public_official
            node.note = " ".join(x for x in (o.employer, o.position) if x)
            graph.add_edge(case_id, node.id, "official", o.get_outcome_display())

    def _case_links(self, ids, wanted) -> list[tuple[str, str, str]]:
        from saohei.cases.models import Case

        links = []
        cases, clues = ids.get("case", set()), ids.get("clue", set())
        if cases:
            for c in Case.objects.filter(Q(pk__in=cases) | Q(protects_id__in=cases)).only(
                "pk", "protects_id"
            ):
                if c.protects_id and (c.pk in cases or c.protects_id in cases):
                    links.append((f"case:{c.pk}", f"case:{c.protects_id}", "protects"))
                    wanted.setdefault("case", set()).update({c.pk, c.protects_id})
        if cases or clues:
            through = Case.clues.through.objects.filter(
                Q(case_id__in=cases) | Q(clue_id__in=clues)
            ).order_by("pk")
            for row in through:
                links.append((f"case:{row.case_id}", f"clue:{row.clue_id}", "source"))
                wanted.setdefault("case", set()).add(row.case_id)
                wanted.setdefault("clue", set()).add(row.clue_id)
        return links


def center_of(user, kind: str, pk: int):
    """(graph kind, row) of the centre, or None when the user may not see it. A suspect
    resolves to its person by ID number, else to its own node (kind "named")."""
    from saohei.cases.models import Official, Suspect

    seen = _visible(user)
    if kind in seen:
        obj = seen[kind].filter(pk=pk).first()
        return (kind, obj) if obj is not None else None
    if kind == "suspect":
        s = Suspect.objects.visible_to(user).select_related("case").filter(pk=pk).first()
        if s is None:
            return None
        person = s.id_index and seen["person"].filter(id_index=s.id_index).order_by("pk").first()
        return ("person", person) if person else ("named", s)
    if kind == "official":
        o = Official.objects.visible_to(user).select_related("case").filter(pk=pk).first()
        return ("named", o) if o else None
    return None


def build(user, center: tuple[str, int], k: int = 2, max_nodes: int = MAX_NODES) -> Graph:
    """The graph `k` steps around `center` = (kind, pk) as `user` may see it. Raises
    LookupError when the centre is out of reach."""
    k = max(1, min(MAX_K, int(k)))
    found = center_of(user, *center)
    if found is None or found[1] is None:
        raise LookupError(center)
    kind, obj = found
    builder = _Builder(user, Graph(center="", k=k, max_nodes=max_nodes))
    graph = builder.graph
    if kind == "named":
        is_suspect = obj._meta.model_name == "suspect"
        node = _named(obj.case_id, obj.name, 0, ("suspect" if is_suspect else "official", obj.pk))
        graph.add_node(node)
        frontier = [node.id]
    else:
        frontier = []
        builder.add(kind, obj, 0, frontier)
    graph.center = frontier[0]
    for depth in range(1, k + 1):
        if not frontier:
            break
        frontier = builder.step(frontier, depth)
    return graph


# What the graph says ------------------------------------------------------------------------


@dataclass
class PathRow:
    member: Node
    official: Node
    steps: list[tuple[Node, Edge | None]]  # each node with the edge that leads to the next
    reached_by: int = 1  # gang members who reach this official within the graph

    @property
    def length(self) -> int:
        return len(self.steps) - 1


@dataclass
class CentralityRow:
    node: Node
    betweenness: float
    degree: int
    suggested_core: bool = False


@dataclass
class Analysis:
    paths: list[PathRow]  # one per official reached
    paths_total: int  # (member, official) pairs joined by a path
    centrality: list[CentralityRow]


def to_rustworkx(graph: Graph) -> tuple[rx.PyGraph, list[str], dict[str, int]]:
    g = rx.PyGraph(multigraph=False)
    order = list(graph.nodes)
    index = {node_id: g.add_node(node_id) for node_id in order}
    g.add_edges_from([(index[e.source], index[e.target], key) for key, e in graph.edges.items()])
    return g, order, index


def analyse(graph: Graph, path_rows: int = PATH_ROWS) -> Analysis:
    """For each public official a gang member reaches, the shortest path from the gang (the
    shortest first, the leader before core and ordinary members), with the number of members
    who reach that official; and gang members ranked by betweenness centrality.

    Betweenness rather than degree: degree counts how often someone is mentioned, which a
    talkative victim or a much-reported minor member wins; betweenness counts how many of the
    shortest connections between everyone else pass through a person — the broker between the
    gang, its companies, its vehicles and its protectors, which is what the core of a gang is.
    Degree is shown beside it and breaks ties."""
    g, order, index = to_rustworkx(graph)
    nodes = graph.nodes
    members = sorted(
        (n for n in nodes.values() if n.gang),
        key=lambda n: (n.rank, n.label, n.id),
    )
    officials = sorted((n for n in nodes.values() if n.official), key=lambda n: (n.label, n.id))
    rows: list[PathRow] = []
    for official in officials:
        paths = rx.dijkstra_shortest_paths(g, index[official.id], default_weight=1.0)
        for member in members:
            if member.id == official.id or index[member.id] not in paths:
                continue
            ids = [order[i] for i in reversed(list(paths[index[member.id]]))]
            steps = []
            for a, b in zip(ids, [*ids[1:], None], strict=True):
                edge = g.get_edge_data(index[a], index[b]) if b is not None else None
                steps.append((nodes[a], graph.edges[edge] if edge else None))
            rows.append(PathRow(member=member, official=official, steps=steps))
    rows.sort(key=lambda r: (r.length, r.member.rank, r.member.label, r.official.label))
    # One row per official: the shortest path from the highest-ranked member, and how many
    # members reach the official at all (nine members of one gang and four officials of its
    # umbrella case would otherwise be 36 rows saying the same thing).
    best: dict[str, PathRow] = {}
    for row in rows:
        if row.official.id in best:
            best[row.official.id].reached_by += 1
        else:
            best[row.official.id] = row
    pairs, rows = len(rows), list(best.values())

    betweenness = dict(rx.betweenness_centrality(g, normalized=True)) if len(g) > 2 else {}
    ranking = [
        CentralityRow(
            node=m,
            betweenness=round(float(betweenness.get(index[m.id], 0.0)), 4),
            degree=g.degree(index[m.id]),
        )
        for m in members
    ]
    ranking.sort(key=lambda r: (-r.betweenness, -r.degree, r.node.rank, r.node.label))
    for row in ranking[:CORE_SUGGESTED]:
        row.suggested_core = row.betweenness > 0 or row.degree > 1
    return Analysis(paths=rows[:path_rows], paths_total=pairs, centrality=ranking)
