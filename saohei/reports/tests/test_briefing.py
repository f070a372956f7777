"""The briefing (汇报材料): the hand-built history of test_figures told in sentences, for two
days, in the official format, with only the shortfalls the figures show; the command, the
download and the LibreOffice rendering."""

import datetime
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import include, path
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from saohei.audit.models import AuditEntry
from saohei.cases import actions as cases
from saohei.cases.models import Asset, Official, Suspect
from saohei.core import officialdoc
from saohei.orgs.choices import Role, UnitKind
from saohei.reports import briefing, documents
from saohei.reports.briefing import briefing_document
from saohei.reports.document_views import briefing_download, bulletin_download
from saohei.reports.documents import DocumentError
from saohei.reports.figures import Scope, figures
from saohei.reports.tests import test_figures
from saohei.reports.tests.test_figures import at

# The hand-built history of test_figures (its figures counted by hand there), as a fixture here.
history = test_figures.history

pytestmark = pytest.mark.django_db
D = datetime.date
JUNE, AUGUST, EARLY = D(2019, 6, 30), D(2019, 8, 31), D(2019, 6, 5)

# The download views, until the reports URLs carry them (@pytest.mark.urls below).
urlpatterns = [
    path("briefing.docx", briefing_download),
    path("bulletin.docx", bulletin_download),
    path("", include("saohei.urls")),
]


def render(day, scope=None) -> docx.Document:
    fh = io.BytesIO()
    briefing_document(day, scope or Scope.everything(), fh)
    return docx.Document(io.BytesIO(fh.getvalue()))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def section(doc, heading: str) -> list[str]:
    """The paragraphs under a first-level heading, up to the next one."""
    out, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == officialdoc.HEADING1_STYLE:
            inside = p.text.endswith(heading)
            continue
        if inside and p.text.strip() and p.style.name != officialdoc.FLUSH_STYLE:
            out.append(p.text)  # not the signature
    return out


def name(unit) -> str:
    return unit.short_name or unit.name


def test_june_briefing_states_the_figures_counted_by_hand(history, units):
    doc = render(JUNE)
    police = name(history["police"])
    lines = texts(doc)
    assert lines[:3] == [
        "北湖区扫黑除恶专项斗争工作汇报",
        "（截至2019年6月30日）",
        "现将我区扫黑除恶专项斗争工作情况汇报如下。",
    ]
    assert [p.text for p in doc.paragraphs if p.style.name == officialdoc.HEADING1_STYLE] == [
        "一、基本情况", "二、存在问题", "三、下步工作打算",
    ]  # fmt: skip
    basic = section(doc, "基本情况")
    assert basic == [
        "（一）线索摸排核查情况",
        # 4 clues (C6 merged, C5 not yet received): C1 concluded, C2 interim, C3 verifying,
        # C4 waiting; 2 of 4 done.
        "截至2019年6月30日，全区共受理涉黑涉恶线索4条，其中群众举报3条、成员单位移交1条。"
        "已查结1条、阶段性查结1条，正在核查1条，待分流1条，线索办结率50%（含阶段性查结）；"
        "查结线索中已立案1条。",
        "（二）打击黑恶势力犯罪情况",
        # The case is at the procuratorate; its checks are recorded only on 15 July and the
        # fine on 1 July.
        "共立涉黑涉恶案件1起，已办结0起，处于审查起诉阶段1起。"
        "打掉恶势力团伙1个，涉案成员3人（甲某某等3人寻衅滋事案）。"
        "对1起涉黑涉恶案件落实“一案三查”，尚无全部完成的案件。",
        "（三）线索案件移送情况",
        "成员单位之间移送线索和案件2件，已反馈1件。",
    ]
    problems = section(doc, "存在问题")
    members = [u for k, u in units.items() if k != UnitKind.OFFICE]
    members.sort(key=lambda u: (u.sort_order, u.name))
    assert problems == [
        "（一）线索核查办结率偏低",
        "截至2019年6月30日，全区线索办结率为50%，低于90%的目标要求，尚有1条线索正在核查、"
        f"1条线索待分流。办结率低于目标的单位有{police}（66.7%）。",
        "（二）部分线索超期未办结",
        f"1条线索超过办理期限仍未查结，涉及1个单位：{police}1条。",  # C3, due 10 June
        "（三）成员单位线索移交不力",
        f"7个成员单位中，有7个单位未移交线索，占100%，分别是{'、'.join(map(name, members))}。",
        "（四）纪检监察机关与公安机关线索双向移送不畅",
        "公安机关向纪检监察机关移送1件，纪检监察机关向公安机关移送0件，"
        "线索移送仅单向进行，双向移送机制尚未有效运转。",
        "（五）“一案三查”落实不到位",
        "1起涉黑涉恶案件中，有1起“一案三查”尚未全部完成，"
        "深挖彻查黑恶势力背后“保护伞”和监管失职问题还不到位。",
    ]
    # Industry disorder is 1 of 4 clues: no "low quality" paragraph; nothing late yet.
    assert not any("线索质量不高" in t or "反馈不及时" in t for t in problems)
    steps = section(doc, "下步工作打算")
    assert (
        "（二）开展“百日攻坚”清仓见底。对1条超期线索逐条挂牌督办、限期办结；"
        "对1条正在核查和1条阶段性查结的线索集中力量攻坚；对1条待分流线索及时交办；"
        "对1起未办结案件加快办理进度；力争线索办结率由50%提高到90%以上，"
        "实现案件清仓、线索见底。"
    ) in steps
    assert not any("涉油案件" in t for t in steps)  # no oil case: that clause is left out
    assert lines[-2:] == [units[UnitKind.OFFICE].name, "2019年6月30日"]


