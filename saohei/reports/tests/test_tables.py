"""The statistical tables (统计报表): the figures of the hand-built history, counted by hand for a
month and a quarter, read back from the .xlsx with openpyxl; the layout a statistics office
expects; the download per role."""

import datetime
import io

import pytest
from django.urls import path, reverse
from openpyxl import load_workbook

from saohei.audit.models import AuditEntry
from saohei.clues import actions as clues
from saohei.clues.choices import Category, Finding, Source
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import User
from saohei.reports.figures import Scope, figures
from saohei.reports.table_views import unit_table_download
from saohei.reports.tables import (
    CASE_TABLE_NUMBER,
    CASE_TABLE_TITLE,
    UNIT_TABLE_NUMBER,
    UNIT_TABLE_TITLE,
    parse_period,
    percent,
    write_unit_table,
)
from saohei.reports.tests.test_figures import at, history  # noqa: F401
from saohei.urls import urlpatterns as site_urls

# The view under a URL of its own, whatever name the project's urls.py gives it.
urlpatterns = [
    *site_urls,
    path("test-tables/units/", unit_table_download, name="test_unit_table"),
]

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["序号", "单位", "交办线索数", "查结", "阶段性查结", "正在核查", "其中：逾期",
          "查结率（%）", "移交线索数", "备注"]  # fmt: skip
FIRST_ROW = 7  # title, period label, 表号 row, two header rows, 栏次


@pytest.fixture
def quarter(history, personas, units):  # noqa: F811 (the imported fixture)
    """Four more clues in the second quarter of 2019, on top of the history of test_figures:

    C7  received 10 April, routed to the police, concluded 21 May;
    C8  received 5 May, routed to the regulator, concluded for the stage 1 June;
    C9  received 20 June, handed over by the regulator (registered by it), not yet routed;
    C10 received 25 June, routed to the police (deadline 31 July), concluded only 6 July.
    """
    office, police, leader = (
        personas[Role.OFFICE_STAFF],
        personas[Role.HANDLER],
        personas[Role.UNIT_LEADER],
    )
    regulator = User.objects.get(username="reg")

    def clue(user, day, **kw):
        return clues.register(
            user, received_on=day, at=at(day), source=kw.pop("source", Source.PUBLIC),
            category=Category.EVIL_FORCE, subjects=kw.pop("subjects"), summary="强迫交易",
        )  # fmt: skip

    c7 = clue(office, D(2019, 4, 10), subjects="己")
    clues.assign(c7, office, police.unit, at=at(D(2019, 4, 11)))
    clues.accept(c7, police, at=at(D(2019, 4, 12)))
    clues.request_conclusion(
        c7, police, finding=Finding.SUBSTANTIATED, result="查实", at=at(D(2019, 5, 20))
    )
    clues.approve(c7, leader, at=at(D(2019, 5, 21)))
    c8 = clue(office, D(2019, 5, 5), subjects="庚")
    clues.assign(c8, office, regulator.unit, at=at(D(2019, 5, 6)))
    clues.accept(c8, regulator, at=at(D(2019, 5, 7)))
    clues.interim(c8, regulator, result="已整治", at=at(D(2019, 6, 1)))
    clue(regulator, D(2019, 6, 20), subjects="辛", source=Source.MEMBER_UNIT)
    c10 = clue(office, D(2019, 6, 25), subjects="壬")
    clues.assign(c10, office, police.unit, deadline=D(2019, 7, 31), at=at(D(2019, 6, 26)))
    clues.accept(c10, police, at=at(D(2019, 6, 27)))
    clues.request_conclusion(
        c10, police, finding=Finding.UNFOUNDED, result="查否", at=at(D(2019, 7, 5))
    )
    clues.approve(c10, leader, at=at(D(2019, 7, 6)))
    return {"police": police.unit, "regulator": regulator.unit}


def table(start, end, scope=None, **kw):
    fh = io.BytesIO()
    kw.setdefault("compiler", "李四")
    kw.setdefault("unit_name", "北湖区扫黑办")
    kw.setdefault("filled_on", D(2019, 7, 3))
    write_unit_table(scope or Scope.everything(), start, end, fh, **kw)
    fh.seek(0)
    return load_workbook(fh)


