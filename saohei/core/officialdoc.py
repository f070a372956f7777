"""Chinese official documents (党政机关公文格式, GB/T 9704-2012) as .docx, for what offices
still sign and stamp on paper (DESIGN §8): the transfer letter, the approval forms, the
briefing report.

`new_document()` gives an A4 document with the standard type area (版心 156 × 225 mm: top
37 mm, bottom 35 mm, left 28 mm, right 26 mm), body text in 仿宋_GB2312 三号 on a fixed
28.95 pt line (22 lines a page) with a two-character first-line indent, and page numbers
"— 1 —" in 四号宋体 outside at the foot. The other functions add the elements of a document
in their standard places and fonts; each returns the paragraph it wrote.

Three things a document may add: first- and second-level headings (一、 in 黑体, （一） in 楷体,
`heading1`, `heading2`), exactly 28 characters a line (`fit_characters`), and a table of
figures (`table`).
"""

from __future__ import annotations

import math

import docx
import docx.table
from django.utils import timezone
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

FANGSONG = "仿宋_GB2312"  # body text
XIAOBIAOSONG = "方正小标宋简体"  # title
HEITI = "黑体"  # secrecy marking, first-level headings
KAITI = "楷体_GB2312"  # second-level headings
SONGTI = "宋体"  # page numbers

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_PAGE_NUMBER = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四: figures in a table
# The type area is 225 mm high and holds 22 lines: 637.8 pt / 22, rounded down to a
# twentieth of a point so that the 22nd line still fits.
LINE = Pt(28.95)

# Style names, for the people who go on editing the document in Word or WPS.
TITLE_STYLE = "Official Title"
FLUSH_STYLE = "Official Flush"  # no indent: addressee, document number, signature
MARKING_STYLE = "Official Marking"
HEADING1_STYLE = "Official Heading 1"  # 一、 黑体
HEADING2_STYLE = "Official Heading 2"  # （一） 楷体
TABLE_STYLE = "Official Table Text"  # figures in a table cell

CHARS_PER_LINE = 28


def east_asian_font(target, name: str, size=None) -> None:
    """Set the typeface of a run or a style to `name` for Chinese text as well.

    python-docx's `font.name` only writes w:ascii and w:hAnsi, the faces for Latin text;
    Word picks the face for Chinese characters from w:eastAsia, so without it the text stays
    in the template's theme font (e.g. 等线) whatever `font.name` says. We set all three to
    the same face, as offices do (digits in the body are in 仿宋 too), drop the theme
    attributes that would override them, and hint that ambiguous characters (quotes, dashes)
    are East Asian so they take the full-width Chinese glyphs.
    """
    target.font.name = name
    if size is not None:
        target.font.size = size
    rfonts = target._element.get_or_add_rPr().get_or_add_rFonts()
    _set_fonts(rfonts, name)


def _set_fonts(rfonts, name: str) -> None:
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def indent_chars(target, *, first_line: float = 0, left: float = 0, right: float = 0) -> None:
    """Indent a paragraph or a paragraph style by a number of characters (字).

    Word and WPS count w:firstLineChars etc. in hundredths of a character of the paragraph's
    own font; the lengths written beside them (for readers that ignore the *Chars
    attributes) assume the 三号 body size.
    """
    fmt = target.paragraph_format
    fmt.first_line_indent = int(SIZE_BODY * first_line)
    fmt.left_indent = int(SIZE_BODY * left)
    fmt.right_indent = int(SIZE_BODY * right)
    ind = target._element.get_or_add_pPr().get_or_add_ind()
    for attr, chars in (("w:firstLineChars", first_line), ("w:leftChars", left)):
        ind.set(qn(attr), str(round(chars * 100)))
    ind.set(qn("w:rightChars"), str(round(right * 100)))