def test_august_briefing_after_the_later_changes(history, units):
    doc = render(AUGUST)
    basic = section(doc, "基本情况")
    assert basic[1] == (
        "截至2019年8月31日，全区共受理涉黑涉恶线索5条，其中群众举报4条、成员单位移交1条。"
        "已查结2条、阶段性查结0条，正在核查1条，待分流2条，线索办结率40%（含阶段性查结）；"
        "查结线索中已立案1条。"
    )
    assert basic[3] == (
        "共立涉黑涉恶案件1起，已办结1起。"
        "打掉恶势力团伙1个，涉案成员3人（甲某某等3人寻衅滋事案）。"
        "对1起涉黑涉恶案件落实“一案三查”，均已全部完成。"
        "深入推进“打财断血”，判处罚金700,000元（70万元）。"
    )
    problems = section(doc, "存在问题")
    discipline = name(units[UnitKind.DISCIPLINE])
    assert "（一）线索核查办结率偏低" in problems
    # The commission never answered the police's transfer, due 1 July.
    assert (
        f"移送的线索和案件中，有1件超过反馈期限未反馈或逾期反馈，涉及{discipline}1件。"
    ) in problems
    assert not any("一案三查" in t for t in problems)  # recorded on 15 July


def test_the_extra_counts_agree_with_figures(history, personas, units):
    """The few counts the briefing takes beside figures() add up to its totals."""
    discipline, police = personas[Role.DISCIPLINE], personas[Role.HANDLER]
    umbrella = cases.open_case(
        discipline, name="区法院干部乙等2人充当保护伞案", kind="umbrella",
        opened_on=D(2019, 6, 1), at=at(D(2019, 6, 1)),
    )  # fmt: skip
    for who, employer in (("乙", "北湖区人民法院"), ("乙二", "北湖区人民法院")):
        Official.objects.create(case=umbrella, name=who, employer=employer, rank="staff")
    Official.objects.filter(case=umbrella).update(created_at=at(D(2019, 6, 2)))
    oil = cases.open_case(
        police, name="采油厂油井原油被盗案", kind="ordinary", opened_on=D(2019, 6, 3),
        at=at(D(2019, 6, 3)), is_oil=True, crude_oil_tonnes=Decimal("4.63"),
    )  # fmt: skip
    for who in ("丙", "丙二"):
        Suspect.objects.create(case=oil, name=who, role="member")
    Suspect.objects.filter(case=oil).update(created_at=at(D(2019, 6, 4)))
    Asset.objects.create(case=oil, kind="equipment", measure="seized", count=330, on=JUNE)
    scope = Scope.everything()
    for day in (JUNE, AUGUST):
        f = figures(day, scope)
        assert (
            sum(n for _u, n in briefing.late_transfers_by_unit(day, scope)) == f["transfers_late"]
        )
        assert (
            sum(n for _e, n in briefing.officials_by_employer(day, scope))
            == f["officials_investigated"]
        )
        assert len(briefing.gang_case_names(day, scope)) == f["gang_cases"]
    basic = section(render(JUNE), "基本情况")
    assert (
        "深入开展油田领域专项整治，侦办涉油案件1起，涉案人员2人，追缴原油4.63吨，"
        "查扣涉案设备330台（套）。"
    ) in basic
    assert (
        "立案查处涉黑涉恶腐败和“保护伞”案件1起，审查调查公职人员2人，均为北湖区人民法院干部。"
        in basic
    )
    assert sum("查扣涉案设备" in t for t in basic) == 1  # told with the oil cases only
    for day in (JUNE, AUGUST):
        assert (
            briefing.oil_equipment(day, Scope.everything())
            == figures(day, scope)["equipment_seized"]
        )