def values(ws, row):
    return [ws.cell(row, column).value for column in range(1, ws.max_column + 1)]


def body(ws):
    """The unit rows and the 合计 row."""
    rows = []
    for row in range(FIRST_ROW, ws.max_row + 1):
        rows.append(values(ws, row))
        if rows[-1][1] == "合计":
            return rows[:-1], rows[-1]
    raise AssertionError("no 合计 row")


def name(unit):
    return unit.short_name or unit.name


def test_the_quarter_by_hand(quarter):
    ws = table(D(2019, 4, 1), D(2019, 6, 30))["线索办理情况"]
    rows, total = body(ws)
    by_unit = {row[1]: row[2:9] for row in rows}
    # Police: C3 (late since 11 June), C7 concluded, C10 still being verified on 30 June.
    assert by_unit[name(quarter["police"])] == [3, 1, 0, 2, 1, 33.3, 0]
    # Regulator: C8 concluded for the stage; C9 handed over.
    assert by_unit[name(quarter["regulator"])] == [1, 0, 1, 0, 0, 100.0, 1]
    # A unit with nothing routed to it: a row of zeros and no rate.
    assert by_unit[name(quarter["police"].jurisdiction.units.get(kind=UnitKind.COURT))] == [
        0, 0, 0, 0, 0, "—", 0,
    ]  # fmt: skip
    assert total[2:9] == [4, 1, 1, 2, 1, 50.0, 1]
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))


def test_a_month_by_hand(quarter):
    ws = table(D(2019, 6, 1), D(2019, 6, 30))["线索办理情况"]
    rows, total = body(ws)
    by_unit = {row[1]: row[2:9] for row in rows}
    assert by_unit[name(quarter["police"])] == [1, 0, 0, 1, 0, 0.0, 0]  # C10 only
    assert by_unit[name(quarter["regulator"])] == [0, 0, 0, 0, 0, "—", 1]  # C9 handed over
    assert total[2:9] == [1, 0, 0, 1, 0, 0.0, 1]
    assert ws["A2"].value == "（2019年6月）"


@pytest.mark.parametrize(
    "start,end",
    [(D(2019, 4, 1), D(2019, 6, 30)), (D(2019, 6, 1), D(2019, 6, 30)),
     (D(2019, 3, 1), D(2019, 3, 31)), (D(2019, 7, 1), D(2019, 7, 31)),
     (D(2019, 7, 1), D(2019, 9, 30))],
)  # fmt: skip
def test_the_table_agrees_with_the_figures(quarter, start, end):
    figs = figures(end, Scope.everything(), start=start)
    rows, total = body(table(start, end)["线索办理情况"])
    assert len(rows) == len(figs["units"])
    for row, unit in zip(rows, figs["units"], strict=True):
        assert row[1:7] == [unit["unit_name"], unit["assigned"], unit["concluded"],
                            unit["interim"], unit["verifying"], unit["overdue"]]  # fmt: skip
        assert row[8] == unit["handed_over"]
        if unit["conclusion_rate"] is None:
            assert row[7] == "—"
        else:
            assert abs(row[7] - unit["conclusion_rate"] * 100) < 0.05
    # 合计 is the column sums; its rate is computed from them, not averaged.
    for column in range(2, 7):
        assert total[column] == sum(row[column] for row in rows)
    assert total[8] == sum(row[8] for row in rows)
    assert total[7] == percent(total[3] + total[4], total[2])


