"""Monthly indicators (docs/indicator-ledger.md): the ledger import (all rows or none,
corrected values replace held ones), scoping, permissions, year on year, the command."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import ManagementUtility
from django.db import connections
from openpyxl import Workbook

from saohei.audit.models import AuditEntry
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit
from saohei.orgs.roles import BUSINESS_ROLES, THREE_OFFICERS
from saohei.reports import indicators
from saohei.reports.indicators import (
    HEADERS,
    Period,
    import_indicator_ledger,
    to_month,
    year_on_year,
)
from saohei.reports.models import Indicator, MonthlyValue, MonthlyValueQuerySet

D = datetime.date
EPOCH = datetime.datetime(1899, 12, 30)  # openpyxl's Windows epoch
OFFICE_IMPORTERS = {Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN}


@pytest.fixture
def admin(personas):
    return personas[Role.OFFICE_ADMIN]


@pytest.fixture
def police(units):
    return units[UnitKind.POLICE]


@pytest.fixture
def oilfield(units):
    """A second police unit of the district, known by its short name."""
    return Unit.objects.create(
        name="北湖区油田公安分局",
        short_name="油田分局",
        kind=UnitKind.POLICE,
        jurisdiction=units[UnitKind.POLICE].jurisdiction,
    )


def sheet(path, rows, headers=(*HEADERS, "备注"), *, before=(), title="指标台账"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for extra in before:
        ws.append(extra)
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def codes(result):
    return [(e.code, e.row, e.column) for e in result.errors]


def held():
    return {
        (v.unit.name, f"{v.month:%Y-%m}", v.indicator.code): v.value
        for v in MonthlyValue.objects.select_related("unit", "indicator")
    }


def good_rows(police, oilfield):
    return [
        (police.name, "2019-06", "接警数", 95, "110接处警系统"),
        ("油田分局", "2019-06", "接警数", 40, None),
        (police.name, "2019-06", "受理案件数", 30, None),
        (oilfield.name, "2019-06", "cases_accepted", 12, None),
    ]


# The list of indicators -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_indicators_are_installed_by_the_migration():
    indicators_ = {i.code: (i.name, i.measure, i.unit_kinds) for i in Indicator.objects.all()}
    assert indicators_ == {
        "police_calls": ("接警数", "起", ["police"]),
        "cases_accepted": ("受理案件数", "件", ["police"]),
        "publicity_items": ("宣传品发放数", "份", []),
        "media_reports": ("媒体报道数", "篇", []),
        "publicity_events": ("宣传活动场次", "场", []),
    }
    calls = Indicator.objects.get(code="police_calls")
    assert calls.reported_by(UnitKind.POLICE) and not calls.reported_by(UnitKind.COURT)
    assert Indicator.objects.get(code="media_reports").reported_by(UnitKind.OFFICE)


# Importing ----------------------------------------------------------------------------------


def test_import_creates_the_values_with_one_audit_entry(admin, police, oilfield, tmp_path):
    before = AuditEntry.objects.count()

    result = import_indicator_ledger(
        sheet(tmp_path / "指标.xlsx", good_rows(police, oilfield)), admin
    )

    assert result.ok and (result.created, result.replaced, result.skipped_same) == (4, 0, 0)
    assert held() == {
        (police.name, "2019-06", "police_calls"): 95,
        (oilfield.name, "2019-06", "police_calls"): 40,
        (police.name, "2019-06", "cases_accepted"): 30,
        (oilfield.name, "2019-06", "cases_accepted"): 12,
    }
    value = MonthlyValue.objects.get(unit=police, indicator__code="police_calls")
    assert (value.month, value.note, value.imported_by) == (D(2019, 6, 1), "110接处警系统", admin)
    entries = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.object_type, e.object_repr) for e in entries] == [
        ("create", "reports.monthlyvalue", "指标台账导入")
    ]
    assert entries[0].changes == {"file": "指标.xlsx", "created": 4, "replaced": 0, "skipped": 0}


@pytest.mark.parametrize(
    "cell, month",
    [
        ("2019-06", D(2019, 6, 1)),
        ("2019-6", D(2019, 6, 1)),
        ("2019/6", D(2019, 6, 1)),
        ("2019.06", D(2019, 6, 1)),
        ("2019.10", D(2019, 10, 1)),
        ("2019年6月", D(2019, 6, 1)),
        ("２０１９年６月", D(2019, 6, 1)),  # full-width digits
        ("2019 年 6 月", D(2019, 6, 1)),
        ("201906", D(2019, 6, 1)),
        (201906, D(2019, 6, 1)),
        (201906.0, D(2019, 6, 1)),
        ("2019-06-15", D(2019, 6, 1)),
        ("2019年6月15日", D(2019, 6, 1)),
        (20190615, D(2019, 6, 1)),
        (D(2019, 6, 15), D(2019, 6, 1)),
        (datetime.datetime(2019, 6, 30, 12, 0), D(2019, 6, 1)),
        (43631, D(2019, 6, 15)),  # an Excel serial date: 2019-06-15
    ],
)
def test_month_formats(cell, month):
    assert to_month(cell, EPOCH) == month.replace(day=1)


@pytest.mark.parametrize(
    "cell", ["2019-13", "2019-00", "六月", "19-06", 2019.6, 2019.1, "1975-06", 197506, True, "2019"]
)
def test_not_months(cell):
    assert to_month(cell, EPOCH) is None


def test_month_cells_of_every_kind_import(admin, police, tmp_path):
    rows = [
        (police.name, "2019-01", "接警数", 1, None),
        (police.name, "2019年2月", "接警数", 2, None),
        (police.name, 201903, "接警数", 3, None),
        (police.name, "201904", "接警数", 4, None),
        (police.name, D(2019, 5, 20), "接警数", 5, None),  # an Excel date cell
        (police.name, "2019/6/30", "接警数", 6, None),
    ]

    result = import_indicator_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert result.ok and result.created == 6
    months = MonthlyValue.objects.order_by("month").values_list("month", "value")
    assert list(months) == [(D(2019, m, 1), m) for m in range(1, 7)]


def test_traditional_and_alias_headers_under_a_title_with_names_codes_and_counts(
    admin, units, police, oilfield, tmp_path
):
    headers = ["序号", "填報單位", "指標名稱", "月份", "數值", "備註"]
    rows = [
        (1, police.name, "接警", "2019-06", 95.0, "  系统导出  "),  # 接警 is 接警数
        (2, "油田分局", "police_calls", "2019-06", "1,200", None),
        (3, units[UnitKind.OFFICE].name, "宣傳品發放數", "2019-06", "3000份", None),
        (4, units[UnitKind.TOWNSHIP].name, "宣传活动场次", "2019-06", "12场", None),
        (None, None, None, None, None, None),  # blank rows are skipped
        (5, units[UnitKind.COURT].name, "媒体报道数", "2019-06", 0, None),
    ]
    path = sheet(tmp_path / "a.xlsx", rows, headers, before=[["北湖区2019年6月指标统计表"], []])

    result = import_indicator_ledger(path, admin)

    assert result.ok and result.created == 5
    assert held() == {
        (police.name, "2019-06", "police_calls"): 95,
        (oilfield.name, "2019-06", "police_calls"): 1200,
        (units[UnitKind.OFFICE].name, "2019-06", "publicity_items"): 3000,
        (units[UnitKind.TOWNSHIP].name, "2019-06", "publicity_events"): 12,
        (units[UnitKind.COURT].name, "2019-06", "media_reports"): 0,
    }
    assert MonthlyValue.objects.get(unit=police).note == "系统导出"


@pytest.mark.parametrize(
    "cells, error",
    [
        ({0: None}, ("required", 2, "单位")),
        ({1: None}, ("required", 2, "月份")),
        ({2: None}, ("required", 2, "指标")),
        ({3: None}, ("required", 2, "数值")),
        ({0: "北湖分局X"}, ("unknown_unit", 2, "单位")),
        ({0: "南郊区公安机关"}, ("unknown_unit", 2, "单位")),  # another district's unit
        ({0: "北湖区法院"}, ("wrong_unit_kind", 2, "单位")),  # courts do not report 接警
        ({1: "2019-13"}, ("bad_month", 2, "月份")),
        ({1: "六月"}, ("bad_month", 2, "月份")),
        ({1: 2019.6}, ("bad_month", 2, "月份")),
        ({1: "2999-01"}, ("future_month", 2, "月份")),
        ({2: "报警数"}, ("unknown_indicator", 2, "指标")),
        ({3: -1}, ("not_a_number", 2, "数值")),
        ({3: 12.5}, ("not_a_number", 2, "数值")),
        ({3: "九十五"}, ("not_a_number", 2, "数值")),
        ({3: "-5"}, ("not_a_number", 2, "数值")),
        ({3: True}, ("not_a_number", 2, "数值")),
        ({3: 10**13}, ("too_large", 2, "数值")),
        ({4: "很长" * 101}, ("too_long", 2, "备注")),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(
    admin, police, oilfield, other_units, tmp_path, cells, error
):
    bad = list(good_rows(police, oilfield)[0])
    for index, value in cells.items():
        bad[index] = value
    path = sheet(tmp_path / "a.xlsx", [bad, *good_rows(police, oilfield)[1:]])

    result = import_indicator_ledger(path, admin)

    assert codes(result) == [error]
    assert MonthlyValue.objects.count() == 0
    problem = result.errors[0]
    text = str(problem)
    assert problem.sheet == "指标台账" and "指标台账" in text and "2" in text
    assert error[2] in text
    assert problem.value in text or error[0] == "too_long"  # a long text is not repeated


def test_every_problem_of_the_file_is_reported_at_once(admin, police, oilfield, tmp_path):
    rows = [
        (police.name, "2019-13", "接警数", 95, None),
        ("北湖分局X", "2019-06", "报警数", "很多", None),
        *good_rows(police, oilfield),
    ]

    result = import_indicator_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert codes(result) == [
        ("bad_month", 2, "月份"),
        ("unknown_indicator", 3, "指标"),
        ("unknown_unit", 3, "单位"),
        ("not_a_number", 3, "数值"),
    ]
    assert MonthlyValue.objects.count() == 0


def test_a_repeated_unit_month_and_indicator_is_an_error(admin, police, oilfield, tmp_path):
    rows = [
        *good_rows(police, oilfield),
        (police.name, "2019年6月", "police_calls", 95, None),  # the same value, written otherwise
    ]

    result = import_indicator_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert codes(result) == [("duplicate_row", 6, "指标")]
    assert "2" in result.errors[0].message and police.name in result.errors[0].message
    assert MonthlyValue.objects.count() == 0


def test_a_short_name_two_units_share_is_taken_for_the_one_that_reports(
    admin, units, police, tmp_path
):
    jurisdiction = police.jurisdiction
    Unit.objects.create(name="北湖区城关公安派出所", short_name="城关", kind=UnitKind.POLICE,
                        jurisdiction=jurisdiction)  # fmt: skip
    Unit.objects.create(name="北湖区城关镇", short_name="城关", kind=UnitKind.TOWNSHIP,
                        jurisdiction=jurisdiction)  # fmt: skip
    rows = [
        ("城关", "2019-06", "接警数", 7, None),  # only the police station reports 接警
        ("城关", "2019-06", "媒体报道数", 1, None),  # both could report media reports
    ]

    result = import_indicator_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert codes(result) == [("ambiguous_unit", 3, "单位")]
    assert "北湖区城关公安派出所" in result.errors[0].message


@pytest.mark.parametrize(
    "headers, error",
    [
        (["单位", "月份", "指标"], ("missing_header", 1, "数值")),
        (["单位", "月份", "指标", "数值", "数量"], ("duplicate_header", 1, "数值")),
    ],
)
def test_header_problems(admin, police, tmp_path, headers, error):
    path = sheet(tmp_path / "a.xlsx", [(police.name, "2019-06", "接警数", 1, 1)], headers)

    result = import_indicator_ledger(path, admin)

    assert codes(result) == [error]


def test_the_note_column_is_optional(admin, police, tmp_path):
    path = sheet(tmp_path / "a.xlsx", [(police.name, "2019-06", "接警数", 1)], HEADERS)

    result = import_indicator_ledger(path, admin)

    assert result.ok and MonthlyValue.objects.get().note == ""


@pytest.mark.parametrize(
    "content, code",
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "not_xlsx"),
        ("单位,月份,指标,数值\n".encode(), "not_xlsx"),
        (b"PK\x03\x04" + b"\0" * 100, "not_xlsx"),  # a damaged workbook
    ],
)
def test_files_that_are_not_workbooks(admin, content, code):
    result = import_indicator_ledger(io.BytesIO(content), admin)

    assert [e.code for e in result.errors] == [code]


def test_empty_sheets_and_sheets_without_rows(admin, tmp_path):
    wb = Workbook()
    wb.save(tmp_path / "empty.xlsx")

    assert codes(import_indicator_ledger(tmp_path / "empty.xlsx", admin)) == [("empty", None, "")]
    no_rows = import_indicator_ledger(sheet(tmp_path / "a.xlsx", []), admin)
    assert codes(no_rows) == [("empty", 1, "")]


def test_size_and_row_limits(admin, police, tmp_path, monkeypatch):
    rows = [(police.name, f"2019-{m:02d}", "接警数", m, None) for m in range(1, 4)]
    path = sheet(tmp_path / "a.xlsx", rows)

    monkeypatch.setattr(indicators, "MAX_ROWS", 2)
    assert [e.code for e in import_indicator_ledger(path, admin).errors] == ["too_many_rows"]
    monkeypatch.setattr(indicators, "MAX_BYTES", 100)
    assert [e.code for e in import_indicator_ledger(path, admin).errors] == ["file_too_large"]
    assert MonthlyValue.objects.count() == 0


def test_progress_is_reported(admin, police, tmp_path, monkeypatch):
    monkeypatch.setattr(indicators, "PROGRESS_EVERY", 1)
    rows = [(police.name, f"2019-{m:02d}", "接警数", m, None) for m in range(1, 4)]
    calls = []

    import_indicator_ledger(
        sheet(tmp_path / "a.xlsx", rows), admin, progress=lambda *a: calls.append(a)
    )

    assert calls[-1] == (6, 6)  # each row checked, then written


# Importing again ----------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(admin, police, oilfield, tmp_path):
    path = sheet(tmp_path / "a.xlsx", good_rows(police, oilfield))
    import_indicator_ledger(path, admin)
    before = AuditEntry.objects.count()

    again = import_indicator_ledger(path, admin)

    assert again.ok and (again.created, again.replaced, again.skipped_same) == (0, 0, 4)
    assert AuditEntry.objects.count() == before + 1  # the import's own entry only


def test_a_corrected_value_replaces_the_held_one_and_the_log_keeps_the_old(
    admin, personas, police, oilfield, tmp_path
):
    import_indicator_ledger(sheet(tmp_path / "a.xlsx", good_rows(police, oilfield)), admin)
    staff = personas[Role.OFFICE_STAFF]
    corrected = [
        (police.name, "2019-06", "接警数", 97, "110接处警系统（更正）"),  # corrected
        ("油田分局", "2019-06", "接警数", 40, None),  # unchanged
        (police.name, "2019-07", "接警数", 88, None),  # new
    ]
    before = AuditEntry.objects.count()

    result = import_indicator_ledger(
        sheet(tmp_path / "b.xlsx", corrected, HEADERS + ["备注"]), staff
    )

    assert result.ok and (result.created, result.replaced, result.skipped_same) == (1, 1, 1)
    value = MonthlyValue.objects.get(
        unit=police, month=D(2019, 6, 1), indicator__code="police_calls"
    )
    assert (value.value, value.note, value.imported_by) == (97, "110接处警系统（更正）", staff)
    assert held()[(police.name, "2019-06", "cases_accepted")] == 30  # not in the file: kept
    entries = list(AuditEntry.objects.order_by("id")[before:])
    update = next(e for e in entries if e.action == "update")
    assert update.object_type == "reports.monthlyvalue" and update.object_id == str(value.pk)
    assert update.changes["value"] == [95, 97]
    assert update.changes["note"] == ["110接处警系统", "110接处警系统（更正）"]
    assert update.changes["imported_by_id"] == [admin.pk, staff.pk]
    assert entries[-1].changes == {"file": "b.xlsx", "created": 1, "replaced": 1, "skipped": 1}


def test_without_a_note_column_held_notes_stay(admin, police, oilfield, tmp_path):
    import_indicator_ledger(sheet(tmp_path / "a.xlsx", good_rows(police, oilfield)), admin)
    rows = [(police.name, "2019-06", "接警数", 95), (police.name, "2019-06", "受理案件数", 31)]

    result = import_indicator_ledger(sheet(tmp_path / "b.xlsx", rows, HEADERS), admin)

    assert (result.created, result.replaced, result.skipped_same) == (0, 1, 1)
    calls = MonthlyValue.objects.get(unit=police, indicator__code="police_calls")
    assert calls.note == "110接处警系统"


def test_a_problem_found_while_writing_undoes_every_row(
    admin, police, oilfield, tmp_path, monkeypatch
):
    import_indicator_ledger(sheet(tmp_path / "a.xlsx", good_rows(police, oilfield)), admin)
    rows = [
        (police.name, "2019-06", "接警数", 99, None),
        (police.name, "2019-07", "接警数", 1, None),
    ]
    monkeypatch.setattr(MonthlyValueQuerySet, "scope_visible", lambda self, user: self.none())
    before = AuditEntry.objects.count()

    result = import_indicator_ledger(sheet(tmp_path / "b.xlsx", rows), admin)

    assert codes(result) == [("not_permitted", 2, "单位"), ("not_permitted", 3, "单位")]
    assert held()[(police.name, "2019-06", "police_calls")] == 95  # the replacement undone
    assert MonthlyValue.objects.count() == 4 and AuditEntry.objects.count() == before


# Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(BUSINESS_ROLES - OFFICE_IMPORTERS))
def test_only_the_office_imports(personas, police, tmp_path, role):
    path = sheet(tmp_path / "a.xlsx", [(police.name, "2019-06", "接警数", 1, None)])

    with pytest.raises(PermissionDenied):
        import_indicator_ledger(path, personas[role])


@pytest.mark.parametrize("role", sorted(OFFICE_IMPORTERS))
def test_each_office_role_imports(personas, police, tmp_path, role):
    path = sheet(tmp_path / "a.xlsx", [(police.name, "2019-06", "接警数", 1, None)])

    assert import_indicator_ledger(path, personas[role]).created == 1


def test_permissions_per_role(personas):
    for role, user in personas.items():
        assert user.has_perm("reports.view_monthlyvalue") == (role in BUSINESS_ROLES), role
        assert user.has_perm("reports.import_indicators") == (role in OFFICE_IMPORTERS), role


@pytest.fixture
def values(units, other_units, oilfield):
    calls = Indicator.objects.get(code="police_calls")
    rows = [
        (units[UnitKind.POLICE], 120),
        (oilfield, 40),
        (other_units[UnitKind.POLICE], 300),
    ]
    for unit, value in rows:
        MonthlyValue.objects.create(unit=unit, month=D(2019, 6, 17), indicator=calls, value=value)
    return rows


def visible_units(user):
    return sorted(MonthlyValue.objects.visible_to(user).values_list("unit__name", flat=True))


def test_scoping(personas, other_personas, units, other_units, oilfield, values):
    ours = sorted([units[UnitKind.POLICE].name, oilfield.name])
    for role in (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN, Role.LEADER_VIEWER):
        assert visible_units(personas[role]) == ours, role
        assert visible_units(other_personas[role]) == [other_units[UnitKind.POLICE].name], role
    for role in (Role.HANDLER, Role.UNIT_LEADER):  # of the district's first police unit
        assert visible_units(personas[role]) == [units[UnitKind.POLICE].name], role
    assert visible_units(personas[Role.DISCIPLINE]) == []  # the commission reports none here
    for role in THREE_OFFICERS:
        assert visible_units(personas[role]) == [], role
    assert MonthlyValue.objects.get(value=120).month == D(2019, 6, 1)  # saved as the first day


def test_only_importers_may_change_values(personas, values):
    assert MonthlyValue.objects.editable_by(personas[Role.OFFICE_STAFF]).count() == 2
    assert MonthlyValue.objects.editable_by(personas[Role.LEADER_VIEWER]).count() == 0
    assert MonthlyValue.objects.editable_by(personas[Role.HANDLER]).count() == 0


# Year on year -------------------------------------------------------------------------------


@pytest.fixture
def history(units, other_units, oilfield):
    """接警 and 受理案件 of the two police units of the district, and one of the other."""
    calls = Indicator.objects.get(code="police_calls")
    cases = Indicator.objects.get(code="cases_accepted")
    police = units[UnitKind.POLICE]
    figures = [
        (police, calls, {(2018, 4): 100, (2018, 5): 110, (2018, 6): 120, (2018, 7): 130}),
        (police, calls, {(2019, 4): 90, (2019, 5): 100, (2019, 6): 95, (2019, 1): 80}),
        (oilfield, calls, {(2018, 6): 30, (2019, 6): 45, (2019, 5): 10}),
        (police, cases, {(2018, 6): 20, (2019, 6): 25}),
        (other_units[UnitKind.POLICE], calls, {(2018, 6): 1000, (2019, 6): 1}),
    ]
    for unit, indicator, months in figures:
        for (year, month), value in months.items():
            MonthlyValue.objects.create(
                unit=unit, indicator=indicator, month=D(year, month, 1), value=value
            )
    return police


def test_year_on_year_of_a_month_for_one_unit(admin, history):
    values = MonthlyValue.objects.visible_to(admin)

    result = year_on_year(values, "police_calls", D(2019, 6, 20), unit=history)

    assert (result.current, result.previous, result.change) == (95, 120, -25)
    assert result.change_rate == -0.2083 and round(result.change_rate * 100, 1) == -20.8
    assert (result.period, result.previous_period) == (
        Period(D(2019, 6, 1), D(2019, 6, 1)),
        Period(D(2018, 6, 1), D(2018, 6, 1)),
    )
    assert result.period.label == "2019年6月"
    assert result.as_dict() == {
        "indicator": "police_calls",
        "period": ["2019-06", "2019-06"],
        "current": 95,
        "previous": 120,
        "change": -25,
        "change_rate": -0.2083,
        "current_count": 1,
        "previous_count": 1,
    }


def test_year_on_year_adds_up_the_units_the_user_sees(admin, personas, history):
    office = year_on_year(MonthlyValue.objects.visible_to(admin), "police_calls", D(2019, 6, 1))
    # 95 + 45 against 120 + 30; the other district's 1 and 1000 are not seen
    assert (office.current, office.previous, office.change) == (140, 150, -10)
    assert office.change_rate == round(-10 / 150, 4)
    handler = personas[Role.HANDLER]
    own = year_on_year(MonthlyValue.objects.visible_to(handler), "police_calls", D(2019, 6, 1))
    assert (own.current, own.previous) == (95, 120)


def test_year_on_year_of_a_quarter_and_the_year_to_date(admin, history):
    values = MonthlyValue.objects.visible_to(admin)

    quarter = year_on_year(values, "police_calls", Period.quarter_of(D(2019, 5, 3)), unit=history)
    ytd = year_on_year(values, "police_calls", Period.year_to_date(D(2019, 6, 30)))
    to_date = Period.quarter_to_date(D(2019, 5, 3))

    assert (quarter.current, quarter.previous, quarter.change) == (285, 330, -45)
    assert quarter.change_rate == round(-45 / 330, 4) and quarter.period.label == "2019年第2季度"
    # Jan-Jun: 80 + 90 + 100 + 95 (police) + 10 + 45 (oil field) against 100 + 110 + 120 + 30
    assert (ytd.current, ytd.previous, ytd.change) == (420, 360, 60)
    assert ytd.change_rate == round(60 / 360, 4) and ytd.period.label == "2019年1-6月"
    assert (ytd.current_count, ytd.previous_count) == (6, 4)
    assert (to_date.first, to_date.last) == (D(2019, 4, 1), D(2019, 5, 1))
    assert year_on_year(values, "police_calls", to_date, unit=history).current == 190
    assert to_date.label == "2019年4-5月"
    tables_period = SimpleNamespace(start=D(2019, 4, 1), end=D(2019, 6, 30))  # as tables.py has
    assert year_on_year(values, "police_calls", tables_period, unit=history) == quarter


def test_year_on_year_without_last_year(admin, history):
    values = MonthlyValue.objects.visible_to(admin)

    none_before = year_on_year(values, "police_calls", D(2019, 1, 1), unit=history)
    nothing = year_on_year(values, "media_reports", D(2019, 6, 1))

    assert (none_before.current, none_before.previous, none_before.change) == (80, 0, 80)
    assert none_before.change_rate is None
    assert (nothing.current, nothing.previous, nothing.change, nothing.change_rate) == (
        0,
        0,
        0,
        None,
    )
    assert (nothing.current_count, nothing.previous_count) == (0, 0)
    cases = year_on_year(values, "cases_accepted", D(2019, 6, 1), unit=history.pk)
    assert (cases.current, cases.previous, cases.change_rate) == (25, 20, 0.25)


def test_periods_are_whole_months():
    with pytest.raises(ValueError):
        Period(D(2019, 6, 2), D(2019, 6, 2))
    with pytest.raises(ValueError):
        Period(D(2019, 6, 1), D(2019, 5, 1))
    assert Period.quarter_of(D(2019, 12, 31)) == Period(D(2019, 10, 1), D(2019, 12, 1))
    assert Period(D(2019, 11, 1), D(2020, 2, 1)).label == "2019年11月-2020年2月"
    assert Period.month_of(D(2020, 2, 29)).year_before() == Period.month_of(D(2019, 2, 1))


# The command --------------------------------------------------------------------------------


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


def test_command_imports_and_summarises(admin, police, oilfield, tmp_path, run, capsys):
    path = sheet(tmp_path / "a.xlsx", good_rows(police, oilfield))

    code, out, _err = run(capsys, "import_ledger", "indicators", path)

    assert code == 0 and "4" in out and MonthlyValue.objects.count() == 4
    assert set(MonthlyValue.objects.values_list("imported_by", flat=True)) == {admin.pk}
    rows = [(police.name, "2019-06", "接警数", 96, "110接处警系统")]
    code, out, _err = run(capsys, "import_ledger", "indicators", sheet(tmp_path / "b.xlsx", rows))
    assert code == 0 and "1" in out
    assert held()[(police.name, "2019-06", "police_calls")] == 96


def test_command_prints_every_error_and_exits_non_zero(admin, police, tmp_path, run, capsys):
    rows = [("北湖分局X", "2019-06", "接警数", 1, None), (police.name, "昨天", "接警数", 1, None)]
    path = sheet(tmp_path / "a.xlsx", rows)

    code, _out, err = run(capsys, "import_ledger", "indicators", path, "--user", admin.username)

    assert code == 1
    assert "北湖分局X" in err and "昨天" in err
    lines = [line for line in err.splitlines() if "指标台账" in line]
    assert len(lines) == 2 and "第2行" in lines[0] and "「单位」" in lines[0]
    assert MonthlyValue.objects.count() == 0


def test_command_refuses_a_user_who_may_not_import(personas, police, tmp_path, run, capsys):
    path = sheet(tmp_path / "a.xlsx", [(police.name, "2019-06", "接警数", 1, None)])
    handler = personas[Role.HANDLER]

    code, _out, err = run(capsys, "import_ledger", "indicators", path, "--user", handler.username)

    assert code == 1 and handler.username in err
    assert run(capsys, "import_ledger", "indicators", tmp_path / "missing.xlsx")[0] == 1
    assert MonthlyValue.objects.count() == 0
