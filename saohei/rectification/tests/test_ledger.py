"""The task ledger: a good sheet imports every row, a sheet with problems imports none and
names each problem by row and column in Chinese; an exported list imports back."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from saohei.orgs.choices import Role, UnitKind
from saohei.rectification.ledger import import_task_ledger
from saohei.rectification.lists import collect, write_xlsx
from saohei.rectification.models import Problem, Task, TaskEvent

from .factories import inspection

HEADERS = [
    "序号",
    "督导检查",
    "问题类别",
    "存在问题",
    "整改措施",
    "阶段目标",
    "责任单位",
    "责任人",
    "完成时限",
]


def workbook(rows, headers=HEADERS, title="任务清单"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def setup(personas, units):
    office = personas[Role.OFFICE_STAFF]
    insp = inspection(office)
    return office, insp, units


def rows_for(insp, units):
    police = units[UnitKind.POLICE].name
    town = units[UnitKind.TOWNSHIP].name
    return [
        [
            1,
            insp.title,
            "组织领导",
            "镇街未将专项斗争纳入工作计划",
            "制定年度工作方案",
            "6月底前",
            town,
            "周建华",
            datetime.date(2019, 6, 30),
        ],
        [
            2,
            insp.title,
            "组织领导",
            "镇街未将专项斗争纳入工作计划",
            "建立会议记录台账",
            "",
            town,
            "周建华",
            "2019年7月15日",
        ],
        [
            3,
            insp.title,
            "依法严惩",
            "公安机关受理案件同比下降",
            "开展百日攻坚",
            "",
            police,
            "刘海",
            "2019-08-31",
        ],
    ]


def test_good_sheet_imports_all_rows(setup):
    office, insp, units = setup
    result = import_task_ledger(workbook(rows_for(insp, units)), office)
    assert result.errors == [] and result.created == 3
    assert Problem.objects.filter(inspection=insp).count() == 2
    town_tasks = Task.objects.filter(responsible_unit=units[UnitKind.TOWNSHIP]).order_by("deadline")
    assert [t.deadline for t in town_tasks] == [
        datetime.date(2019, 6, 30),
        datetime.date(2019, 7, 15),
    ]
    assert town_tasks[0].milestones == "6月底前"
    assert TaskEvent.objects.filter(kind="created").count() == 3
    # The same file again: every task is already held.
    again = import_task_ledger(workbook(rows_for(insp, units)), office)
    assert (again.created, again.skipped_same) == (0, 3)


def test_errors_name_row_and_column_and_nothing_is_written(setup):
    office, insp, units = setup
    rows = rows_for(insp, units)
    rows[0][6] = "不存在的单位"
    rows[1][8] = "明年"
    rows[2][2] = "宣传发动"
    rows.append(
        [
            4,
            "没有这次督导",
            "组织领导",
            "问题",
            "措施",
            "",
            units[UnitKind.POLICE].name,
            "刘海",
            "2019-08-31",
        ]
    )
    rows.append(
        [
            5,
            insp.title,
            "组织领导",
            "问题",
            "措施",
            "",
            units[UnitKind.POLICE].name,
            "",
            "2019-04-01",
        ]
    )
    with translation.override("zh-hans"):
        result = import_task_ledger(workbook(rows), office)
        messages = [str(e) for e in result.errors]
    assert result.created == 0 and not Task.objects.exists() and not Problem.objects.exists()
    by_row = {(e.row, e.column): e.code for e in result.errors}
    assert by_row[(2, "责任单位")] == "unknown_unit"
    assert by_row[(3, "完成时限")] == "bad_date"
    assert by_row[(4, "问题类别")] == "invalid_choice"
    assert by_row[(5, "督导检查")] == "unknown_inspection"
    assert by_row[(6, "责任人")] == "required"
    assert any("第2行" in m and "责任单位" in m for m in messages), messages
    assert any("不存在的单位" in m for m in messages)


def test_deadline_before_the_inspection_and_duplicate_rows(setup):
    office, insp, units = setup
    rows = rows_for(insp, units)
    rows[0][8] = "2019-04-01"
    rows.append(list(rows[2]))
    result = import_task_ledger(workbook(rows), office)
    codes = {(e.row, e.code) for e in result.errors}
    assert (2, "bad_deadline") in codes
    assert (5, "duplicate_row") in codes
    assert not Task.objects.exists()


def test_missing_header_and_not_a_workbook(setup):
    office, insp, units = setup
    result = import_task_ledger(workbook([], headers=["督导检查", "整改措施"]), office)
    assert {e.code for e in result.errors} == {"missing_header"}
    result = import_task_ledger(io.BytesIO(b"not an excel file"), office)
    assert [e.code for e in result.errors] == ["not_xlsx"]


def test_agency_may_not_import(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_task_ledger(io.BytesIO(b""), personas[Role.HANDLER])


def test_exported_workbook_imports_back(setup, personas):
    office, insp, units = setup
    import_task_ledger(workbook(rows_for(insp, units)), office)
    exported = io.BytesIO()
    tasks = Task.objects.all()
    write_xlsx(collect(tasks, Problem.objects.all()), exported)
    Task.objects.all().delete()
    exported.seek(0)
    result = import_task_ledger(exported, office)
    assert result.errors == [] and result.created == 3


def test_import_page_lists_every_problem_and_writes_nothing(client, setup, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.SAOHEI_IMPORTS_IN_BACKGROUND = False
    settings.LANGUAGE_CODE = "zh-hans"
    office, insp, units = setup
    rows = rows_for(insp, units)
    rows[2][6] = "不存在的单位"
    upload = SimpleUploadedFile("任务清单.xlsx", workbook(rows).getvalue())
    client.force_login(office)
    response = client.post(reverse("task_import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "第4行" in page and "不存在的单位" in page
    assert not Task.objects.exists()
    good = SimpleUploadedFile("任务清单.xlsx", workbook(rows_for(insp, units)).getvalue())
    client.post(reverse("task_import"), {"file": good}, follow=True)
    assert Task.objects.count() == 3


def test_command_line_import(setup, tmp_path, personas):
    """`manage.py import_ledger tasks FILE.xlsx`: the same import from the command line."""
    import io

    from django.core.management import CommandError, call_command

    office, insp, units = setup
    path = tmp_path / "任务清单.xlsx"
    path.write_bytes(workbook(rows_for(insp, units)).getvalue())
    out = io.StringIO()
    call_command("import_ledger", "tasks", str(path), user=office.username, stdout=out)
    assert Task.objects.count() == 3 and "3" in out.getvalue()
    bad = rows_for(insp, units)
    bad[0][-1] = "2019-02-30"
    path.write_bytes(workbook(bad).getvalue())
    with pytest.raises(CommandError):
        call_command(
            "import_ledger", "tasks", str(path), user=office.username, stderr=io.StringIO()
        )
    assert Task.objects.count() == 3


def test_too_long_a_list_of_units_concerned_is_named_not_a_crash(setup):
    """The ledger property test (core/tests/test_ledger_fuzz.py) found a TypeError: a 涉及单位
    cell past its 500 characters was split as if it were read."""
    from saohei.rectification.ledger import CONCERNED

    office, insp, units = setup
    row = rows_for(insp, units)[0]
    result = import_task_ledger(
        workbook([[*row, "、".join([units[UnitKind.POLICE].name] * 80)]], [*HEADERS, CONCERNED]),
        office,
    )
    assert [e.code for e in result.errors] == ["too_long"]
    with translation.override("zh-hans"):
        message = str(result.errors[0])
    assert "涉及单位" in message and "第2行" in message
    assert not Task.objects.exists()