def test_no_overdue_paragraph_when_no_clue_is_late(history):
    doc = render(EARLY)  # C3 falls due on 10 June; nothing was late on 5 June
    assert figures(EARLY, Scope.everything())["clues_overdue"] == 0
    problems = section(doc, "存在问题")
    assert not any("超期" in t for t in problems)
    assert not any("超期线索" in t for t in section(doc, "下步工作打算"))


def test_without_any_shortfall_the_problems_section_says_so(db, units):
    # No clue recorded yet: nothing is short, not even the hand-overs (none were due).
    problems = section(render(JUNE), "存在问题")
    assert problems == [
        "从截至2019年6月30日的统计数据看，线索办理、案件办理和移送反馈等方面未发现明显短板。"
    ]


def test_publicity_from_the_monthly_indicators(history, units):
    from saohei.reports.defaults import ensure_default_indicators
    from saohei.reports.models import Indicator, MonthlyValue

    assert not any("宣传品" in t for t in section(render(JUNE), "基本情况"))  # none held
    ensure_default_indicators()
    items = Indicator.objects.get(code="publicity_items")
    office = units[UnitKind.OFFICE]
    for month, value in ((D(2018, 3, 1), 8000), (D(2019, 3, 1), 5000), (D(2019, 6, 1), 7000)):
        MonthlyValue.objects.create(unit=office, month=month, indicator=items, value=value)
    MonthlyValue.objects.create(unit=office, month=D(2019, 7, 1), indicator=items, value=99)
    basic = section(render(JUNE), "基本情况")
    assert basic[-2:] == [
        "（四）宣传发动情况",
        # March 2018 to June 2019: 20,000; January-June 2019 against January-June 2018.
        "截至2019年6月，全区累计发放宣传品20000份；2019年1-6月发放宣传品12000份，同比增长50%。",
    ]


def test_page_setup_fonts_and_page_numbers(history):
    doc = render(JUNE)
    section_ = doc.sections[0]
    assert (round(section_.page_width.mm), round(section_.page_height.mm)) == (210, 297)
    margins = (
        section_.top_margin,
        section_.bottom_margin,
        section_.left_margin,
        section_.right_margin,
    )
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]

    def east_asia(style):
        return style.element.rPr.rFonts.get(qn("w:eastAsia"))

    normal = doc.styles["Normal"]
    assert (east_asia(normal), normal.font.size) == ("仿宋_GB2312", Pt(16))
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    height = section_.page_height - section_.top_margin - section_.bottom_margin
    assert height // normal.paragraph_format.line_spacing == 22
    # 28 characters a line: 16 pt condensed by 0.25 pt.
    spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    width = section_.page_width - section_.left_margin - section_.right_margin
    assert spacing == -5 and width // Pt(16 + spacing / 20) == 28

    by_style = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, p)
    title = by_style[officialdoc.TITLE_STYLE]
    assert title.text == "北湖区扫黑除恶专项斗争工作汇报"
    assert (east_asia(title.style), title.style.font.size) == ("方正小标宋简体", Pt(22))
    assert east_asia(doc.styles[officialdoc.HEADING1_STYLE]) == "黑体"
    assert east_asia(doc.styles[officialdoc.HEADING2_STYLE]) == "楷体_GB2312"
    assert doc.styles[officialdoc.HEADING1_STYLE].font.size is None  # the body's 16 pt
    assert by_style[officialdoc.HEADING1_STYLE].text == "一、基本情况"
    assert by_style[officialdoc.HEADING2_STYLE].text == "（一）线索摸排核查情况"
    # A run-in heading of 下步工作打算: 楷体 heading, then the text in 仿宋.
    run_in = next(p for p in doc.paragraphs if p.text.startswith("（一）压紧压实工作责任。"))
    assert run_in.runs[1].font.name == "仿宋_GB2312"

    footer = doc.styles["Footer"]
    assert (east_asia(footer), footer.font.size) == ("宋体", Pt(14))
    for page_footer in (section_.footer, section_.even_page_footer):
        paragraph = page_footer.paragraphs[0]
        assert paragraph.text == "— 1 —" and "PAGE" in paragraph._p.xml


