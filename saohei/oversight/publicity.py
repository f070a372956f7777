"""Publicity (宣传): the wording check of every publicity text and poster, and the totals per
unit and per kind that the publicity page, the assessment and the briefing read.

A text typed with the activity and the text of an uploaded .txt or .docx both go through the
wording check of saohei.reports.wording as publicity (a reporting phone number or channel is
required). A poster or picture (.jpg, .png, .pdf) cannot be read by the check: its wording
must be typed beside it, so a poster without the reporting phone is found too.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from saohei.core.dates import cn_date
from saohei.reports.wording import WordingInputError, check_text, decode_text, docx_text

from .choices import KIND_MEASURES, KIND_NAMES, PublicityKind

TEXT_FILES = {".txt", ".docx"}
PICTURES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".pdf"}
MAX_FILE_BYTES = 20 * 1024 * 1024


def suffix(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def read_upload(upload) -> str | None:
    """The text of an uploaded .txt or .docx; None for a picture. WordingInputError for
    any other type or an unreadable file."""
    kind = suffix(upload.name)
    if kind in PICTURES:
        return None
    if kind not in TEXT_FILES:
        raise WordingInputError(
            _("%(file)s: upload the text as .txt or .docx, or a poster as .jpg, .png or .pdf.")
            % {"file": upload.name}
        )
    upload.seek(0)
    text = docx_text(upload) if kind == ".docx" else decode_text(upload.read(), upload.name)
    upload.seek(0)
    return text


def wording_findings(text: str, file_text: str | None = None, file_name: str = "") -> list:
    """The findings of the wording check on the typed text and on the file's text, each as a
    dict (saohei.reports.wording.Finding) with `where` (正文 or the file's name) and `line`
    as the documented one-line form."""
    findings = []
    for where, content in ((_("text"), text), (file_name, file_text)):
        if content is None or not content.strip():
            continue
        for finding in check_text(content, publicity=True):
            findings.append({**finding.as_dict(), "where": where, "text": finding.as_line()})
    return findings


@dataclass
class Totals:
    activities: int
    quantity: int
    media_reports: int


def totals(activities: QuerySet) -> dict:
    """Per unit, per kind and overall: how many activities, the quantity, media reports."""
    sums = {"n": Count("id"), "quantity": Sum("quantity"), "media": Sum("media_reports")}
    by_unit = (
        activities.order_by()
        .values("unit", "unit__name", "unit__short_name", "unit__sort_order")
        .annotate(**sums)
        .order_by("unit__sort_order", "unit__name")
    )
    by_kind = {row["kind"]: row for row in activities.order_by().values("kind").annotate(**sums)}
    overall = activities.aggregate(**sums)
    labels = dict(PublicityKind.choices)
    return {
        "units": [
            {
                "unit": row["unit"],
                "name": row["unit__short_name"] or row["unit__name"],
                "totals": Totals(row["n"], row["quantity"] or 0, row["media"] or 0),
            }
            for row in by_unit
        ],
        "kinds": [
            {
                "kind": kind,
                "label": labels[kind],
                "totals": Totals(row["n"], row["quantity"] or 0, row["media"] or 0),
            }
            for kind in PublicityKind.values
            if (row := by_kind.get(kind))
        ],
        "overall": Totals(overall["n"], overall["quantity"] or 0, overall["media"] or 0),
        "with_findings": activities.exclude(findings=[]).count(),
    }


def briefing_sentence(as_of: datetime.date, units: QuerySet, whole: str) -> str:
    """What the publicity records (宣传活动台账) of `units` say by the end of `as_of`, as the
    briefing writes it; "" when none is held."""
    from .models import PublicityActivity

    held = PublicityActivity.objects.filter(unit__in=units.values("pk"), held_on__lte=as_of)
    t = totals(held)
    if not t["overall"].activities:
        return ""
    kinds = [
        f"{KIND_NAMES[row['kind']]}{row['totals'].quantity}{KIND_MEASURES[row['kind']]}"
        for row in t["kinds"]
    ]
    text = (
        f"据宣传活动台账，截至{cn_date(as_of)}，{whole}{len(t['units'])}个单位"
        f"开展宣传活动{t['overall'].activities}次，其中{'、'.join(kinds)}"
    )
    if t["overall"].media_reports:
        text += f"，获媒体报道{t['overall'].media_reports}次"
    return text + "。"