def text_width(text: str) -> float:
    """Width of `text` in characters of body text: Latin letters and digits are half wide."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def new_document(title: str = "", author: str = "") -> Document:
    doc = docx.Document()
    props = doc.core_properties  # not the template's "python-docx" of 2013
    props.title, props.author, props.last_modified_by, props.comments = title, author, author, ""
    props.created = props.modified = timezone.now()
    props.revision = 1
    _page_setup(doc)
    _styles(doc)
    _page_numbers(doc)
    return doc


def _page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number's dash sits about 7 mm under the type area.
    section.footer_distance = Mm(24)


def _styles(doc: Document) -> None:
    # The template's defaults name theme fonts, put 10 pt after each paragraph and mark
    # Chinese text "en-US": replace them, so that nothing falls back to them.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr.find(qn("w:rFonts")), FANGSONG)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")

    normal = doc.styles["Normal"]
    east_asian_font(normal, FANGSONG, SIZE_BODY)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = 0
    fmt.widow_control = False  # keep every page on the 22-line grid
    indent_chars(normal, first_line=2)
    # Word adds a quarter-character gap between Chinese and Latin letters or digits by
    # default; official documents write 2019年6月3日 solid.
    ppr = normal.element.get_or_add_pPr()
    for i, tag in enumerate(_AUTO_SPACE):
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "0")
        ppr.insert_element_before(flag, *_AUTO_SPACE[i + 1 :], *_PPR_AFTER_AUTO_SPACE)

    title = doc.styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    east_asian_font(title, XIAOBIAOSONG, SIZE_TITLE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    indent_chars(title)

    flush = doc.styles.add_style(FLUSH_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    flush.base_style = normal
    indent_chars(flush)

    marking = doc.styles.add_style(MARKING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    marking.base_style = flush
    east_asian_font(marking, HEITI)
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    # Headings keep the body's size, indent and line; the outline level lets Word and WPS
    # list them in the navigation pane. A heading never ends a page.
    for name, face, level in ((HEADING1_STYLE, HEITI, 0), (HEADING2_STYLE, KAITI, 1)):
        heading = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        heading.base_style = normal
        east_asian_font(heading, face)
        heading.paragraph_format.keep_with_next = True
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level))
        heading.element.get_or_add_pPr().append(outline)

    cell = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    east_asian_font(cell, FANGSONG, SIZE_TABLE)
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    cell.paragraph_format.line_spacing = Pt(20)
    indent_chars(cell)

    footer = doc.styles["Footer"]
    east_asian_font(footer, SONGTI, SIZE_PAGE_NUMBER)
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    indent_chars(footer)


_AUTO_SPACE = ("w:autoSpaceDE", "w:autoSpaceDN")
# What follows them in w:pPr (ECMA-376 CT_PPrBase), for inserting them in schema order.
_PPR_AFTER_AUTO_SPACE = (
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def fit_characters(doc: Document, chars: int = CHARS_PER_LINE) -> int:
    """Exactly `chars` characters of body text a line (GB/T 9704: 28 a line), by condensing
    the character spacing of the Normal style (and so of every style based on it). Returns
    the spacing in twentieths of a point (−5: 0.25 pt condensed).

    A 156 mm line holds 27.6 characters of 16 pt. Word's document grid (w:docGrid
    type="linesAndChars" with w:charSpace="-842") would set the pitch to 156 mm / 28 in Word
    and WPS, but LibreOffice lays each character out in whole grid cells and, the 16 pt
    character being wider than the 15.73 pt cell, gives each two: 14 characters a line and a
    title spread across the page. Condensed spacing (w:spacing in w:rPr, 字符间距 紧缩) is
    read the same way by Word, WPS and LibreOffice: each character advances by its size plus
    the spacing, the largest whole number of twentieths of a point that still fits `chars`
    characters (−0.25 pt: 28 × 15.75 pt = 441 pt of the 442.25 pt line; 29 do not fit), and
    justified lines share the rest.
    """
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    normal = doc.styles["Normal"]
    # Lengths are EMU; the file stores the margins in twentieths of a point.
    width_twips = round(width / 635)
    spacing = math.floor(width_twips / chars - normal.font.size.pt * 20)
    rpr = normal.element.get_or_add_rPr()
    element = rpr.find(qn("w:spacing"))
    if element is None:
        element = OxmlElement("w:spacing")
        # CT_RPr order: w:spacing comes before w:w, w:kern, w:position, w:sz …
        later = [rpr.find(qn(t)) for t in ("w:w", "w:kern", "w:position", "w:sz", "w:szCs")]
        following = next((e for e in later if e is not None), None)
        if following is not None:
            following.addprevious(element)
        else:
            rpr.append(element)
    element.set(qn("w:val"), str(spacing))
    return spacing


def heading1(doc: Document, text: str) -> Paragraph:
    """First-level heading (一、基本情况): 黑体, two characters in, no full stop."""
    return doc.add_paragraph(text, style=HEADING1_STYLE)


def heading2(doc: Document, text: str, run_in: str = "") -> Paragraph:
    """Second-level heading (（一）线索核查情况): 楷体, two characters in. With `run_in`, the
    paragraph's body text follows the heading on the same line in the body face, as in
    （一）标题。正文……"""
    paragraph = doc.add_paragraph(text, style=HEADING2_STYLE)
    if run_in:
        east_asian_font(paragraph.add_run(run_in), FANGSONG)
        # A heading with its text is a paragraph like any other: it need not stay with the
        # next one (a run of them kept together would leave a page half empty).
        paragraph.paragraph_format.keep_with_next = False
    return paragraph


def table(
    doc: Document, headers: list[str], rows: list[list], widths_mm: list[float]
) -> docx.table.Table:
    """A table of figures: single lines, text in 仿宋 小四 centred, the header row in 黑体 and
    repeated at the top of each page, 1 mm of padding left and right in each cell; a line
    feed in a value breaks the line there. A row never breaks across pages, and a table that
    fits on one page is kept on one page (with the paragraph before it, if that is set to
    keep with the next). The widths should add up to the type area's 156 mm."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(Mm(1).pt * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.append(margins)
    all_rows = [headers, *rows]
    for index, values in enumerate(all_rows):
        cells = grid.rows[0].cells if index == 0 else grid.add_row().cells
        for cell, value, width in zip(cells, values, widths_mm, strict=True):
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles[TABLE_STYLE]
            paragraph.paragraph_format.keep_with_next = index < len(all_rows) - 1
            for number, line in enumerate(str(value).split("\n")):  # \n: a line break
                if number:
                    paragraph.add_run().add_break()
                run = paragraph.add_run(line)
                if index == 0:
                    east_asian_font(run, HEITI)
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)  # w:gridCol, which LibreOffice reads rather than w:tcW
    grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for row in grid.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return grid


