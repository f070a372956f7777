"""Pages of case linking: open suggestions, deciding one, series, and the oil-field view.

Every query starts from visible_to() (DESIGN §4); decisions go through saohei.linkage.actions.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saohei.core.decorators import require_perm
from saohei.core.paging import page_of

from . import actions
from .models import LinkStatus, LinkSuggestion, Series, SeriesMember, TracePlace
from .traces import place_kind

GROUNDS = {
    "person": gettext_lazy("person"),
    "organization": gettext_lazy("organization"),
    "vehicle": gettext_lazy("vehicle"),
    "phone": gettext_lazy("phone"),
    "place": gettext_lazy("place"),
    "method": gettext_lazy("method"),
}
ITEMS = ("a_clue", "a_case", "b_clue", "b_case")


def _int(value, default=0, low=0, high=100) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


@require_perm("linkage.view_linksuggestion")
def suggestion_list(request):
    """Open (or decided) suggestions whose two items the user sees, with filters."""
    user = request.user
    status = request.GET.get("status", LinkStatus.OPEN)
    if status not in LinkStatus.values:
        status = LinkStatus.OPEN
    ground = request.GET.get("ground", "")
    item = request.GET.get("item", "")
    min_score = _int(request.GET.get("min"), 0)
    qs = LinkSuggestion.objects.visible_to(user).filter(status=status)
    if ground in GROUNDS:
        qs = qs.filter(kinds__icontains=f'"{ground}"')
    if item == "clue":
        qs = qs.filter(a_clue__isnull=False, b_clue__isnull=False)
    elif item == "case":
        qs = qs.filter(a_case__isnull=False, b_case__isnull=False)
    elif item == "mixed":
        qs = qs.filter(a_case__isnull=False, b_clue__isnull=False)
    if min_score:
        qs = qs.filter(score__gte=min_score)
    qs = qs.select_related(*ITEMS, "decided_by").order_by("-score", "-id")
    page = page_of(qs, request.GET.get("page"))
    return render(
        request,
        "linkage/suggestion_list.html",
        {
            "page": page,
            "status": status,
            "statuses": LinkStatus.choices,
            "ground": ground,
            "grounds": GROUNDS.items(),
            "item": item,
            "min_score": min_score or "",
            "can_decide": user.has_perm("linkage.decide_link"),
        },
    )


@require_POST
@require_perm("linkage.decide_link")
def suggestion_decide(request, pk):
    user = request.user
    suggestion = get_object_or_404(LinkSuggestion.objects.visible_to(user), pk=pk)
    decision = request.POST.get("decision")
    note = request.POST.get("note", "")
    try:
        if decision == "accept":
            series = actions.accept(suggestion, user, note=note)
            messages.success(request, _("Linked into %(name)s.") % {"name": series.name})
        elif decision == "reject":
            actions.reject(suggestion, user, note=note)
            messages.success(request, _("The suggestion is rejected and will not come back."))
        else:
            messages.error(request, _("Choose accept or reject."))
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("link_suggestions")
    return redirect(target)


def _members(user, series_ids):
    """Visible members of the given series, each with its item, date and oil figures."""
    members = list(
        SeriesMember.objects.visible_to(user)
        .filter(series_id__in=series_ids)
        .select_related("clue", "case")
        .order_by("series_id", "id")
    )
    return members


def _item_row(item) -> dict:
    is_case = item._meta.model_name == "case"
    return {
        "kind": item._meta.model_name,
        "item": item,
        "on": item.opened_on if is_case else item.received_on,
        "url": reverse("case_detail" if is_case else "clue_detail", args=[item.number]),
        "tonnes": (item.crude_oil_tonnes or Decimal(0)) if is_case else Decimal(0),
        "place": (item.oil_sites if is_case else item.place) or "",
    }


def _equipment(user, case_ids) -> dict[int, int]:
    from saohei.cases.choices import AssetKind
    from saohei.cases.models import Asset

    # As the figures count them (saohei/reports/figures.py): units of equipment, any measure.
    rows = (
        Asset.objects.visible_to(user)
        .filter(case_id__in=list(case_ids), kind=AssetKind.EQUIPMENT)
        .values("case_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {row["case_id"]: row["n"] or 0 for row in rows}


def _totals(rows, equipment) -> dict:
    return {
        "cases": sum(1 for r in rows if r["kind"] == "case"),
        "clues": sum(1 for r in rows if r["kind"] == "clue"),
        "tonnes": sum((r["tonnes"] for r in rows), Decimal(0)),
        "equipment": sum(equipment.get(r["item"].pk, 0) for r in rows if r["kind"] == "case"),
    }


@require_perm("linkage.view_series")
def series_list(request):
    qs = Series.objects.visible_to(request.user).select_related("jurisdiction", "created_by")
    page = page_of(qs, request.GET.get("page"))
    members = defaultdict(list)
    for m in _members(request.user, [s.pk for s in page.object_list]):
        members[m.series_id].append(m.item)
    for series in page.object_list:
        series.visible_members = members[series.pk]
    return render(request, "linkage/series_list.html", {"page": page})


@require_perm("linkage.view_series")
def series_detail(request, pk):
    user = request.user
    series = get_object_or_404(Series.objects.visible_to(user).select_related("created_by"), pk=pk)
    rows = sorted(
        (_item_row(m.item) for m in _members(user, [series.pk])), key=lambda r: (r["on"], r["kind"])
    )
    equipment = _equipment(user, [r["item"].pk for r in rows if r["kind"] == "case"])
    for row in rows:
        row["equipment"] = equipment.get(row["item"].pk, 0) if row["kind"] == "case" else 0
    hidden = series.members.count() - len(rows)
    return render(
        request,
        "linkage/series_detail.html",
        {
            "series": series,
            "rows": rows,
            "totals": _totals(rows, equipment),
            "hidden": hidden,
        },
    )


def _day(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


OIL_LIMIT = 2000  # items on the oil-field page; narrow the period to see more


@require_perm("linkage.view_series")
def oil_field(request):
    """Oil cases and oil clues on a timeline, by place and by accepted series, with totals."""
    from saohei.cases.models import Case
    from saohei.clues.models import Clue

    user = request.user
    start, end = _day(request.GET.get("start")), _day(request.GET.get("end"))
    cases = Case.objects.visible_to(user).filter(is_oil=True)
    clues = Clue.objects.visible_to(user).filter(category="oil")
    if start:
        cases, clues = cases.filter(opened_on__gte=start), clues.filter(received_on__gte=start)
    if end:
        cases, clues = cases.filter(opened_on__lte=end), clues.filter(received_on__lte=end)
    items = [
        *cases.order_by("-opened_on")[:OIL_LIMIT],
        *clues.order_by("-received_on")[:OIL_LIMIT],
    ]
    rows = sorted((_item_row(i) for i in items), key=lambda r: (r["on"], r["kind"]))
    case_ids = [r["item"].pk for r in rows if r["kind"] == "case"]
    clue_ids = [r["item"].pk for r in rows if r["kind"] == "clue"]
    equipment = _equipment(user, case_ids)
    for row in rows:
        row["equipment"] = equipment.get(row["item"].pk, 0) if row["kind"] == "case" else 0

    # Places: the tokens the engine indexed, the most precise (a well within a plant) first.
    places = defaultdict(list)
    in_view = Q(trace__case_id__in=case_ids) | Q(trace__clue_id__in=clue_ids)
    for token, clue_id, case_id in TracePlace.objects.filter(in_view).values_list(
        "token", "trace__clue_id", "trace__case_id"
    ):
        places[("clue", clue_id) if clue_id else ("case", case_id)].append(token)
    series_of, series_names = {}, {}
    for member in SeriesMember.objects.filter(
        Q(clue_id__in=clue_ids) | Q(case_id__in=case_ids)
    ).select_related("series"):
        key = ("clue", member.clue_id) if member.clue_id else ("case", member.case_id)
        series_of[key] = member.series_id
        series_names[member.series_id] = member.series.name
    by_place = defaultdict(list)
    for row in rows:
        key = (row["kind"], row["item"].pk)
        tokens = sorted(places.get(key, []), key=lambda t: (-len(t), t))
        row["place_token"] = tokens[0] if tokens else ""
        row["series_id"] = series_of.get(key)
        row["series_name"] = series_names.get(row["series_id"], "")
        by_place[row["place_token"]].append(row)
    place_groups = [
        {
            "place": place or _("place not given"),
            "kind": place_kind(place) if place else "",
            "rows": group,
            "totals": _totals(group, equipment),
        }
        for place, group in sorted(by_place.items(), key=lambda kv: (not kv[0], kv[0]))
    ]
    by_series = defaultdict(list)
    for row in rows:
        if row["series_id"]:
            by_series[row["series_id"]].append(row)
    series_groups = [
        {"pk": pk, "name": series_names[pk], "rows": group, "totals": _totals(group, equipment)}
        for pk, group in sorted(by_series.items(), key=lambda kv: kv[1][0]["on"])
    ]
    not_linked = _("not linked")
    chart = {
        "places": [g["place"] for g in place_groups],
        "series": [
            {
                "name": row["series_name"] or not_linked,
                "value": [
                    row["on"].isoformat(),
                    row["place_token"] or _("place not given"),
                    float(row["tonnes"]),
                ],
                "label": f"{row['item'].number} {row['item']}",
                "url": row["url"],
            }
            for row in rows
        ],
    }
    return render(
        request,
        "linkage/oil_field.html",
        {
            "rows": rows,
            "place_groups": place_groups,
            "series_groups": series_groups,
            "totals": _totals(rows, equipment),
            "chart": chart,
            "start": start,
            "end": end,
            "capped": len(items) >= OIL_LIMIT,
        },
    )