def test_layout_of_a_statistics_table(quarter):
    ws = table(D(2019, 4, 1), D(2019, 6, 30))["线索办理情况"]
    assert ws["A1"].value == UNIT_TABLE_TITLE == "扫黑除恶专项斗争线索办理情况统计表"
    assert ws["A1"].font.b and "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "（2019年第2季度）"
    row3 = [v for v in values(ws, 3) if v]
    assert row3 == ["制表机关：北湖区扫黑办", "统计期间：2019年4月1日至2019年6月30日",
                    f"表号：{UNIT_TABLE_NUMBER}"]  # fmt: skip
    # Two-level header: 办理情况 over its four columns, the others merged down two rows.
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "C4:C5", "D4:G4", "H4:H5", "I4:I5", "J4:J5"} <= merged
    assert ws["D4"].value == "办理情况"
    header = [ws.cell(4, c).value or ws.cell(5, c).value for c in range(1, 11)]
    header[3:7] = [ws.cell(5, c).value for c in range(4, 8)]
    assert header == HEADER
    assert all(ws.cell(5, c).font.b for c in range(4, 8)) and ws["A4"].font.b
    assert values(ws, 6) == ["甲", "乙", "1", "2", "3", "4", "5", "6", "7", "丙"]
    # Borders on the whole body, 合计 included.
    last = FIRST_ROW + len(body(ws)[0])
    for row in (4, 6, FIRST_ROW, last):
        for column in (1, 10):
            side = ws.cell(row, column).border
            assert side.left.style == side.right.style == side.top.style == "thin"
    assert ws.column_dimensions["B"].width >= 20
    assert ws.cell(FIRST_ROW, 8).number_format == "0.0"
    # Footer: the compiler, a line for the reviewer to sign, the date in Chinese.
    footer = [v for v in values(ws, last + 2) if v]
    assert footer[0] == "填表人：李四"
    assert footer[1].startswith("审核人：__")
    assert footer[2] == "填报日期：2019年7月3日"
    assert values(ws, last + 3)[0].startswith("说明：")


def test_print_setup(quarter):
    wb = table(D(2019, 4, 1), D(2019, 6, 30))
    sheets = ((wb["线索办理情况"], "$1:$6", 0), (wb["案件办理情况"], "$1:$5", 1))
    for ws, title_rows, pages_down in sheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == pages_down
        assert ws.print_title_rows == title_rows
        assert ws.print_area


def test_values_not_formulas(quarter):
    wb = table(D(2019, 4, 1), D(2019, 6, 30))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert not str(cell.value or "").startswith("="), cell.coordinate


def test_case_sheet_by_hand(quarter):
    # Q2: the one case (恶势力团伙, opened 5 April) is at the procuratorate; the fine is
    # dated 1 July. Q3: nothing opened in the quarter; to date the case is closed and fined.
    q2 = table(D(2019, 4, 1), D(2019, 6, 30))["案件办理情况"]
    assert q2["A1"].value == CASE_TABLE_TITLE
    assert f"表号：{CASE_TABLE_NUMBER}" in values(q2, 3)
    assert values(q2, 4) == ["序号", "指标名称", "计量单位", "本期", "累计", "备注"]
    rows = {r[1]: r[3:5] for r in (values(q2, n) for n in range(6, q2.max_row + 1)) if r[1]}
    assert rows["立案案件数"] == [1, 1]
    assert rows["其中：恶势力团伙"] == [1, 1] and rows["其中：涉黑组织"] == [0, 0]
    assert rows["审查起诉"] == [1, 1] and rows["办结"] == [0, 0]
    assert rows["办结案件数"] == [0, 0] and rows["办结率"] == [0.0, 0.0]
    assert rows["涉黑涉恶团伙（组织）成员"] == [3, 3]
    assert rows["判处罚金"] == [0.0, 0.0]

    q3 = table(D(2019, 7, 1), D(2019, 9, 30))["案件办理情况"]
    rows = {r[1]: r[3:5] for r in (values(q3, n) for n in range(6, q3.max_row + 1)) if r[1]}
    assert rows["立案案件数"] == [0, 1]
    assert rows["办结案件数"] == [0, 1] and rows["办结率"] == ["—", 100.0]
    assert rows["判处罚金"] == [0.0, 70.0]  # 700,000 yuan


@pytest.mark.parametrize(
    "text,code,start,end,label",
    [
        ("2019-06", "2019-06", D(2019, 6, 1), D(2019, 6, 30), "2019年6月"),
        ("2019-6", "2019-06", D(2019, 6, 1), D(2019, 6, 30), "2019年6月"),
        ("2020-02", "2020-02", D(2020, 2, 1), D(2020, 2, 29), "2020年2月"),
        ("2019-Q2", "2019-Q2", D(2019, 4, 1), D(2019, 6, 30), "2019年第2季度"),
        (" 2019-q4 ", "2019-Q4", D(2019, 10, 1), D(2019, 12, 31), "2019年第4季度"),
    ],
)
def test_periods(text, code, start, end, label):
    period = parse_period(text)
    assert (period.code, period.start, period.end, period.label) == (code, start, end, label)


