"""The network page (打伞破网): the graph around a person, organization, clue or case drawn
with Cytoscape.js, the shortest paths from gang members to public officials and the
centrality ranking beside it, and its edges as an .xlsx ledger. The graph and what it says
come from saohei.linkage.network; this module only turns them into a page or a sheet."""

from __future__ import annotations

import json

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saohei.cases.choices import SuspectRole
from saohei.core.decorators import require_perm
from saohei.core.xlsx import attachment_response, write_ledger_sheet
from saohei.entities.choices import MentionRole
from saohei.entities.lookup import search_persons
from saohei.entities.models import Organization, Person
from saohei.entities.ties import PERSON_KINDS, Tie, TieKind

from . import network as graphs

# Three steps by default: a gang member, the gang case, the umbrella case that protected it,
# and its officials (the path 打伞破网 looks for) are three steps apart.
DEFAULT_K = 3
KINDS = ("person", "organization", "clue", "case", "suspect", "official")

# Colour classes: (label, fill colour). The legend and the drawing read the same table.
ROLE_STYLE = {
    "leader": (gettext_lazy("ringleader"), "#922b21"),
    "core": (gettext_lazy("core member"), "#e74c3c"),
    "member": (gettext_lazy("gang member"), "#f1948a"),
    "suspect": (gettext_lazy("suspect"), "#e67e22"),
    "official": (gettext_lazy("public official"), "#8e44ad"),
    "subject": (gettext_lazy("reported subject"), "#f5b041"),
    "victim": (gettext_lazy("victim"), "#2e86c1"),
    "witness": (gettext_lazy("witness"), "#85c1e9"),
    "person": (gettext_lazy("person"), "#aab7b8"),
    "organization": (gettext_lazy("organization"), "#17a589"),
    "vehicle": (gettext_lazy("vehicle"), "#5d6d7e"),
    "phone": (gettext_lazy("phone"), "#34495e"),
    "clue": (gettext_lazy("clue"), "#f7dc6f"),
    "case": (gettext_lazy("case"), "#d5d8dc"),
    "gang_case": (gettext_lazy("gang case"), "#641e16"),
    "umbrella_case": (gettext_lazy("umbrella case"), "#4a235a"),
}
EDGE_KINDS = {
    "mention": gettext_lazy("mentioned"),
    "suspect": gettext_lazy("suspect in"),
    "official": gettext_lazy("official involved"),
    "tie": gettext_lazy("tie"),
    "phone": gettext_lazy("uses phone"),
    "protects": gettext_lazy("umbrella case of"),
    "source": gettext_lazy("opened from clue"),
}
NODE_KINDS = {
    "person": gettext_lazy("person"),
    "named": gettext_lazy("person (not on record)"),
    "organization": gettext_lazy("organization"),
    "vehicle": gettext_lazy("vehicle"),
    "phone": gettext_lazy("phone"),
    "clue": gettext_lazy("clue"),
    "case": gettext_lazy("case"),
}


def edge_label(edge: graphs.Edge) -> str:
    if edge.kind == "mention":
        return str(dict(MentionRole.choices).get(edge.label, edge.label))
    if edge.kind == "suspect":
        return str(dict(SuspectRole.choices).get(edge.label, edge.label))
    if edge.kind == "tie":
        return str(dict(TieKind.choices).get(edge.label, edge.label))
    if edge.kind == "official":
        return (
            f"{EDGE_KINDS['official']} · {edge.label}" if edge.label else str(EDGE_KINDS[edge.kind])
        )
    return str(EDGE_KINDS.get(edge.kind, edge.kind))


def _k(request) -> int:
    try:
        return max(1, min(graphs.MAX_K, int(request.GET.get("k", DEFAULT_K))))
    except ValueError:
        return DEFAULT_K


def _graph(request, kind: str, pk: int) -> graphs.Graph:
    if kind not in KINDS:
        raise Http404
    try:
        return graphs.build(request.user, (kind, pk), k=_k(request))
    except LookupError:
        raise Http404 from None


def _network_url(node: graphs.Node, k: int) -> str:
    if node.network is None:
        return ""
    return reverse("network", args=list(node.network)) + f"?k={k}"


def elements(graph: graphs.Graph) -> list[dict]:
    """The graph as Cytoscape.js elements."""
    out = []
    for node in graph.nodes.values():
        role = node.role
        out.append(
            {
                "group": "nodes",
                "data": {
                    "id": node.id,
                    "label": node.label,
                    "kind": node.kind,
                    "kindLabel": str(NODE_KINDS[node.kind]),
                    "role": role,
                    "roleLabel": str(ROLE_STYLE[role][0]),
                    "color": ROLE_STYLE[role][1],
                    "official": node.official,
                    "center": node.id == graph.center,
                    "depth": node.depth,
                    "note": node.note,
                    "detail": node.detail_url,
                    "network": _network_url(node, graph.k),
                },
            }
        )
    for i, edge in enumerate(graph.edges.values()):
        out.append(
            {
                "group": "edges",
                "data": {
                    "id": f"e{i}",
                    "source": edge.source,
                    "target": edge.target,
                    "kind": edge.kind,
                    "label": edge_label(edge),
                },
            }
        )
    return out


