"""The clue ledger (DESIGN §6): import all rows or none, re-import, as-of history, export."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import ManagementUtility
from django.db import connections
from openpyxl import Workbook, load_workbook

from saohei.audit.models import AuditEntry
from saohei.clues import actions, ledger
from saohei.clues.asof import status_as_of, with_status_as_of
from saohei.clues.choices import Category, Finding, Source, Status
from saohei.clues.ledger import HEADERS, import_clue_ledger, ledger_rows, write_ledger
from saohei.clues.models import Clue, Move
from saohei.core.models import NumberSequence
from saohei.orgs.choices import Role, UnitKind

from .factories import clue_in, new_clue

D = datetime.date
TRADITIONAL = {
    "线索编号": "線索編號",
    "线索来源": "線索來源",
    "线索类别": "線索類別",
    "涉及行业": "涉及行業",
    "被反映对象": "被反映對象",
    "简要内容": "簡要內容",
    "承办单位": "承辦單位",
    "办理期限": "辦理期限",
    "办理状态": "辦理狀態",
    "办结日期": "辦結日期",
    "核查结果": "核查結果",
    "案件编号": "案件編號",
}


@pytest.fixture
def admin(personas):
    return personas[Role.OFFICE_ADMIN]


@pytest.fixture
def police(units):
    return units[UnitKind.POLICE].name


def row(police, **cells):
    """One ledger row as a {header: value} dict: a clue concluded as substantiated."""
    values = {
        "线索编号": "XS2019-0101",
        "受理日期": D(2019, 3, 1),
        "线索来源": "群众举报",
        "线索类别": "涉恶",
        "涉及行业": "工程建设",
        "被反映对象": "王五、李六",
        "简要内容": "王五等人在北湖街道强揽工程",
        "承办单位": police,
        "办理期限": D(2019, 4, 1),
        "办理状态": "查结",
        "办结日期": D(2019, 5, 10),
        "核查结果": "查实",
        "是否立案": "否",
        "案件编号": None,
    }
    values.update(cells)
    return values


def sheet(path, rows, headers=HEADERS, *, before=(), title="线索台账"):
    """An .xlsx with `before` rows (a title, say), the header row, then `rows` (dicts keyed
    by HEADERS, or lists taken as they are)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for extra in before:
        ws.append(extra)
    ws.append(list(headers))
    for r in rows:
        if isinstance(r, dict):
            ws.append([r.get(h) for h in headers])
        else:
            ws.append(r)
    wb.save(path)
    return path


def three_rows(police):
    return [
        row(police),
        row(
            police,
            线索编号="XS2019-0102",
            受理日期="2019-04-02",
            办理期限="2019-05-06",
            办理状态="阶段性查结",
            办结日期="2019年6月10日",
            核查结果=None,
            线索类别="套路贷",
            涉及行业="金融放贷",
        ),
        row(
            police,
            线索编号="XS2019-0103",
            受理日期="2019/6/3",
            办理状态="正在核查",
            办结日期=None,
            核查结果=None,
            办理期限="2019-07-01",
            是否立案=None,
        ),
    ]


def codes(result):
    return [(e.code, e.row, e.column) for e in result.errors]