@pytest.mark.parametrize(
    "text", ["", "2019", "2019-13", "2019-00", "2019-Q5", "2019-Q0", "201906", "2019/06",
             "19-06", "2019-06-30", "2019Q2"],
)  # fmt: skip
def test_bad_periods(text):
    with pytest.raises(ValueError, match="2019-Q2"):
        parse_period(text)


# The download ------------------------------------------------------------------------------

URL = "/test-tables/units/"


@pytest.fixture
def site(settings):
    settings.ROOT_URLCONF = __name__


def download(client, user, period="2019-Q2", **headers):
    client.force_login(user)
    return client.get(URL, {"period": period}, headers=headers)


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.OFFICE_ADMIN, Role.LEADER_VIEWER,
                                  Role.HANDLER])  # fmt: skip
def test_download_for_business_roles(quarter, personas, client, site, role):
    response = download(client, personas[role])
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "%E7%AC%AC2%E5%AD%A3%E5%BA%A6" in response["Content-Disposition"]  # 第2季度
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["线索办理情况"]
    assert ws["A1"].value == UNIT_TABLE_TITLE
    assert values(ws, 3)[0] == f"制表机关：{personas[role].unit.name}"


def test_office_download_matches_the_hand_count_and_is_audited(quarter, personas, client, site):
    office = personas[Role.OFFICE_STAFF]
    office.full_name = "王五"
    office.save(update_fields=["full_name"])
    response = download(client, office)
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["线索办理情况"]
    rows, total = body(ws)
    assert {r[1]: r[2:9] for r in rows}[name(quarter["police"])] == [3, 1, 0, 2, 1, 33.3, 0]
    assert total[2:9] == [4, 1, 1, 2, 1, 50.0, 1]
    assert "填表人：王五" in values(ws, FIRST_ROW + len(rows) + 2)
    entry = AuditEntry.objects.filter(object_type="reports.table").get()
    assert entry.action == "export" and entry.actor_id == office.pk
    assert entry.changes["period"] == "2019-Q2"
    assert entry.object_repr == "线索办理情况统计表2019年第2季度.xlsx"


def test_monthly_download_file_name(quarter, personas, client, site):
    response = download(client, personas[Role.OFFICE_STAFF], period="2019-06")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith("2019%E5%B9%B46%E6%9C%88.xlsx")  # 2019年6月


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSADMIN, Role.SECURITY_ADMIN])
def test_three_officers_may_not_download(personas, client, site, role):
    assert download(client, personas[role]).status_code == 403
    assert not AuditEntry.objects.filter(object_type="reports.table").exists()


def test_anonymous_goes_to_login(client, site, db):
    response = client.get(URL, {"period": "2019-Q2"})
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("period", ["2019-13", "2019年6月", "", "2999-Q1"])
def test_bad_period_is_refused_with_the_accepted_forms(personas, client, site, period):
    response = download(client, personas[Role.OFFICE_STAFF], period=period)
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(object_type="reports.table").exists()
    if period != "2999-Q1":
        text = response.content.decode()
        assert "2019-06" in text and "2019-Q2" in text


def test_bad_period_from_a_page_goes_back_with_a_message(personas, client, site):
    response = download(
        client, personas[Role.OFFICE_STAFF], period="2019-13", referer="http://testserver/reports/"
    )
    assert response.status_code == 302 and response["Location"] == "http://testserver/reports/"
    response = download(
        client, personas[Role.OFFICE_STAFF], period="2019-13", referer="https://evil.example/"
    )
    assert response.status_code == 400


def test_other_districts_table_counts_nothing_of_ours(quarter, other_personas, client, site):
    response = download(client, other_personas[Role.OFFICE_STAFF])
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["线索办理情况"]
    rows, total = body(ws)
    assert all(not row[1].startswith("北湖区") for row in rows)
    assert total[2:9] == [0, 0, 0, 0, 0, "—", 0]


def test_a_running_period_is_counted_to_today(quarter, personas, client, site):
    from django.utils import timezone

    today = timezone.localdate()
    response = download(client, personas[Role.OFFICE_STAFF], period=f"{today:%Y-%m}")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["线索办理情况"]
    assert f"至{today.year}年{today.month}月{today.day}日" in values(ws, 3)[3]
