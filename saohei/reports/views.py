"""The dashboard: the figures as of any day, each number opening the records it counts."""

import datetime

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from saohei.cases.choices import GANG_KINDS, CaseKind, Stage
from saohei.cases.models import Case
from saohei.clues.choices import Category, Source, Status
from saohei.clues.models import Clue
from saohei.core.decorators import require_perm
from saohei.core.paging import page_of
from saohei.core.recent import recent

from .figures import (
    OFFICE_ROLES,
    PENDING,
    VERIFYING,
    Scope,
    cases_as_of,
    checks_incomplete_as_of,
    clues_as_of,
    figures,
    handed_over,
    led_to_case_as_of,
    overdue_as_of,
)

STATUS_GROUPS = {
    "total": None,
    "concluded": (Status.CONCLUDED,),
    "interim": (Status.INTERIM,),
    "verifying": VERIFYING,
    "pending": PENDING,
    "done": (Status.CONCLUDED, Status.INTERIM),
    "open": (*PENDING, *VERIFYING),  # a target's open clues (saohei.campaigns.measures)
}


def _day(request, name, default=None):
    value = request.GET.get(name) or ""
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        messages.error(
            request,
            _("“%(value)s” is not a date: use YYYY-MM-DD, e.g. 2019-06-30.") % {"value": value},
        )
        return default


def _period(request):
    today = timezone.localdate()
    as_of = _day(request, "as_of", today)
    if as_of > today:
        messages.error(request, _("The as-of day cannot be in the future; today is shown."))
        as_of = today
    start = _day(request, "start")
    if start and start > as_of:
        messages.error(request, _("The start of the period is after the as-of day."))
        start = None
    return as_of, start


def _percent(value):
    return None if value is None else round(value * 100, 1)


# How old the dashboard's figures may be (saohei.core.recent): what others record shows within
# this time, what the reader records at once; the page says when they were counted. The API,
# the tables, the briefing and the bulletin count afresh.
FIGURES_SECONDS = 60


@require_perm("clues.view_clue")
def dashboard(request):
    as_of, start = _period(request)
    scope = Scope.for_user(request.user)
    f, counted = recent(
        # In the reader's language too: the transfer table's unit kinds are named in it.
        f"figures:{scope.key}:{as_of}:{start}:{get_language()}",
        lambda: figures(as_of, scope, start=start),
        user=request.user,
        seconds=FIGURES_SECONDS,
    )
    query = f"as_of={as_of.isoformat()}" + (f"&start={start.isoformat()}" if start else "")
    labels = {
        "source": dict(Source.choices),
        "category": dict(Category.choices),
        "stage": dict(Stage.choices),
        "kind": dict(CaseKind.choices),
    }
    charts = {
        "monthly": {
            "months": [m["month"] for m in f["monthly"]],
            "received": [m["received"] for m in f["monthly"]],
            "concluded": [m["concluded"] for m in f["monthly"]],
            "labels": [str(_("received")), str(_("concluded"))],
        },
        "sources": [
            {"name": str(labels["source"][k]), "value": v, "link": f"source={k}"}
            for k, v in f["by_source"].items()
            if v
        ],
        "categories": [
            {"name": str(labels["category"][k]), "value": v, "link": f"category={k}"}
            for k, v in f["by_category"].items()
            if v
        ],
        "stages": [
            {"name": str(labels["stage"][k]), "value": v, "link": f"stage={k}"}
            for k, v in f["cases_by_stage"].items()
        ],
        "query": query,
    }
    for row in f["units"]:
        row["rate_percent"] = _percent(row["conclusion_rate"])
    return render(
        request,
        "reports/dashboard.html",
        {
            "f": f,
            "counted_at": datetime.datetime.fromtimestamp(counted, tz=datetime.UTC),
            "as_of": as_of,
            "start": start,
            "query": query,
            "charts": charts,
            "conclusion_percent": _percent(f["conclusion_rate"]),
            "conversion_percent": _percent(f["case_conversion_rate"]),
            "closure_percent": _percent(f["case_closure_rate"]),
            "industry_percent": _percent(f["industry_disorder_share"]),
            "kinds": [(labels["kind"][k], k, v) for k, v in f["cases_by_kind"].items()],
            "transfer_rows": f["transfers"],
            "yoy": f["year_on_year"],
            "indicator_rows": _indicator_rows(f),
            "can_brief": request.user.has_role(*OFFICE_ROLES),
            "month_start": as_of.replace(day=1),
            "targets_behind": _targets_behind(request.user, as_of),
        },
    )


