"""The publicity and fund ledgers: all rows or none, every problem named by sheet, row and
column with the fix; a clean file imported, the same file again adds nothing; an export
imports again."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from saohei.orgs.choices import Role, UnitKind
from saohei.oversight.ledger import import_fund_ledger, import_publicity_ledger
from saohei.oversight.models import FundAllocation, FundSpending, PublicityActivity

pytestmark = pytest.mark.django_db


def xlsx(rows, title="台账"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "台账.xlsx"
    return buffer


PUBLICITY = ["单位", "日期", "形式", "数量", "发布渠道", "媒体报道数", "内容"]
FUNDS = ["单位", "日期", "类别", "金额（元）", "用途", "文号或凭证号"]


def test_publicity_ledger_imports_and_checks_the_wording(personas, units):
    staff = personas[Role.OFFICE_STAFF]
    town = units[UnitKind.TOWNSHIP].name
    rows = [
        PUBLICITY,
        [town, "2019-03-01", "条幅", 30, "各村", 0, "打黑除恶。举报电话：12345"],
        [town, datetime.datetime(2019, 4, 2), "典型案例宣講", "3场", "学校", 2, None],
    ]
    result = import_publicity_ledger(xlsx(rows), staff)
    assert result.ok and result.created == 2
    banner = PublicityActivity.objects.get(kind="banner")
    assert [f["kind"] for f in banner.findings] == ["wrong_verb"]
    talk = PublicityActivity.objects.get(kind="case_talk")
    assert (talk.quantity, talk.media_reports) == (3, 2)
    again = import_publicity_ledger(xlsx(rows), staff)
    assert again.ok and (again.created, again.skipped_same) == (0, 2)


def test_publicity_ledger_errors_write_nothing(personas, units):
    town = units[UnitKind.TOWNSHIP].name
    rows = [
        PUBLICITY,
        [town, "2019-03-01", "条幅", 30, "", 0, ""],
        ["不存在的单位", "2019-13-01", "横幅", "三十", "", 0, ""],
        [town, "2099-01-01", "海报", 0, "", "x", ""],
    ]
    result = import_publicity_ledger(xlsx(rows), personas[Role.OFFICE_STAFF])
    assert not result.ok and PublicityActivity.objects.count() == 0
    where = {(e.row, e.column, e.code) for e in result.errors}
    assert where == {
        (3, "单位", "unknown_unit"),
        (3, "日期", "bad_date"),
        (3, "形式", "invalid_choice"),
        (3, "数量", "not_a_number"),
        (4, "日期", "future_date"),
        (4, "数量", "not_a_number"),
        (4, "媒体报道数", "not_a_number"),
    }
    text = str(next(e for e in result.errors if e.code == "invalid_choice"))
    assert "台账" in text and "3" in text and "条幅" in text  # sheet, row and what to write


def test_missing_header_and_not_xlsx(personas):
    staff = personas[Role.OFFICE_STAFF]
    rows = [["单位", "日期", "数量"], ["x", "2019-01-01", 1]]
    result = import_publicity_ledger(xlsx(rows), staff)
    assert [e.code for e in result.errors] == ["missing_header"]
    fake = io.BytesIO(b"not a workbook at all")
    fake.name = "台账.xlsx"
    assert [e.code for e in import_publicity_ledger(fake, staff).errors] == ["not_xlsx"]


def test_fund_ledger(personas, units):
    staff = personas[Role.OFFICE_STAFF]
    office, police = units[UnitKind.OFFICE].name, units[UnitKind.POLICE].name
    rows = [
        FUNDS,
        [office, "2019-01-10", "下拨", "100万元", "", "北财预〔2019〕5号"],
        [police, "2019-02-01", "下拨", "310,000", "", "北财预〔2019〕6号"],
        [police, "2019-03-01", "支出", 12000.5, "案件办理", "凭证001"],
    ]
    result = import_fund_ledger(xlsx(rows), staff)
    assert result.ok and result.created == 3
    assert FundAllocation.objects.get(document="北财预〔2019〕5号").amount == Decimal(1_000_000)
    assert FundSpending.objects.get().amount == Decimal("12000.50")
    assert import_fund_ledger(xlsx(rows), staff).skipped_same == 3


def test_fund_ledger_errors(personas, units):
    police = units[UnitKind.POLICE].name
    rows = [
        FUNDS,
        [police, "2019-03-01", "支出", "-5", "案件办理", ""],
        [police, "2019-03-01", "支出", "100.123", "举报奖励", ""],
        [police, "2019-03-01", "报销", "100", "", ""],
        [police, "2019-03-02", "支出", "100", "案件办理", "A1"],
        [police, "2019-03-02", "支出", "100", "案件办理", "A1"],
    ]
    result = import_fund_ledger(xlsx(rows), personas[Role.OFFICE_STAFF])
    assert FundSpending.objects.count() == 0 and FundAllocation.objects.count() == 0
    assert {(e.row, e.column, e.code) for e in result.errors} == {
        (2, "金额（元）", "not_a_number"),
        (3, "金额（元）", "not_a_number"),
        (3, "用途", "reward_by_hand"),
        (4, "类别", "invalid_choice"),
        (6, "金额（元）", "duplicate_row"),
    }


def test_member_units_do_not_import(personas):
    with pytest.raises(PermissionDenied):
        import_fund_ledger(xlsx([FUNDS]), personas[Role.HANDLER])


def test_export_imports_again(client, personas, units):
    staff = personas[Role.OFFICE_STAFF]
    town = units[UnitKind.TOWNSHIP].name
    import_publicity_ledger(
        xlsx([PUBLICITY, [town, "2019-03-01", "条幅", 30, "各村", 1, "扫黑除恶。举报电话：12345"]]),
        staff,
    )
    client.force_login(staff)
    response = client.get(reverse("publicity_export"))
    data = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]][:4] == ["单位", "日期", "形式", "数量"]
    assert [c.value for c in ws[2]][:4][2:] == ["条幅", 30]
    PublicityActivity.objects.all().delete()
    again = io.BytesIO(data)
    again.name = "导出.xlsx"
    result = import_publicity_ledger(again, staff)
    assert result.ok and result.created == 1


def test_import_page_runs_the_import(client, personas, units, settings):
    settings.SAOHEI_IMPORTS_IN_BACKGROUND = False
    client.force_login(personas[Role.OFFICE_STAFF])
    upload = xlsx([FUNDS, [units[UnitKind.POLICE].name, "2019-02-01", "下拨", 5000, "", ""]])
    upload.name = "经费.xlsx"
    response = client.post(reverse("fund_import"), {"file": upload})
    assert response.status_code == 302
    assert FundAllocation.objects.get().amount == 5000
