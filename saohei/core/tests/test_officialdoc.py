"""Official-document helpers (GB/T 9704-2012): what Word reads from the file they write."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length

from saohei.core import officialdoc


def reopen(doc):
    fh = io.BytesIO()
    doc.save(fh)
    fh.seek(0)
    return Document(fh)


def ind(paragraph, attr):
    return paragraph._p.pPr.ind.get(qn(f"w:{attr}"))


def test_east_asian_font_sets_the_face_for_chinese_text_and_drops_theme_fonts():
    doc = officialdoc.new_document()
    run = officialdoc.body(doc, "正文").runs[0]
    officialdoc.east_asian_font(run, officialdoc.KAITI)
    rfonts = reopen(doc).paragraphs[0].runs[0]._r.rPr.rFonts
    assert rfonts.get(qn("w:eastAsia")) == rfonts.get(qn("w:ascii")) == "楷体_GB2312"
    # The template's defaults name theme fonts, which would win over an explicit face.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = defaults.find(qn("w:rPr"))
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsiaTheme")) is None
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_body_has_22_lines_of_28_characters_and_no_gaps_round_digits():
    doc = reopen(officialdoc.new_document())
    normal, section = doc.styles["Normal"], doc.sections[0]
    height = section.page_height - section.top_margin - section.bottom_margin
    width = section.page_width - section.left_margin - section.right_margin
    assert (round(Length(height).mm), round(Length(width).mm)) == (225, 156)
    assert height // normal.paragraph_format.line_spacing == 22
    assert width // normal.font.size == 27  # 28 with Word's character grid, which we leave off
    ppr = normal.element.pPr
    assert ppr.find(qn("w:autoSpaceDE")).get(qn("w:val")) == "0"
    assert ppr.find(qn("w:autoSpaceDN")).get(qn("w:val")) == "0"
    assert ppr.ind.get(qn("w:firstLineChars")) == "200"


def test_date_four_characters_from_the_right_and_issuer_centred_over_it():
    doc = officialdoc.new_document()
    issuer, date = officialdoc.signature(doc, "区扫黑办", "2019年6月3日")
    # 2019年6月3日 is 6 characters wide (digits are half): its middle 7 from the right edge.
    assert ind(date, "rightChars") == "400"
    assert ind(issuer, "rightChars") == "500"


def test_an_issuer_longer_than_that_stays_two_characters_in():
    doc = officialdoc.new_document()
    name = "北湖区扫黑除恶专项斗争领导小组办公室"
    issuer, date = officialdoc.signature(doc, name, "2019年6月3日")
    assert ind(issuer, "rightChars") == "200"
    assert ind(date, "rightChars") == "800"  # its middle under the issuer's, 11 from the edge


def test_attachments_are_numbered_only_when_there_are_several():
    doc = officialdoc.new_document()
    assert [p.text for p in officialdoc.attachments(doc, ["询问笔录"])] == ["附件：询问笔录"]
    several = officialdoc.attachments(doc, ["现场照片", "询问笔录"])
    assert [p.text for p in several] == ["附件：1．现场照片", "2．询问笔录"]
    assert ind(several[1], "leftChars") == "500"  # under the first name
    assert officialdoc.attachments(doc, []) == []


def test_page_numbers_on_the_outside_of_odd_and_even_pages():
    doc = reopen(officialdoc.new_document())
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, side in ((section.footer, "rightChars"), (section.even_page_footer, "leftChars")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert "PAGE" in paragraph._p.xml
        assert ind(paragraph, side) == "100"
