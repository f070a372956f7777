"""The parts the briefing and the bulletin share (docs/briefing.md): a document as a list of
blocks (title, headings, paragraphs, a table, the signature), numbered in order; numbers as
official prose writes them (75.4%, 上升2.3个百分点); the jurisdiction a document speaks for;
the editable Word templates (下步工作打算, 工作要求) rendered with the figures; the checks that
refuse a document with a placeholder left or a wording-check finding; and the writer that lays
the blocks out in the official format of saohei.core.officialdoc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from saohei.core import officialdoc
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Jurisdiction

from .figures import Scope

DATA = Path(__file__).resolve().parent / "data"


class DocumentError(Exception):
    """The document cannot be given out as it is; the message says why and what to fix."""


# Blocks ----------------------------------------------------------------------------------------


@dataclass
class Block:
    """One element of a document. kind: title, subtitle, h1, h2 (numbered when written),
    body, caption, table (rows in `data`), signature (issuer in text, date in `data`)."""

    kind: str
    text: str = ""
    run_in: str = ""  # h2 only: body text on the heading's line
    data: list = field(default_factory=list)
    widths: list = field(default_factory=list)  # table only: column widths in mm

    def texts(self) -> list[str]:
        if self.kind == "table":
            return ["\t".join(str(v) for v in row) for row in self.data]
        if self.kind == "signature":
            return [self.text, *self.data]
        return [self.text + self.run_in]


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (up to 99)."""
    tens, ones = divmod(n, 10)
    if not tens:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def numbered(blocks: list[Block]) -> list[Block]:
    """Number the headings in order: 一、二、… and, under each, （一）（二）…"""
    first = second = 0
    out = []
    for block in blocks:
        if block.kind == "h1":
            first, second = first + 1, 0
            block = Block("h1", f"{cn_number(first)}、{block.text}")
        elif block.kind == "h2":
            second += 1
            block = Block("h2", f"（{cn_number(second)}）{block.text}", block.run_in)
        out.append(block)
    return out


def plain_text(blocks: list[Block]) -> str:
    return "\n".join(line for block in blocks for line in block.texts())


# Numbers as documents write them ---------------------------------------------------------------


def percent(rate) -> str:
    """0.7544 → 75.4%, 0.5 → 50%, 1.0 → 100% (one decimal, trailing zero dropped)."""
    value = (Decimal(str(rate)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value.normalize():f}%"


def points(now, before) -> str:
    """The change between two rates: 上升2.3个百分点, 下降5个百分点, 持平."""
    diff = ((Decimal(str(now)) - Decimal(str(before))) * 100).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    if not diff:
        return "持平"
    word = "上升" if diff > 0 else "下降"
    return f"{word}{abs(diff).normalize():f}个百分点"


def change(now: int, before: int, measure: str) -> str:
    """增加3条, 减少1条, 持平."""
    if now == before:
        return "持平"
    return f"{'增加' if now > before else '减少'}{abs(now - before)}{measure}"


def decimal_text(value) -> str:
    """4.63 → 4.63, 5.0 → 5."""
    return f"{Decimal(str(value)).normalize():f}"


def listing(items: list[str]) -> str:
    return "、".join(items)


# Where: the jurisdiction and its office ------------------------------------------------------


@dataclass
class Area:
    name: str  # 北湖区
    level: str  # 区: 全区, 我区
    issuer: str  # the office's full name, for the signature
    office: str  # its short name (区扫黑办), for the text

    @property
    def whole(self) -> str:
        return f"全{self.level}"

    @property
    def ours(self) -> str:
        return f"我{self.level}"


def area_of(scope: Scope, jurisdiction: Jurisdiction | None = None) -> Area:
    """The jurisdiction the document speaks for: the one given, else the one the scope's
    units share (their lowest common ancestor)."""
    if jurisdiction is None:
        jurisdiction = _common_jurisdiction(
            set(scope.units.values_list("jurisdiction_id", flat=True).distinct())
        )
    name = jurisdiction.name if jurisdiction else ""
    level = name[-1] if name[-1:] in "区县市旗州盟" else "辖区"
    office = None
    if jurisdiction is not None:
        office = (
            scope.units.filter(kind=UnitKind.OFFICE, jurisdiction=jurisdiction)
            .order_by("sort_order", "pk")
            .first()
        )
    issuer = office.name if office else f"{name}扫黑除恶专项斗争领导小组办公室"
    short = (office.short_name or office.name) if office else f"{name}扫黑办"
    return Area(name=name, level=level, issuer=issuer, office=short)


def _common_jurisdiction(ids: set[int]) -> Jurisdiction | None:
    if not ids:
        return None
    parents = dict(Jurisdiction.objects.values_list("pk", "parent_id"))

    def chain(pk):
        out = []
        while pk is not None and pk not in out:
            out.append(pk)
            pk = parents.get(pk)
        return out

    chains = [chain(pk) for pk in ids]
    shared = set(chains[0]).intersection(*chains[1:])
    common = next((pk for pk in chains[0] if pk in shared), None)
    return Jurisdiction.objects.filter(pk=common).first()


# Templates (下步工作打算, 工作要求) ---------------------------------------------------------------

_INVALID = "\x00{%s}\x00"
_H2 = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]\s*")