@pytest.mark.parametrize("day", [EARLY, JUNE, AUGUST])
def test_no_placeholder_is_left(history, day):
    doc = render(day)
    text = "\n".join(texts(doc))
    assert not documents.PLACEHOLDERS.search(text), text
    for bad in ("{{", "{%", "***", "XX", "None", "（）"):
        assert bad not in text


def write_template(folder: Path, paragraphs: list[str], name="next_steps.docx") -> None:
    (folder / "templates").mkdir(exist_ok=True)
    doc = officialdoc.new_document()
    for text in paragraphs:
        officialdoc.body(doc, text)
    doc.save(folder / "templates" / name)


def test_an_edited_template_is_used_and_renumbered(history, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    write_template(
        tmp_path,
        [
            "{# 说明 #}",
            "{% if pending %}（一）交办待分流线索。{{ pending }}条线索尽快交办。{% endif %}",
            "{% if oil_cases %}（二）串并涉油案件。{% endif %}",
            "（三）加强督导",
            "定期通报{{ whole_area }}线索办理情况。",
        ],
    )
    assert section(render(JUNE), "下步工作打算") == [
        "（一）交办待分流线索。1条线索尽快交办。",
        "（二）加强督导",  # renumbered: the oil paragraph rendered empty
        "定期通报全区线索办理情况。",
    ]


@pytest.mark.parametrize(
    "paragraph, message",
    [
        ("本月完成***件", "***"),
        ("本月完成XX件", "XX"),
        ("对{{ overdue_clues }}条线索限期办结", "overdue_clues"),
        ("{% if overdue %}未结束", "格式有误"),
    ],
)
def test_an_unfilled_template_refuses_the_document(history, settings, tmp_path, paragraph, message):
    settings.VAR_DIR = tmp_path
    write_template(tmp_path, [paragraph])
    with pytest.raises(DocumentError, match=message.replace("*", r"\*")):
        render(JUNE)


def test_the_wording_check_refuses_a_wrong_slogan(history, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    write_template(tmp_path, ["深入开展打黑除恶专项斗争。"])
    with pytest.raises(DocumentError) as refused:
        render(JUNE)
    assert "打黑除恶" in str(refused.value) and "扫黑除恶" in str(refused.value)


def test_any_finding_of_the_checker_is_listed(history, monkeypatch):
    class Finding:
        def as_line(self):
            return "第3行：“打黑除恶” → “扫黑除恶”"

    from saohei.reports import wording

    monkeypatch.setattr(wording, "check_text", lambda text, **kw: [Finding()])
    fh = io.BytesIO()
    with pytest.raises(DocumentError, match="第3行：“打黑除恶” → “扫黑除恶”"):
        briefing_document(JUNE, Scope.everything(), fh)
    assert fh.getvalue() == b""  # nothing written


# The command ----------------------------------------------------------------------------------


def test_command_writes_the_briefing(history, tmp_path):
    out = tmp_path / "briefing.docx"
    stdout = io.StringIO()
    call_command("briefing", "--as-of", "2019-06-30", "--out", str(out), stdout=stdout)
    assert texts(docx.Document(out))[0] == "北湖区扫黑除恶专项斗争工作汇报"
    call_command(
        "briefing", "--as-of", "2019-06-30", "--out", str(out), "--jurisdiction", "239901",
        stdout=stdout,
    )  # fmt: skip
    assert "2019-06-30" in stdout.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-of", "2019-6-31"], "YYYY-MM-DD"),
        (["--as-of", "2999-01-01"], "尚未到来"),
        (["--as-of", "2019-06-30", "--jurisdiction", "999999"], "999999"),
    ],
)
def test_command_refuses_bad_input(history, tmp_path, args, message):
    out = tmp_path / "briefing.docx"
    with pytest.raises(CommandError, match=message):
        call_command("briefing", *args, "--out", str(out))
    assert not out.exists()
    with pytest.raises(CommandError, match=".docx"):
        call_command("briefing", "--as-of", "2019-06-30", "--out", str(tmp_path / "b.pdf"))


