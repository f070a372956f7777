"""The transfer letter (移送函) as the receiving unit reads it on paper."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from saohei.cases.actions import open_case
from saohei.cases.choices import CaseKind
from saohei.clues.choices import Category, Status
from saohei.clues.tests.factories import clue_in
from saohei.orgs.choices import Role, UnitKind
from saohei.transfers import actions
from saohei.transfers.choices import TransferKind
from saohei.transfers.letter import transfer_letter

from .factories import at

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2019, 6, 3)  # the week of the Dragon Boat Festival (7 June, a holiday)
INFORMANT = {"informant_name": "王秀英", "informant_phone": "13912345678"}


@pytest.fixture
def office(personas, units):
    office = units[UnitKind.OFFICE]
    office.short_name = "北湖扫黑办"
    office.save()
    user = personas[Role.OFFICE_ADMIN]  # reads umbrella clues too
    user.full_name, user.phone = "李明", "0459-4612345"
    user.save()
    return user


def send_clue(office, units, personas, kind=TransferKind.JURISDICTION):
    category, to = {
        TransferKind.JURISDICTION: (Category.INDUSTRY_DISORDER, UnitKind.REGULATOR),
        TransferKind.UMBRELLA: (Category.UMBRELLA, UnitKind.DISCIPLINE),
    }[kind]
    clue = clue_in(
        Status.RECEIVED,
        personas,
        category=category,
        summary="张三在北湖街道砂石市场强买强卖",
        anonymous=False,
        **INFORMANT,
    )
    return actions.send(
        office,
        clue=clue,
        to_unit=units[to],
        kind=kind,
        reason="砂石市场欺行霸市，请依职责整治并反馈",
        at=at(MONDAY),
    )


def render(transfer):
    fh = io.BytesIO()
    transfer_letter(transfer, fh)
    return Document(io.BytesIO(fh.getvalue())), fh.getvalue()


def lines(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def test_a_clue_letter_says_what_why_and_by_when(office, units, personas):
    transfer = send_clue(office, units, personas)
    doc, _ = render(transfer)
    assert lines(doc) == [
        "北湖扫黑办移〔2019〕1号",
        "线索移送函",
        f"{units[UnitKind.REGULATOR].name}：",
        f"现将线索一件（线索编号：{transfer.clue.number}）移送你单位。"
        "线索主要内容：张三在北湖街道砂石市场强买强卖。",
        "移送事由：砂石市场欺行霸市，请依职责整治并反馈。",
        # 15 working days from Monday 3 June skip the festival on 7 June: 25 June.
        "请于2019年6月6日前签收，2019年6月25日前将办理情况反馈我单位。",
        "特此函告。",
        units[UnitKind.OFFICE].name,
        "2019年6月3日",
        "（联系人：李明，联系电话：0459-4612345）",
    ]
    paragraphs = {p.text: p for p in doc.paragraphs}
    assert alignment(paragraphs["线索移送函"]) == WD_ALIGN_PARAGRAPH.CENTER
    assert alignment(paragraphs["2019年6月3日"]) == WD_ALIGN_PARAGRAPH.RIGHT
    assert alignment(paragraphs[units[UnitKind.OFFICE].name]) == WD_ALIGN_PARAGRAPH.RIGHT
    assert "内部资料" not in "".join(lines(doc))


def test_a_case_letter_names_the_case(personas, units):
    handler = personas[Role.HANDLER]
    clue = clue_in(Status.VERIFYING, personas)
    case = open_case(
        handler,
        name="张三等9人寻衅滋事案",
        kind=CaseKind.EVIL_GANG,
        opened_on=MONDAY,
        clues=[clue],
        summary="张三纠集多人在北湖街道农贸市场寻衅滋事",
    )
    transfer = actions.send(
        handler,
        case=case,
        to_unit=units[UnitKind.PROCURATORATE],
        kind=TransferKind.CRIMINAL,
        reason="涉嫌职务犯罪部分，请依法审查",
        at=at(MONDAY),
    )
    text = lines(render(transfer)[0])
    assert text[1] == "案件移送函"
    assert f"现将张三等9人寻衅滋事案（案件编号：{case.number}）移送你单位。" in text
    # No full name on the account: the letter falls back to the user name, and no phone.
    assert text[-1] == f"（联系人：{handler.username}）"


@pytest.mark.parametrize("kind", [TransferKind.JURISDICTION, TransferKind.UMBRELLA])
def test_the_letter_never_names_the_informant(office, units, personas, kind):
    transfer = send_clue(office, units, personas, kind)
    assert transfer.clue.informant_name == INFORMANT["informant_name"]
    _, raw = render(transfer)
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        for part in package.namelist():
            xml = package.read(part).decode("utf-8", errors="replace")
            for secret in (*INFORMANT.values(), "王秀英", "139"):
                assert secret not in xml, part


def test_an_umbrella_letter_is_marked_for_restricted_handling(office, units, personas):
    transfer = send_clue(office, units, personas, TransferKind.UMBRELLA)
    doc, _ = render(transfer)
    first = doc.paragraphs[0]
    assert first.text.split() == ["内部资料", "注意保密"]
    assert first.style.font.name == "黑体"
    assert lines(doc)[1:4] == [
        "北湖扫黑办移〔2019〕1号",
        "线索移送函",
        f"{units[UnitKind.DISCIPLINE].name}：",
    ]


def test_attachments_are_listed_without_extensions(office, units, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    transfer = send_clue(office, units, personas)
    for name in ("现场照片.jpg", "询问笔录.pdf"):
        actions.attach(transfer, office, SimpleUploadedFile(name, b"x"))
    text = lines(render(transfer)[0])
    assert text[text.index("特此函告。") + 1 :][:2] == ["附件：1．现场照片", "2．询问笔录"]


def test_page_and_fonts_follow_the_official_layout(office, units, personas):
    doc, _ = render(send_clue(office, units, personas))
    section = doc.sections[0]
    # A4 and the GB/T 9704 margins, to the twip (1/1440 inch = 635 EMU) Word stores them in.
    size = (section.page_width, section.page_height)
    assert [abs(a - b) < 635 for a, b in zip(size, (Mm(210), Mm(297)), strict=True)] == [True] * 2
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]
    body = next(p for p in doc.paragraphs if p.text.startswith("移送事由"))
    assert east_asian_font(body) == "仿宋_GB2312"
    assert body.style.font.size == Pt(16)  # 三号
    fmt = body.style.paragraph_format
    assert Pt(28) <= fmt.line_spacing <= Pt(29)
    assert fmt.first_line_indent == Pt(32)  # two characters
    title = next(p for p in doc.paragraphs if p.text == "线索移送函")
    assert east_asian_font(title) == "方正小标宋简体"
    assert title.style.font.size == Pt(22)  # 二号


def alignment(paragraph):
    style = paragraph.style
    while paragraph.alignment is None and style is not None:
        if style.paragraph_format.alignment is not None:
            return style.paragraph_format.alignment
        style = style.base_style
    return paragraph.alignment


def east_asian_font(paragraph) -> str | None:
    """The face Word uses for the paragraph's Chinese text: w:eastAsia from the runs, else
    from the paragraph's style and the styles it is based on."""
    rpr = [r._r.rPr for r in paragraph.runs]
    style = paragraph.style
    while style is not None:
        rpr.append(style.element.rPr)
        style = style.base_style
    for props in rpr:
        if props is not None and props.rFonts is not None:
            face = props.rFonts.get(qn("w:eastAsia"))
            if face:
                return face
    return None
