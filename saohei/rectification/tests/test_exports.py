"""The three lists as .docx and .xlsx: open the files and read the rows back; the sign-off
form of a task."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from saohei.orgs.choices import Role, UnitKind

from .factories import inspection, problem, report_done, sign_off, task

D = datetime.date


@pytest.fixture
def data(personas, units):
    office = personas[Role.OFFICE_STAFF]
    insp = inspection(office)
    p1 = problem(
        office,
        insp,
        category="政治站位",
        text="压力传导不到位，存在无黑可扫思想",
        units=[units[UnitKind.POLICE], units[UnitKind.TOWNSHIP]],
    )
    p2 = problem(office, insp, category="综合治理", text="宣传标语使用打黑除恶旧提法")
    problem(office, insp, category="深挖彻查", text="保护伞线索偏少")  # no task yet
    t1 = task(office, p1, units[UnitKind.POLICE], D(2019, 6, 28), person="刘海")
    t2 = task(office, p2, units[UnitKind.TOWNSHIP], D(2019, 6, 14), person="周建华")
    report_done(t1, personas[Role.HANDLER], D(2019, 6, 20))
    sign_off(t1, personas[Role.OFFICE_ADMIN], D(2019, 6, 21))
    return {"inspection": insp, "t1": t1, "t2": t2, "units": units}


def _docx_tables(response):
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    return document, [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def test_docx_holds_the_three_lists(client, personas, data):
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.get(reverse("rectification_docx") + f"?inspection={data['inspection'].pk}")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    document, tables = _docx_tables(response)
    problems, tasks, responsibility = tables
    # One inspection: its title heads the document, no 督导检查 column.
    assert problems[0] == ["序号", "问题类别", "存在问题", "涉及单位"]
    assert [r[2] for r in problems[1:]] == [
        "压力传导不到位，存在无黑可扫思想",
        "宣传标语使用打黑除恶旧提法",
        "保护伞线索偏少",
    ]
    assert data["units"][UnitKind.POLICE].name in problems[1][3]
    assert tasks[0] == [
        "序号",
        "问题类别",
        "存在问题",
        "整改措施",
        "阶段目标",
        "完成时限",
        "整改状态",
    ]
    # In the order of the problems (category, then number).
    assert [(r[1], r[5]) for r in tasks[1:]] == [
        ("政治站位", "2019年6月28日"),
        ("综合治理", "2019年6月14日"),
    ]
    assert responsibility[0] == ["序号", "整改任务", "责任单位", "责任人", "完成时限", "完成情况"]
    outcomes = {r[3]: (r[2], r[5]) for r in responsibility[1:]}
    assert outcomes["周建华"] == (data["units"][UnitKind.TOWNSHIP].name, "逾期未完成")
    assert outcomes["刘海"] == (data["units"][UnitKind.POLICE].name, "已销号（2019年6月21日）")
    assert data["inspection"].title in document.paragraphs[0].text
    headings = [p.text for p in document.paragraphs]
    assert "一、问题清单" in headings and "三、责任清单" in headings
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def test_docx_names_the_inspection_when_it_covers_several(client, personas, data, units):
    office = personas[Role.OFFICE_STAFF]
    other = inspection(office, D(2019, 9, 10), title="市第三督导组回头看反馈")
    task(office, problem(office, other, text="回头看发现问题反弹"), units[UnitKind.POLICE],
         D(2019, 9, 30), set_on=D(2019, 9, 12))  # fmt: skip
    client.force_login(office)
    document, (problems, tasks, responsibility) = _docx_tables(
        client.get(reverse("rectification_docx"))
    )
    assert problems[0][:3] == ["序号", "督导检查", "问题类别"]
    assert responsibility[0][1] == "督导检查" and len(responsibility) == 4


def test_xlsx_has_a_sheet_per_list(client, personas, data):
    client.force_login(personas[Role.LEADER_VIEWER])
    response = client.get(reverse("rectification_xlsx"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["问题清单", "任务清单", "责任清单"]
    tasks = list(wb["任务清单"].iter_rows(values_only=True))
    assert tasks[0][:9] == (
        "序号",
        "督导检查",
        "问题类别",
        "存在问题",
        "整改措施",
        "阶段目标",
        "责任单位",
        "责任人",
        "完成时限",
    )
    assert {(r[7], r[8].date()) for r in tasks[1:]} == {
        ("周建华", D(2019, 6, 14)),
        ("刘海", D(2019, 6, 28)),
    }
    assert len(list(wb["问题清单"].iter_rows())) == 4


def test_export_follows_the_filter_and_the_scope(client, personas, data):
    client.force_login(personas[Role.HANDLER])  # police: its own task and problem only
    response = client.get(reverse("rectification_xlsx"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    people = [r[7] for r in wb["任务清单"].iter_rows(min_row=2, values_only=True)]
    assert people == ["刘海"]
    problems = [r[3] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert problems == ["压力传导不到位，存在无黑可扫思想"]

    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.get(reverse("rectification_xlsx") + "?status=signed_off")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [r[7] for r in wb["任务清单"].iter_rows(min_row=2, values_only=True)] == ["刘海"]


def test_sign_off_form(client, personas, data):
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.get(reverse("task_sign_off_form", args=[data["t1"].pk]))
    document, tables = _docx_tables(response)
    rows = {r[0]: r[1] for r in tables[0][1:]}
    assert rows["责任人"] == "刘海"
    assert rows["销号意见"] == "经查阅会议纪要和台账，整改到位"
    assert "整改会议纪要.pdf" in rows["佐证材料"]
    client.force_login(personas[Role.DISCIPLINE])
    assert client.get(reverse("task_sign_off_form", args=[data["t2"].pk])).status_code == 404