def test_command_writes_no_file_for_a_refused_document(history, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    write_template(tmp_path, ["本月完成***件"])
    out = tmp_path / "briefing.docx"
    with pytest.raises(CommandError, match="未填写"):
        call_command("briefing", "--as-of", "2019-06-30", "--out", str(out))
    assert not out.exists()


def test_command_exit_code_on_a_bad_date(tmp_path):
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "briefing", "--as-of", "30/06/2019", "--out",
         str(tmp_path / "b.docx")],
        cwd=Path(__file__).resolve().parents[3], capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "30/06/2019" in done.stderr


# The download ---------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_office_downloads_the_briefing_and_it_is_audited(history, personas, client):
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.get("/briefing.docx?as_of=2019-06-30")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    doc = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert texts(doc)[0] == "北湖区扫黑除恶专项斗争工作汇报"
    entry = AuditEntry.objects.filter(object_type="reports.briefing").get()
    assert entry.changes == {"as_of": "2019-06-30"}
    assert "20190630" in entry.object_repr


@pytest.mark.urls(__name__)
def test_download_refuses_a_bad_date_and_other_roles(history, personas, client):
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.get("/briefing.docx?as_of=30/06/2019")
    assert response.status_code == 400 and "YYYY-MM-DD" in response.content.decode()
    back = client.get("/briefing.docx?as_of=2999-01-01", HTTP_REFERER="http://testserver/reports/")
    assert back.status_code == 302 and back["Location"] == "http://testserver/reports/"
    client.force_login(personas[Role.HANDLER])
    assert client.get("/briefing.docx?as_of=2019-06-30").status_code == 403
    client.force_login(personas[Role.LEADER_VIEWER])
    assert client.get("/briefing.docx?as_of=2019-06-30").status_code == 200
    client.logout()
    assert client.get("/briefing.docx").status_code == 302
    assert not AuditEntry.objects.filter(
        object_type="reports.briefing", actor__username__contains="handler"
    ).exists()


@pytest.mark.urls(__name__)
def test_download_with_a_refused_document_says_why(history, personas, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    write_template(tmp_path, ["本月完成XX件"])
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.get("/briefing.docx?as_of=2019-06-30")
    assert response.status_code == 400 and "XX" in response.content.decode()
    assert not AuditEntry.objects.filter(object_type="reports.briefing").exists()


# LibreOffice ----------------------------------------------------------------------------------


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer-nogui")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed: apt-get install poppler-utils")
    return found


def test_libreoffice_lays_it_out_as_an_official_document(history, tmp_path):
    """Converted to PDF: A4, the title first, "— 1 —" at the foot, and on a page of plain body
    text 22 lines of 28 characters."""
    binary = soffice()
    fh = io.BytesIO()
    briefing_document(JUNE, Scope.everything(), fh)
    (tmp_path / "briefing.docx").write_bytes(fh.getvalue())
    grid = officialdoc.new_document()
    officialdoc.fit_characters(grid)
    officialdoc.body(grid, "".join("扫黑除恶专项斗争"[i % 8] for i in range(26 + 28 * 25)))
    grid.save(tmp_path / "grid.docx")
    profile = (tmp_path / "profile").as_uri()  # its own profile: parallel runs do not collide
    subprocess.run(  # noqa: S603
        [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "briefing.docx"), str(tmp_path / "grid.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip

    def pages(name):
        text = subprocess.run(  # noqa: S603
            ["pdftotext", "-layout", str(tmp_path / name), "-"],  # noqa: S607
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        return [[line.strip() for line in page.splitlines() if line.strip()]
                for page in text.split("\f") if page.strip()]  # fmt: skip

    briefing_pages = pages("briefing.pdf")
    assert briefing_pages[0][0] == "北湖区扫黑除恶专项斗争工作汇报"
    assert briefing_pages[0][-1].replace(" ", "") == "—1—"
    assert briefing_pages[1][-1].replace(" ", "") == "—2—"
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", str(tmp_path / "briefing.pdf")],
        capture_output=True,
        text=True,
        check=False,  # noqa: S607
    ).stdout
    if info:
        assert "595.3" in info and "841.8" in info  # A4 in points

    first, second = pages("grid.pdf")[:2]
    body = first[:-1]  # the page number last
    assert len(body) == 22
    assert len(body[0]) == 26 and {len(line) for line in body[1:]} == {28}
    assert {len(line) for line in second[:-1]} == {28}