def test_import_creates_clues_with_history_and_one_audit_entry(admin, police, tmp_path):
    path = sheet(tmp_path / "台账.xlsx", three_rows(police))
    audit_before = AuditEntry.objects.count()

    result = import_clue_ledger(path, admin)

    assert result.ok and (result.created, result.skipped_same) == (3, 0)
    clue = Clue.objects.get(number="XS2019-0101")
    assert (clue.status, clue.finding, clue.category) == (
        Status.CONCLUDED,
        Finding.SUBSTANTIATED,
        Category.EVIL_FORCE,
    )
    assert clue.source == Source.PUBLIC and clue.industry.name == "工程建设"
    assert clue.assigned_unit.name == police and clue.assigned_on == D(2019, 3, 1)
    assert (clue.deadline, clue.concluded_on) == (D(2019, 4, 1), D(2019, 5, 10))
    assert clue.jurisdiction_id == admin.unit.jurisdiction_id
    assert (clue.registered_by, clue.registering_unit) == (admin, admin.unit)
    assert "王五" in clue.search_text
    moves = list(clue.moves.order_by("at", "id"))
    assert [m.to_status for m in moves] == [
        Status.RECEIVED,
        Status.ASSIGNED,
        Status.VERIFYING,
        Status.CONCLUDED,
    ]
    assert [m.action for m in moves] == ["register", "assign", "accept", "approve"]
    assert all(m.data == {"imported": True} for m in moves)
    assert {m.actor for m in moves} == {admin}
    assert Clue.objects.get(number="XS2019-0102").concluded_on == D(2019, 6, 10)
    assert Clue.objects.get(number="XS2019-0103").status == Status.VERIFYING
    # bulk inserts send no signals: the import is one audit entry
    entries = AuditEntry.objects.order_by("id")[audit_before:]
    assert [(e.action, e.object_type, e.object_repr) for e in entries] == [
        ("create", "clues.clue", "台账导入")
    ]
    assert entries[0].changes == {"file": "台账.xlsx", "created": 3, "skipped": 0}


def test_status_as_of_follows_the_ledger_dates(admin, police, tmp_path):
    import_clue_ledger(sheet(tmp_path / "a.xlsx", three_rows(police)), admin)
    concluded = Clue.objects.get(number="XS2019-0101")
    interim = Clue.objects.get(number="XS2019-0102")

    assert status_as_of(concluded, D(2019, 2, 28)) is None  # not received yet
    assert status_as_of(concluded, D(2019, 3, 1)) == Status.ASSIGNED
    assert status_as_of(concluded, D(2019, 3, 2)) == Status.VERIFYING
    assert status_as_of(concluded, D(2019, 5, 9)) == Status.VERIFYING
    assert status_as_of(concluded, D(2019, 5, 10)) == Status.CONCLUDED
    assert status_as_of(interim, D(2019, 6, 9)) == Status.VERIFYING
    assert status_as_of(interim, D(2019, 6, 10)) == Status.INTERIM
    on_may_31 = dict(with_status_as_of(Clue.objects.all(), D(2019, 5, 31)).values_list(
        "number", "status_then"
    ))  # fmt: skip
    assert on_may_31 == {"XS2019-0101": Status.CONCLUDED, "XS2019-0102": Status.VERIFYING}


def test_reimporting_the_same_file_changes_nothing(admin, police, tmp_path):
    path = sheet(tmp_path / "a.xlsx", three_rows(police))
    import_clue_ledger(path, admin)
    counts = Clue.objects.count(), Move.objects.count()

    again = import_clue_ledger(path, admin)

    assert again.ok and (again.created, again.skipped_same) == (0, 3)
    assert (Clue.objects.count(), Move.objects.count()) == counts


def test_traditional_headers_in_any_order_under_a_title_with_extra_columns(admin, police, tmp_path):
    headers = [TRADITIONAL.get(h, h) for h in reversed(HEADERS)] + ["备注"]
    rows = [{TRADITIONAL.get(h, h): v for h, v in r.items()} for r in three_rows(police)]
    rows[0]["辦理狀態"] = "查結"  # values in traditional characters too
    path = sheet(tmp_path / "a.xlsx", rows, headers, before=[["北湖区扫黑除恶线索台账"]])

    result = import_clue_ledger(path, admin)

    assert result.ok and result.created == 3
    assert Clue.objects.get(number="XS2019-0101").status == Status.CONCLUDED