@require_perm("entities.view_tie")
def network(request, kind, pk):
    graph = _graph(request, kind, pk)
    analysis = graphs.analyse(graph)
    center = graph.nodes[graph.center]
    used = {n.role for n in graph.nodes.values()}
    legend = [(role, label, colour) for role, (label, colour) in ROLE_STYLE.items() if role in used]
    paths = [
        {
            "member": row.member,
            "official": row.official,
            "length": row.length,
            "reached_by": row.reached_by,
            "steps": [(node, edge_label(edge) if edge else "") for node, edge in row.steps],
            "ids": json.dumps([node.id for node, _edge in row.steps]),
        }
        for row in analysis.paths
    ]
    for row in analysis.centrality:
        row.role_label = ROLE_STYLE[row.node.role][0]
    ties, can_tie = [], False
    if center.kind == "person":
        user = request.user
        ties = list(
            Tie.objects.visible_to(user)
            .filter(Q(person_id=center.pk) | Q(other_person_id=center.pk))
            .select_related("person", "other_person", "organization")
            .defer("person__id_number", "other_person__id_number")
        )
        editable = set(
            Tie.objects.editable_by(user)
            .filter(pk__in=[t.pk for t in ties])
            .values_list("pk", flat=True)
        )
        for t in ties:
            t.removable = t.pk in editable and user.has_perm("entities.delete_tie")
        can_tie = (
            user.has_perm("entities.add_tie")
            and Person.objects.editable_by(user).filter(pk=center.pk).exists()
        )
    return render(
        request,
        "linkage/network.html",
        {
            "graph": graph,
            "center": center,
            "kind": kind,
            "pk": pk,
            "k": graph.k,
            "ks": range(1, graphs.MAX_K + 1),
            "elements": elements(graph),
            "legend": legend,
            "paths": paths,
            "paths_total": analysis.paths_total,
            "centrality": analysis.centrality,
            "edge_count": len(graph.edges),
            "ties": ties,
            "can_tie": can_tie,
            "tie_kinds": TieKind.choices,
        },
    )


@require_perm("entities.view_tie")
def network_edges(request, kind, pk):
    """The edges of the network as a ledger: from, its type, the link, to, its type."""
    graph = _graph(request, kind, pk)
    nodes = graph.nodes
    rows = [
        [
            nodes[e.source].label,
            str(NODE_KINDS[nodes[e.source].kind]),
            str(EDGE_KINDS.get(e.kind, e.kind)),
            edge_label(e),
            nodes[e.target].label,
            str(NODE_KINDS[nodes[e.target].kind]),
            e.note,
        ]
        for e in graph.edges.values()
    ]
    center = nodes[graph.center]
    title = _("Network of %(name)s (%(k)s steps)") % {"name": center.label, "k": graph.k}
    headers = [_("From"), _("Type"), _("Link"), _("Role or tie"), _("To"), _("Type"), _("Note")]
    return attachment_response(
        lambda f: write_ledger_sheet(f, title, headers, [24, 12, 14, 16, 24, 12, 30], rows),
        f"{title}.xlsx",
    )


# Ties (family and business) of the person at the centre -------------------------------------


@require_POST
@require_perm("entities.add_tie")
def tie_add(request, pk):
    """Tie the person to another person (found by name or ID number) or an organization (by
    name or credit code): exactly one visible match, or nothing is written."""
    user = request.user
    person = get_object_or_404(Person.objects.editable_by(user).current(), pk=pk)
    back = redirect(reverse("network", args=["person", person.pk]) + "?k=1")
    kind, other = request.POST.get("kind", ""), request.POST.get("other", "").strip()
    if kind not in TieKind.values or not other:
        messages.error(request, _("Choose the tie and name the other person or organization."))
        return back
    if kind in PERSON_KINDS:
        found = list(
            search_persons(Person.objects.visible_to(user).current(), other).exclude(pk=person.pk)[
                :2
            ]
        )
        field = "other_person"
    else:
        found = list(
            Organization.objects.visible_to(user).filter(
                Q(name__contains=other) | Q(credit_code=other.upper())
            )[:2]
        )
        field = "organization"
    if len(found) != 1:
        messages.error(
            request,
            _("No one matches “%(q)s”.") % {"q": other}
            if not found
            else _("Several match “%(q)s”: give the ID number or the full name.") % {"q": other},
        )
        return back
    try:
        with transaction.atomic():
            tie = Tie.objects.create(
                person=person,
                kind=kind,
                note=request.POST.get("note", "").strip()[:200],
                source=request.POST.get("source", "").strip()[:200],
                entered_by=user,
                **{field: found[0]},
            )
            if not Tie.objects.visible_to(user).filter(pk=tie.pk).exists():
                raise PermissionError
    except IntegrityError:
        messages.error(request, _("This tie is already recorded."))
        return back
    except PermissionError:
        raise Http404 from None
    messages.success(request, _("The tie was recorded."))
    return back


@require_POST
@require_perm("entities.delete_tie")
def tie_remove(request, pk):
    tie = get_object_or_404(Tie.objects.editable_by(request.user), pk=pk)
    person_pk = tie.person_id
    tie.delete()
    messages.success(request, _("The tie was removed."))
    return redirect(reverse("network", args=["person", person_pk]) + "?k=1")