def template_path(name: str) -> Path:
    """An office's edited copy in $SAOHEI_VAR_DIR/templates/, else the one shipped here."""
    var_dir = getattr(settings, "VAR_DIR", None)
    if var_dir is not None:
        local = Path(var_dir) / "templates" / name
        if local.is_file():
            return local
    return DATA / name


def template_blocks(name: str, context: dict) -> list[Block]:
    """The paragraphs of the Word template `name`, each rendered as a Django template with
    `context` ({{ overdue }}, {% if overdue %}…{% endif %}). A paragraph that renders empty is
    left out; one that starts with （一） is a second-level heading (renumbered in order),
    with the text after its first 。 run in as body text."""
    path = template_path(name)
    try:
        paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    except Exception as exc:  # a damaged or missing file: python-docx raises several kinds
        raise DocumentError(
            _("The template %(name)s cannot be opened: %(error)s")
            % {"name": path.name, "error": exc}
        ) from exc
    engine = Engine(string_if_invalid=_INVALID, autoescape=False)
    blocks = []
    for number, source in enumerate(paragraphs, start=1):
        if not source.strip():
            continue
        try:
            text = engine.from_string(source).render(Context(context, autoescape=False))
        except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
            raise DocumentError(
                _("Paragraph %(n)s of the template %(name)s is not a valid template: %(error)s")
                % {"n": number, "name": path.name, "error": exc}
            ) from exc
        unknown = re.findall(r"\x00\{(.*?)\}\x00", text)
        if unknown:
            raise DocumentError(
                _(
                    "Paragraph %(n)s of the template %(name)s uses %(names)s, which it is not "
                    "given. The values a template can use: %(known)s."
                )
                % {
                    "n": number,
                    "name": path.name,
                    "names": ", ".join(sorted(set(unknown))),
                    "known": ", ".join(sorted(context)),
                }
            )
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            continue
        match = _H2.match(text)
        if match:
            rest = text[match.end() :]
            head, stop, run_in = rest.partition("。")
            if stop and run_in.strip():
                blocks.append(Block("h2", head + stop, run_in=run_in.strip()))
            else:
                blocks.append(Block("h2", rest))
        else:
            blocks.append(Block("body", text))
    return blocks


# Checks before anything is given out ----------------------------------------------------------

# What an unfilled document shows: template marks, the *** and XX of hand-made drafts, blanks
# to write into, a value that was missing.
PLACEHOLDERS = re.compile(
    r"\{\{|\}\}|\{%|%\}|\*{2,}|＊{2,}|[XxＸｘ×]{2,}|_{2,}|＿{2,}|\bNone\b|\bnan\b|（\s*）|\(\s*\)"
)


def unfilled(blocks: list[Block]) -> list[str]:
    """The lines of the document that still hold a placeholder."""
    return [line for line in plain_text(blocks).splitlines() if PLACEHOLDERS.search(line)]


def describe_finding(finding) -> str:
    """第3行：“打黑除恶” → “扫黑除恶” (the wording check's own one-line form)."""
    return finding.as_line()


def wording_findings(text: str) -> list:
    """A report is not a publicity text: no reporting phone is required."""
    from .wording import check_text

    return list(check_text(text, publicity=False))


def check(blocks: list[Block], what: str) -> None:
    """Refuse a document with a placeholder left or a wording finding."""
    left = unfilled(blocks)
    if left:
        raise DocumentError(
            _("The %(what)s still has unfilled places, so it was not made: %(lines)s")
            % {"what": what, "lines": " / ".join(left[:5])}
        )
    findings = wording_findings(plain_text(blocks))
    if findings:
        raise DocumentError(
            _(
                "The wording check found %(n)s problem(s) in the %(what)s, so it was not made; "
                "correct the template or the records and try again: %(findings)s"
            )
            % {
                "n": len(findings),
                "what": what,
                "findings": "; ".join(describe_finding(f) for f in findings),
            }
        )


# Writing ---------------------------------------------------------------------------------------


def write_document(blocks: list[Block], fh, *, title: str, author: str) -> None:
    """The blocks as a GB/T 9704 document: 22 lines of 28 characters."""
    doc = officialdoc.new_document(title=title, author=author)
    officialdoc.fit_characters(doc)
    for block in blocks:
        if block.kind == "title":
            officialdoc.title(doc, block.text)
        elif block.kind == "subtitle":
            paragraph = doc.add_paragraph(style=officialdoc.FLUSH_STYLE)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            officialdoc.east_asian_font(paragraph.add_run(block.text), officialdoc.KAITI)
            officialdoc.blank(doc)
        elif block.kind == "h1":
            officialdoc.heading1(doc, block.text)
        elif block.kind == "h2":
            officialdoc.heading2(doc, block.text, block.run_in)
        elif block.kind == "caption":
            paragraph = doc.add_paragraph(style=officialdoc.FLUSH_STYLE)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = True  # with its table
            officialdoc.east_asian_font(paragraph.add_run(block.text), officialdoc.HEITI)
        elif block.kind == "table":
            headers, *rows = block.data
            officialdoc.table(doc, headers, rows, block.widths)
            officialdoc.blank(doc)
        elif block.kind == "signature":
            officialdoc.signature(doc, block.text, block.data[0])
        else:
            officialdoc.body(doc, block.text)
    doc.save(fh)