def _targets_behind(user, as_of):
    """The campaign targets (saohei.campaigns) the user can see that, as of the day, will
    miss their deadline at the current pace: flagged at the top of the dashboard."""
    from saohei.campaigns.models import Target
    from saohei.campaigns.progress import at_risk
    from saohei.campaigns.report import value_text

    if not user.has_perm("campaigns.view_target"):
        return []
    targets = (
        Target.objects.visible_to(user)
        .filter(start__lte=as_of)
        .prefetch_related("units", "drive__units")
    )
    return [
        {"target": p.target, "value": value_text(p.target, p.today.value), "p": p}
        for p in at_risk(targets, as_of)
    ]


def _indicator_rows(f: dict) -> list[dict]:
    from .models import Indicator

    names = dict(Indicator.objects.values_list("code", "name"))
    rows = []
    for code, periods in f["indicators"].items():
        ytd = periods["year_to_date"]
        if ytd["current_count"] or ytd["previous_count"]:
            rows.append(
                {"name": names.get(code, code), **ytd, "percent": _percent(ytd["change_rate"])}
            )
    return rows


@require_perm("clues.view_clue")
def clues_counted(request):
    """The clues behind a dashboard number, as they stood on the as-of day; only those the
    user may read are listed (the count may include umbrella clues shown to few)."""
    as_of, start = _period(request)
    counted = clues_as_of(Clue.objects.visible_to(request.user), as_of)
    if start:
        counted = counted.filter(received_on__gte=start)
    group = request.GET.get("status", "total")
    if group == "overdue":
        counted = overdue_as_of(counted, as_of)
    elif STATUS_GROUPS.get(group):
        counted = counted.filter(status_then__in=STATUS_GROUPS[group])
    elif group == "led_to_case":
        counted = led_to_case_as_of(counted.filter(status_then=Status.CONCLUDED), as_of)
    if request.GET.get("unit", "").isdigit():
        counted = counted.filter(unit_then=int(request.GET["unit"]))
    if request.GET.get("handed_by", "").isdigit():
        counted = handed_over(counted, as_of).filter(registering_unit=int(request.GET["handed_by"]))
    for field in ("category", "source"):
        if request.GET.getlist(field):
            counted = counted.filter(**{f"{field}__in": request.GET.getlist(field)})
    received_before = _day(request, "received_before")
    if received_before:
        counted = counted.filter(received_on__lt=received_before)
    if request.GET.get("month"):
        try:
            first = datetime.date.fromisoformat(request.GET["month"] + "-01")
        except ValueError:
            first = None
        if first:
            counted = counted.filter(received_on__year=first.year, received_on__month=first.month)
    counted = counted.select_related("assigned_unit").order_by("-received_on", "-number")
    return render(
        request,
        "reports/clues_counted.html",
        {
            "page": page_of(counted, request.GET.get("page")),
            "as_of": as_of,
            "status_labels": dict(Status.choices),
        },
    )


@require_perm("cases.view_case")
def cases_counted(request):
    as_of, start = _period(request)
    counted = cases_as_of(Case.objects.visible_to(request.user), as_of)
    if start:
        counted = counted.filter(opened_on__gte=start)
    if request.GET.get("stage") in Stage.values:
        counted = counted.filter(stage_then=request.GET["stage"])
    if request.GET.get("kind") in CaseKind.values:
        counted = counted.filter(kind=request.GET["kind"])
    if request.GET.get("checks") == "incomplete":
        counted = checks_incomplete_as_of(counted, as_of)
    if request.GET.get("gang"):
        counted = counted.filter(kind__in=GANG_KINDS)
    if request.GET.get("open"):
        counted = counted.exclude(stage_then=Stage.CLOSED)
    if request.GET.get("unit", "").isdigit():
        unit = int(request.GET["unit"])
        counted = counted.filter(
            Q(handler_then=unit) | Q(handler_then__isnull=True, handling_unit=unit)
        )
    counted = counted.select_related("handling_unit").order_by("-opened_on", "-number")
    return render(
        request,
        "reports/cases_counted.html",
        {
            "page": page_of(counted, request.GET.get("page")),
            "as_of": as_of,
            "stage_labels": dict(Stage.choices),
        },
    )


@require_perm("reports.import_indicators")
def indicator_import(request):
    """Upload the monthly indicator ledger (docs/indicator-ledger.md): checked and imported
    in the background, all rows or none, with a progress bar and every problem listed."""
    from saohei.core.jobs import import_page

    from .forms import IndicatorLedgerUploadForm
    from .indicators import import_indicator_ledger

    return import_page(
        request,
        kind="indicators",
        form_class=IndicatorLedgerUploadForm,
        importer=import_indicator_ledger,
        template="reports/indicator_import.html",
    )