@pytest.mark.parametrize(
    "cells, error",
    [
        ({"承办单位": "北湖分局X"}, ("unknown_unit", 2, "承办单位")),
        ({"受理日期": "2019-13-45"}, ("bad_date", 2, "受理日期")),
        ({"办结日期": "五月十日"}, ("bad_date", 2, "办结日期")),
        ({"办理状态": "已办结"}, ("invalid_choice", 2, "办理状态")),
        ({"线索来源": "电话"}, ("invalid_choice", 2, "线索来源")),
        ({"涉及行业": "养殖业"}, ("unknown_industry", 2, "涉及行业")),
        ({"被反映对象": None}, ("required", 2, "被反映对象")),
        ({"受理日期": None}, ("required", 2, "受理日期")),
        ({"线索编号": "2019-57"}, ("bad_number", 2, "线索编号")),
        ({"办结日期": None}, ("required_for_status", 2, "办结日期")),
        ({"办理状态": "阶段性查结", "办结日期": None}, ("required_for_status", 2, "办结日期")),
        ({"核查结果": None}, ("required_for_status", 2, "核查结果")),
        ({"办理状态": "已交办", "办结日期": None, "核查结果": None, "承办单位": None},
         ("required_for_status", 2, "承办单位")),
        ({"办理状态": "待分流", "办结日期": None, "核查结果": None, "办理期限": None},
         ("not_allowed", 2, "承办单位")),
        ({"办结日期": D(2019, 2, 1)}, ("date_order", 2, "办结日期")),
        ({"受理日期": D(2999, 1, 1)}, ("future_date", 2, "受理日期")),
        ({"线索类别": "保护伞"}, ("umbrella_to_discipline", 2, "承办单位")),
        ({"是否立案": "是"}, ("required", 2, "案件编号")),
    ],
)  # fmt: skip
def test_a_bad_cell_is_named_and_nothing_is_written(admin, police, tmp_path, cells, error):
    good = row(police, 线索编号="XS2019-0200")
    path = sheet(tmp_path / "a.xlsx", [row(police, **cells), good])

    result = import_clue_ledger(path, admin)

    assert codes(result) == [error]
    assert Clue.objects.count() == 0 and Move.objects.count() == 0
    problem = result.errors[0]
    assert problem.sheet == "线索台账" and "线索台账" in str(problem)
    assert problem.column in str(problem)


def test_an_error_quotes_the_value_and_what_is_accepted(admin, police, tmp_path):
    path = sheet(tmp_path / "a.xlsx", [row(police, 承办单位="北湖分局X")])

    problem = import_clue_ledger(path, admin).errors[0]

    assert problem.value == "北湖分局X"
    assert "北湖分局X" in str(problem) and police in str(problem)


def test_every_error_of_every_row_is_collected(admin, police, tmp_path):
    rows = [
        row(police, 线索编号="XS2019-0001"),
        row(police, 线索编号="XS2019-0002", 受理日期="昨天", 办理状态="办完了"),
        row(police, 线索编号="XS2019-0001"),  # repeated in the file
    ]
    result = import_clue_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert codes(result) == [
        ("bad_date", 3, "受理日期"),
        ("invalid_choice", 3, "办理状态"),
        ("duplicate_number", 4, "线索编号"),
    ]
    assert Clue.objects.count() == 0


def test_a_number_held_with_other_content_is_refused(admin, police, tmp_path):
    import_clue_ledger(sheet(tmp_path / "a.xlsx", three_rows(police)), admin)
    changed = three_rows(police)
    changed[1]["简要内容"] = "另一件事"
    changed.append(row(police, 线索编号="XS2019-0300"))
    counts = Clue.objects.count(), Move.objects.count()

    result = import_clue_ledger(sheet(tmp_path / "b.xlsx", changed), admin)

    assert codes(result) == [("number_conflict", 3, "线索编号")]
    assert "简要内容" in result.errors[0].message
    assert (Clue.objects.count(), Move.objects.count()) == counts


def test_a_number_of_another_jurisdiction_is_refused(
    admin, police, other_personas, other_units, tmp_path
):
    other = other_personas[Role.OFFICE_ADMIN]
    other_row = row(other_units[UnitKind.POLICE].name)
    import_clue_ledger(sheet(tmp_path / "a.xlsx", [other_row]), other)

    result = import_clue_ledger(sheet(tmp_path / "b.xlsx", [row(police)]), admin)

    assert codes(result) == [("number_conflict", 2, "线索编号")]


