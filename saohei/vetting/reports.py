"""What a vetting batch gives back: the list as it came with the conclusion and the reasons
(the `vet` command's contract, DESIGN §5), the review sheet with the hits and decisions, and
the report in official document format (GB/T 9704, saohei.core.officialdoc)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from saohei.core import officialdoc as od
from saohei.core.dates import cn_date
from saohei.entities.matching import Tier

from .models import Batch, Decision

CONCLUSION, REASONS = "审查结论", "理由"
TIER_WORDS = {
    Tier.CONFIRMED: "确认",
    Tier.POSSIBLE: "疑似",
    Tier.NONE: "无",
}  # the contract's words


def _reasons(candidate) -> str:
    return "；".join(line for line in candidate.reasons.splitlines() if line)


def write_result(batch: Batch, fileobj) -> None:
    """The candidate list as uploaded (its sheet name, headers and every cell) with two more
    columns: 审查结论 (确认/疑似/无) and 理由."""
    wb = Workbook()
    ws = wb.active
    ws.title = (batch.file_name.rsplit(".", 1)[0] or "候选人")[:31]
    ws.append([*batch.headers, CONCLUSION, REASONS])
    width = len(batch.headers)
    for candidate in batch.candidates.order_by("row"):
        cells = (list(candidate.cells) + [""] * width)[:width]
        ws.append([*cells, TIER_WORDS[candidate.tier], _reasons(candidate)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.column_dimensions[ws.cell(1, width + 2).column_letter].width = 80
    for row in ws.iter_rows(min_row=2, min_col=width + 2, max_col=width + 2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(fileobj)


def write_review(batch: Batch, fileobj) -> None:
    """The review sheet: one row per candidate with conclusion, rules met, decision and note;
    a second sheet with every hit."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Candidates")[:31]
    ws.append(
        [
            _("Row"),
            pgettext("person", "Name"),
            _("Village or unit"),
            _("Position sought"),
            _("Conclusion"),
            _("Score"),
            _("Rules met"),
            _("Decision"),
            _("Note"),
            _("Reasons"),
        ]
    )
    candidates = batch.candidates.order_by("row").prefetch_related("hits")
    for c in candidates:
        ws.append(
            [
                c.row,
                c.name,
                c.place,
                c.position,
                TIER_WORDS[c.tier],
                c.score,
                c.rules_met,
                c.get_decision_display() if c.decision else "",
                c.decision_note,
                _reasons(c),
            ]
        )
    hits = wb.create_sheet(_("Records found")[:31])
    hits.append(
        [
            _("Row"),
            pgettext("person", "Name"),
            _("Record"),
            _("Date"),
            _("Conclusion"),
            _("Score"),
            _("Rules met"),
        ]
    )
    for c in candidates:
        for h in c.hits.all():
            hits.append(
                [
                    c.row,
                    c.name,
                    h.label,
                    cn_date(h.on),
                    TIER_WORDS[h.tier],
                    h.score,
                    "、".join(h.rules),
                ]
            )
    for sheet in (ws, hits):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    wb.save(fileobj)


def write_document(batch: Batch, fileobj) -> None:
    """The batch report (资格审查情况报告) in official format: the figures, the candidates who
    meet a disqualifying rule or were disqualified, and those still to review."""
    figures = batch.figures()
    doc = od.new_document(title=batch.title, author=batch.unit.name)
    od.title(doc, _("Report on the vetting of %(title)s") % {"title": batch.title})
    od.blank(doc)
    od.body(
        doc,
        _(
            "On %(date)s, %(unit)s screened %(screened)s candidates against criminal and "
            "misconduct records, case suspects, officials dealt with and clue subjects: "
            "%(confirmed)s confirmed matches, %(possible)s possible matches and %(clean)s with "
            "nothing found; %(meets)s meet a vetting rule. Reviewers have disqualified "
            "%(disqualified)s and cleared %(cleared)s; %(to_review)s remain to be reviewed."
        )
        % {
            "date": cn_date(batch.screened_on),
            "unit": batch.unit.name,
            "screened": figures["screened"],
            "confirmed": figures["confirmed"],
            "possible": figures["possible"],
            "clean": figures["clean"],
            "meets": figures["meets_rule"],
            "disqualified": figures["disqualified"],
            "cleared": figures["cleared"],
            "to_review": figures["to_review"],
        },
    )
    flagged = batch.candidates.exclude(tier=Tier.NONE).order_by("row")
    od.heading1(doc, "一、" + _("Candidates with records found"))
    if flagged.exists():
        rows = [
            [
                str(i),
                c.name,
                c.place,
                c.position,
                TIER_WORDS[c.tier],
                c.rules_met or "—",
                c.get_decision_display() if c.decision else _("to review"),
            ]
            for i, c in enumerate(flagged, start=1)
        ]
        od.table(
            doc,
            [
                _("No."),
                pgettext("person", "Name"),
                _("Village or unit"),
                _("Position sought"),
                _("Conclusion"),
                _("Rules met"),
                _("Decision"),
            ],
            rows,
            [12, 18, 24, 26, 20, 36, 20],
        )
    else:
        od.body(doc, _("No record, case or clue was found for any candidate."))
    disqualified = batch.candidates.filter(decision=Decision.DISQUALIFY).order_by("row")
    od.heading1(doc, "二、" + _("Candidates disqualified"))
    if disqualified.exists():
        for c in disqualified:
            od.body(
                doc,
                _("%(name)s (%(place)s, %(position)s): %(note)s")
                % {
                    "name": c.name,
                    "place": c.place,
                    "position": c.position,
                    "note": c.decision_note,
                },
            )
    else:
        od.body(doc, _("No candidate has been disqualified yet."))
    issuer, _date = od.signature(doc, batch.unit.name, cn_date(timezone.localdate()))
    issuer.paragraph_format.keep_with_next = True  # the date never stands alone on a page
    od.fit_characters(doc)
    doc.save(fileobj)