def _page_numbers(doc: Document) -> None:
    """— 1 — under the type area: odd pages on the right, even pages on the left, each one
    character in from the edge of the type area."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        paragraph.alignment = align
        ind = {"left": 0, "right": 0, side: 1}
        indent_chars(paragraph, left=ind["left"], right=ind["right"])
        paragraph.add_run("— ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" —")


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    def char(kind):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def blank(doc: Document, lines: int = 1) -> None:
    for _ in range(lines):
        doc.add_paragraph(style=FLUSH_STYLE)


def marking(doc: Document, text: str) -> Paragraph:
    """Secrecy or handling marking (密级, 内部资料 注意保密): 黑体, top left."""
    return doc.add_paragraph(text, style=MARKING_STYLE)


def document_number(doc: Document, text: str) -> Paragraph:
    """发文字号 as in a letter (信函格式): flush with the right edge of the type area."""
    paragraph = doc.add_paragraph(text, style=FLUSH_STYLE)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def title(doc: Document, text: str) -> Paragraph:
    return doc.add_paragraph(text, style=TITLE_STYLE)


def addressee(doc: Document, name: str) -> Paragraph:
    """主送机关: flush left, followed by a full-width colon."""
    return doc.add_paragraph(f"{name}：", style=FLUSH_STYLE)


def body(doc: Document, text: str) -> Paragraph:
    return doc.add_paragraph(text)


def attachments(doc: Document, names: list[str]) -> list[Paragraph]:
    """附件说明: a line below the body, two characters in; numbered when more than one, the
    later names aligned under the first."""
    if not names:
        return []
    blank(doc)
    if len(names) == 1:
        return [body(doc, f"附件：{names[0]}")]
    lines = [body(doc, f"附件：1．{names[0]}")]
    for number, name in enumerate(names[1:], start=2):
        paragraph = doc.add_paragraph(f"{number}．{name}", style=FLUSH_STYLE)
        indent_chars(paragraph, left=2 + text_width("附件："))
        lines.append(paragraph)
    return lines


def signature(doc: Document, issuer: str, date_text: str) -> tuple[Paragraph, Paragraph]:
    """发文机关署名 and 成文日期 of a document to be stamped: the date four characters in from
    the right, the issuer centred over it. An issuer too long for that stays two characters
    in from the right and the date is centred under it instead. Two blank lines above leave
    room for the seal."""
    blank(doc, 2)
    axis = max(4 + text_width(date_text) / 2, 2 + text_width(issuer) / 2)
    lines = []
    for text in (issuer, date_text):
        paragraph = doc.add_paragraph(text, style=FLUSH_STYLE)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        indent_chars(paragraph, right=axis - text_width(text) / 2)
        lines.append(paragraph)
    return lines[0], lines[1]


def note(doc: Document, text: str) -> Paragraph:
    """附注 (e.g. the contact person), on the line under the date, two characters in, in
    parentheses."""
    return body(doc, f"（{text}）")