@pytest.mark.parametrize(
    "drop, rename",
    [("承办单位", None), ("受理日期", "受理时间")],
)
def test_a_missing_or_misspelt_header_is_named(admin, police, tmp_path, drop, rename):
    headers = [rename if h == drop else h for h in HEADERS if rename or h != drop]
    rows = [[row(police).get(h) for h in headers]]

    result = import_clue_ledger(sheet(tmp_path / "a.xlsx", rows, headers), admin)

    assert codes(result) == [("missing_header", 1, drop)]
    assert Clue.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [b"\xe7\xba\xbf\xe7\xb4\xa2,\xe6\x97\xa5\xe6\x9c\x9f\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx"],
    ids=["csv", "xls"],
)
def test_not_an_xlsx_file(admin, tmp_path, content):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)

    assert codes(import_clue_ledger(path, admin)) == [("not_xlsx", None, "")]


def test_a_damaged_xlsx_file(admin, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)

    assert codes(import_clue_ledger(path, admin)) == [("not_xlsx", None, "")]


def test_an_empty_file_or_sheet(admin, tmp_path):
    (tmp_path / "zero.xlsx").write_bytes(b"")
    headers_only = sheet(tmp_path / "headers.xlsx", [])
    blank = tmp_path / "blank.xlsx"
    Workbook().save(blank)

    assert [e.code for e in import_clue_ledger(tmp_path / "zero.xlsx", admin).errors] == ["empty"]
    assert codes(import_clue_ledger(headers_only, admin)) == [("empty", 1, "")]
    assert [e.code for e in import_clue_ledger(blank, admin).errors] == ["empty"]


def test_a_file_too_large_is_refused_before_it_is_parsed(admin, police, tmp_path, monkeypatch):
    path = sheet(tmp_path / "a.xlsx", three_rows(police))
    monkeypatch.setattr(ledger, "MAX_BYTES", 1000)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a file that is too large")

    monkeypatch.setattr(ledger, "load_workbook", no_parsing)

    assert codes(import_clue_ledger(path, admin)) == [("file_too_large", None, "")]
    with open(path, "rb") as fh:  # an open file (an upload) is measured without reading it
        assert [e.code for e in import_clue_ledger(fh, admin).errors] == ["file_too_large"]
    assert Clue.objects.count() == 0


def test_only_office_staff_import(personas, police, tmp_path):
    path = sheet(tmp_path / "a.xlsx", three_rows(police))
    with pytest.raises(PermissionDenied):
        import_clue_ledger(path, personas[Role.HANDLER])


def test_a_later_registration_does_not_reuse_an_imported_number(admin, police, tmp_path):
    rows = [row(police, 线索编号="XS2019-57"), row(police, 线索编号="XS2018-0300")]
    import_clue_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert Clue.objects.filter(number="XS2019-0057").exists()  # zero-padded like all numbers
    clue = actions.register(
        admin,
        received_on=D(2019, 7, 1),
        source=Source.PUBLIC,
        category=Category.OTHER,
        subjects="赵七",
        summary="赵七在龙湖街道欺行霸市",
    )
    assert clue.number == "XS2019-0058"
    assert NumberSequence.objects.get(kind="XS", year=2018).last == 300


def test_progress_is_reported_and_rows_are_written_in_batches(admin, police, tmp_path, monkeypatch):
    n = 2500
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("线索台账")
    ws.append(HEADERS)
    base = row(police)
    for i in range(1, n + 1):
        ws.append([f"XS2019-{i:04d}" if h == "线索编号" else base[h] for h in HEADERS])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    inserted = []
    real = Clue.objects.bulk_create

    def spy(objs, *args, **kwargs):
        inserted.append(len(objs))
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Clue.objects, "bulk_create", spy)
    calls = []

    result = import_clue_ledger(
        path, admin, progress=lambda done, total: calls.append((done, total))
    )

    assert result.created == n and Clue.objects.count() == n
    assert Move.objects.count() == 4 * n
    assert inserted == [ledger.BATCH_SIZE, ledger.BATCH_SIZE, n - 2 * ledger.BATCH_SIZE]
    assert len(calls) >= 4 and calls[-1] == (2 * n, 2 * n)
    dones = [done for done, _total in calls]
    assert dones == sorted(dones)


# Export ---------------------------------------------------------------------------------------


def test_export_rows_carry_dates_and_chinese_labels(admin, police, tmp_path):
    import_clue_ledger(sheet(tmp_path / "a.xlsx", three_rows(police)), admin)

    rows = {r[0]: r for r in ledger_rows(Clue.objects.all())}

    assert rows["XS2019-0101"] == [
        "XS2019-0101", D(2019, 3, 1), "群众举报", "涉恶", "工程建设", "王五、李六",
        "王五等人在北湖街道强揽工程", police, D(2019, 4, 1), "查结", D(2019, 5, 10), "查实",
        "否", "",
    ]  # fmt: skip
    assert rows["XS2019-0103"][9:13] == ["正在核查", None, "", "否"]


def test_round_trip_export_then_import_gives_the_same_ledger(admin, police, tmp_path):
    import_clue_ledger(sheet(tmp_path / "a.xlsx", three_rows(police)), admin)
    first = tmp_path / "export1.xlsx"
    write_ledger(Clue.objects.all(), first)
    exported = list(load_workbook(first).worksheets[0].values)
    assert list(exported[0]) == HEADERS and len(exported) == 4

    again = import_clue_ledger(first, admin)  # into the same database: nothing changes
    assert (again.created, again.skipped_same) == (0, 3)

    Clue.objects.all().delete()
    fresh = import_clue_ledger(first, admin)  # into an empty one: the same clues again
    assert fresh.ok and fresh.created == 3
    second = io.BytesIO()
    write_ledger(Clue.objects.all(), second)
    second.seek(0)
    assert list(load_workbook(second).worksheets[0].values) == exported


def test_clues_made_through_the_workflow_export_and_import_back(personas, tmp_path):
    for status in Status:
        clue_in(status, personas)
    clue_in(Status.ASSIGNED, personas, category=Category.UMBRELLA, subjects="钱八")
    new_clue(personas, subjects="孙九", summary=" 孙九在长青镇\r\n欺行霸市\x07 ")
    path = tmp_path / "export.xlsx"
    write_ledger(Clue.objects.all(), path)

    result = import_clue_ledger(path, personas[Role.OFFICE_ADMIN])

    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.skipped_same) == (0, Clue.objects.count())


# The command ----------------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch):
    """Run manage.py as from a shell: the exit code, stdout and stderr."""
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's connection

    def run(capsys, *argv):
        try:
            ManagementUtility(["manage.py", *map(str, argv)]).execute()
            code = 0
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_command_imports_and_summarises(admin, police, tmp_path, run, capsys):
    path = sheet(tmp_path / "a.xlsx", three_rows(police))

    code, out, _err = run(capsys, "import_ledger", "clues", path)

    assert code == 0 and "3" in out and Clue.objects.count() == 3
    assert set(Clue.objects.values_list("registered_by", flat=True)) == {admin.pk}


def test_command_prints_every_error_and_exits_non_zero(admin, police, tmp_path, run, capsys):
    rows = [row(police, 承办单位="北湖分局X"), row(police, 线索编号="XS2019-0200", 受理日期="昨天")]
    path = sheet(tmp_path / "a.xlsx", rows)

    code, _out, err = run(capsys, "import_ledger", "clues", path, "--user", admin.username)

    assert code == 1
    assert "北湖分局X" in err and "昨天" in err
    assert len([line for line in err.splitlines() if "线索台账" in line]) == 2
    assert Clue.objects.count() == 0


def test_command_refuses_other_kinds_and_unknown_users(admin, police, tmp_path, run, capsys):
    path = sheet(tmp_path / "a.xlsx", three_rows(police))

    assert run(capsys, "import_ledger", "cases", path)[0] == 1
    assert run(capsys, "import_ledger", "clues", path, "--user", "nobody")[0] == 1
    assert run(capsys, "import_ledger", "clues", tmp_path / "missing.xlsx")[0] == 1
    assert Clue.objects.count() == 0


def test_command_needs_an_office_head_when_no_user_is_named(units, police, tmp_path, run, capsys):
    path = sheet(tmp_path / "a.xlsx", three_rows(police))

    code, _out, err = run(capsys, "import_ledger", "clues", path)

    assert code == 1 and "--user" in err
