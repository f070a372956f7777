"""The records ledger (前科劣迹, docs/records-ledger.md): import resolves each record to its
person (found by ID number, or new), all rows or none; the records list and upload pages."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from saohei.audit.models import AuditEntry
from saohei.core.models import ImportJob
from saohei.entities.choices import RecordKind
from saohei.entities.matching.ids import check_character
from saohei.entities.models import Person, Record
from saohei.entities.record_views import masked_id
from saohei.entities.records_ledger import HEADERS, import_records_ledger
from saohei.orgs.choices import Role

pytestmark = pytest.mark.django_db

D = datetime.date
FULL = (*HEADERS, "简要情况")


def id18(birth="19800101", seq="123", region="230602") -> str:
    first17 = f"{region}{birth}{seq}"
    return first17 + check_character(first17)


WANG = id18("19800101", "123")  # 230602198001011233
LI = id18("19750315", "042")
OLD15 = "230602750315042"  # LI's old 15-digit number
ZHAO = id18("19900720", "331")


def wrong_check(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def sheet(path, rows, headers=FULL, *, title="前科劣迹"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def codes(result):
    return [(e.code, e.row, e.column) for e in result.errors]


def counts():
    return Record.objects.count(), Person.objects.count()


@pytest.fixture
def admin(personas):
    return personas[Role.OFFICE_ADMIN]


GOOD = [
    ("王建国", WANG, "刑事处罚", "2015-03-02", "北湖区人民法院", "寻衅滋事罪，有期徒刑一年"),
    ("王建国", WANG, "行政拘留", D(2012, 8, 9), "北湖区公安分局", "殴打他人"),
    ("李明", OLD15, "涉黑涉恶犯罪", "2018年11月20日", "北湖区人民法院", None),
]


# Importing ----------------------------------------------------------------------------------


def test_a_good_file_gives_persons_their_records(admin, tmp_path):
    before = AuditEntry.objects.count()

    result = import_records_ledger(sheet(tmp_path / "记录.xlsx", GOOD), admin)

    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.skipped_same, result.persons_created) == (3, 0, 2)
    wang = Person.objects.get(name="王建国")
    assert wang.id_number == WANG and wang.birth_date == D(1980, 1, 1) and wang.gender == "M"
    assert wang.jurisdiction == admin.unit.jurisdiction and wang.entered_by_unit == admin.unit
    assert sorted((r.kind, r.decided_on) for r in wang.records.all()) == [
        (RecordKind.ADMINISTRATIVE, D(2012, 8, 9)),
        (RecordKind.CRIMINAL, D(2015, 3, 2)),
    ]
    li = Person.objects.get(name="李明")
    assert li.id_number == LI  # the 15-digit number is kept converted
    record = li.records.get()
    assert (record.kind, record.decided_on, record.id_number) == (
        RecordKind.GANG_CRIME,
        D(2018, 11, 20),
        LI,
    )
    assert (record.imported_by, record.imported_by_unit) == (admin, admin.unit)
    assert record.jurisdiction == admin.unit.jurisdiction and record.description == ""
    entry = AuditEntry.objects.filter(object_type="entities.record").order_by("id").last()
    assert entry.pk > before and entry.object_repr == "前科劣迹台账导入"
    assert entry.changes["created"] == 3 and entry.changes["persons_created"] == 2
    persons = AuditEntry.objects.filter(pk__gt=before, object_type="entities.person")
    assert persons.count() == 2  # each new person is in the audit log


def test_a_held_person_is_found_by_id_and_a_new_name_becomes_a_former_name(admin, tmp_path):
    held = Person.objects.create(
        name="王建國",  # the same name in traditional characters: not a new name
        id_number=WANG,
        jurisdiction=admin.unit.jurisdiction,
        former_names="王二",
    )
    rows = [
        ("王建国", WANG, "刑事处罚", "2015-03-02", "北湖区人民法院", None),
        ("王小建", WANG, "行政处罚", "2016-03-02", "北湖区公安分局", None),
        ("王 小建", WANG, "治安处罚", "2017-03-02", "北湖区公安分局", None),
    ]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert result.ok and (result.created, result.persons_created, result.names_added) == (3, 0, 1)
    held.refresh_from_db()
    assert held.name == "王建國" and held.former_names == "王二、王小建"
    assert held.records.count() == 3 and Person.objects.count() == 1
    change = AuditEntry.objects.filter(object_type="entities.person", action="update").get()
    assert "former_names" in str(change.changes)
    assert set(held.records.values_list("name", flat=True)) == {"王建国", "王小建", "王 小建"}


def test_a_person_merged_into_another_resolves_to_the_survivor(admin, tmp_path):
    jurisdiction = admin.unit.jurisdiction
    survivor = Person.objects.create(name="赵强", id_number=id18("19700101", "111"),
                                     jurisdiction=jurisdiction)  # fmt: skip
    merged = Person.objects.create(
        name="赵强", id_number=ZHAO, jurisdiction=jurisdiction, merged_into=survivor
    )
    rows = [("赵强", ZHAO, "其他劣迹", "2019-01-05", "某镇政府", None)]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert result.ok and result.persons_created == 0
    assert Record.objects.get().person == survivor and not merged.records.exists()


def test_a_person_of_another_jurisdiction_is_not_taken(admin, other_units, tmp_path):
    other = Person.objects.create(
        name="王建国", id_number=WANG, jurisdiction=other_units["office"].jurisdiction
    )
    result = import_records_ledger(sheet(tmp_path / "a.xlsx", GOOD[:1]), admin)

    assert result.ok and result.persons_created == 1
    assert Record.objects.get().person != other


def test_importing_the_same_file_twice_changes_nothing(admin, tmp_path):
    path = sheet(tmp_path / "a.xlsx", GOOD)
    assert import_records_ledger(path, admin).created == 3

    again = import_records_ledger(path, admin)

    assert again.ok and (again.created, again.skipped_same, again.persons_created) == (0, 3, 0)
    assert counts() == (3, 2)


def test_a_held_record_with_another_description_is_an_error(admin, tmp_path):
    import_records_ledger(sheet(tmp_path / "a.xlsx", GOOD[:1]), admin)
    changed = [(*GOOD[0][:5], "故意伤害罪"), GOOD[2]]

    result = import_records_ledger(sheet(tmp_path / "b.xlsx", changed), admin)

    assert codes(result) == [("record_conflict", 2, "身份证号")]
    assert counts() == (1, 1)


def test_traditional_headers_aliases_and_extra_columns(admin, tmp_path):
    headers = ("序號", "姓名", "公民身份號碼", "記錄類型", "日期", "處理機關", "簡要情況", "備註")
    rows = [(1, "王建国", WANG, "刑事犯罪", "2015/3/2", "北湖区人民法院", "判决", "x")]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows, headers), admin)

    assert result.ok and Record.objects.get().description == "判决"


def test_the_description_column_may_be_left_out(admin, tmp_path):
    rows = [row[:5] for row in GOOD]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows, HEADERS), admin)

    assert result.ok and result.created == 3


@pytest.mark.parametrize(
    "cell, kind",
    [
        ("涉黑涉恶犯罪", RecordKind.GANG_CRIME),
        ("涉恶", RecordKind.GANG_CRIME),
        ("刑事處罰", RecordKind.CRIMINAL),  # traditional
        ("犯罪记录", RecordKind.CRIMINAL),
        ("administrative", RecordKind.ADMINISTRATIVE),
        ("政务处分", RecordKind.DISCIPLINE),
        ("纪律处分", RecordKind.DISCIPLINE),
        ("党纪政务处分", RecordKind.DISCIPLINE),
        ("其他劣迹", RecordKind.OTHER),
    ],
)
def test_record_types_by_label_code_or_common_name(admin, tmp_path, cell, kind):
    rows = [("王建国", WANG, cell, "2015-03-02", "北湖区人民法院", None)]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert result.ok and Record.objects.get().kind == kind


# Bad input: every problem named, nothing written ----------------------------------------------


def tomorrow() -> str:
    return f"{timezone.localdate() + datetime.timedelta(days=1):%Y-%m-%d}"


@pytest.mark.parametrize(
    "row, code, column",
    [
        (("王建国", wrong_check(WANG), "刑事处罚", "2015-03-02", "法院", None),
         "id_check_digit", "身份证号"),
        (("王建国", id18("19801301"), "刑事处罚", "2015-03-02", "法院", None),
         "id_birth_date", "身份证号"),
        (("王建国", "23060219800101", "刑事处罚", "2015-03-02", "法院", None),
         "bad_id_number", "身份证号"),
        (("王建国", 230602198001011233, "刑事处罚", "2015-03-02", "法院", None),
         "id_as_number", "身份证号"),
        (("王建国", None, "刑事处罚", "2015-03-02", "法院", None), "required", "身份证号"),
        (("王建国", WANG, "刑事处罚", "2015-02-30", "法院", None), "bad_date", "日期"),
        (("王建国", WANG, "刑事处罚", "去年", "法院", None), "bad_date", "日期"),
        (("王建国", WANG, "刑事处罚", tomorrow(), "法院", None), "future_date", "日期"),
        (("王建国", WANG, "劳动教养", "2015-03-02", "法院", None), "invalid_choice", "记录类型"),
        (("王建国", WANG, None, "2015-03-02", "法院", None), "required", "记录类型"),
        ((None, WANG, "刑事处罚", "2015-03-02", "法院", None), "required", "姓名"),
        (("王" * 51, WANG, "刑事处罚", "2015-03-02", "法院", None), "too_long", "姓名"),
        (("王建国", WANG, "刑事处罚", "2015-03-02", None, None), "required", "处理机关"),
    ],
)  # fmt: skip
def test_each_bad_cell_is_named_and_nothing_is_written(admin, tmp_path, row, code, column):
    rows = [GOOD[2], row]  # a good row before it: not written either

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert codes(result) == [(code, 3, column)]
    error = result.errors[0]
    assert error.sheet == "前科劣迹" and "前科劣迹" in str(error) and "3" in str(error)
    assert counts() == (0, 0)


def test_an_id_number_error_quotes_the_number(admin, tmp_path):
    bad = wrong_check(WANG)
    rows = [("王建国", bad, "刑事处罚", "2015-03-02", "法院", None)]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert result.errors[0].value == bad and bad in str(result.errors[0])


def test_every_problem_of_the_file_is_listed(admin, tmp_path):
    rows = [
        ("王建国", wrong_check(WANG), "刑事处罚", "2015-03-02", "法院", None),
        (None, LI, "坐牢", "明天", "法院", None),
    ]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert codes(result) == [
        ("id_check_digit", 2, "身份证号"),
        ("required", 3, "姓名"),
        ("invalid_choice", 3, "记录类型"),
        ("bad_date", 3, "日期"),
    ]
    assert counts() == (0, 0)


def test_a_missing_header_is_named(admin, tmp_path):
    headers = ("姓名", "身份证号", "记录类型", "处理机关")
    rows = [("王建国", WANG, "刑事处罚", "法院")]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows, headers), admin)

    assert codes(result) == [("missing_header", 1, "日期")]
    assert counts() == (0, 0)


def test_duplicate_rows_name_both_rows(admin, tmp_path):
    rows = [
        GOOD[0],
        GOOD[2],
        ("王建國", WANG, "刑事犯罪", D(2015, 3, 2), "北湖区人民法院 ", "同一判决"),
    ]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", rows), admin)

    assert codes(result) == [("duplicate_row", 4, "身份证号")]
    assert "2" in result.errors[0].message and "4" in str(result.errors[0])
    assert counts() == (0, 0)


def test_not_an_excel_file(admin, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"name,id\n")

    assert codes(import_records_ledger(path, admin)) == [("not_xlsx", None, "")]


def test_progress_is_reported(admin, tmp_path):
    calls = []

    import_records_ledger(
        sheet(tmp_path / "a.xlsx", GOOD), admin, progress=lambda d, t: calls.append((d, t))
    )

    assert calls[-1] == (6, 6)


# Who imports --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LEADER_VIEWER, Role.AUDITOR, Role.SYSADMIN])
def test_roles_without_the_permission_are_refused(personas, tmp_path, role):
    with pytest.raises(PermissionDenied):
        import_records_ledger(sheet(tmp_path / "a.xlsx", GOOD), personas[role])
    assert counts() == (0, 0)


def test_an_agency_imports_and_sees_its_records(personas, tmp_path):
    handler = personas[Role.HANDLER]

    result = import_records_ledger(sheet(tmp_path / "a.xlsx", GOOD), handler)

    assert result.ok and Record.objects.visible_to(handler).count() == 3
    assert set(Person.objects.values_list("entered_by_unit", flat=True)) == {handler.unit_id}


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


def test_command_imports_and_summarises(admin, tmp_path, run, capsys):
    code, out, _err = run(capsys, "import_ledger", "records", sheet(tmp_path / "a.xlsx", GOOD))

    assert code == 0 and "3" in out and "2" in out
    assert counts() == (3, 2)
    assert set(Record.objects.values_list("imported_by", flat=True)) == {admin.pk}


def test_command_prints_every_error_and_exits_non_zero(admin, tmp_path, run, capsys):
    bad = wrong_check(WANG)
    rows = [("王建国", bad, "刑事处罚", "2015-03-02", "法院", None), (*GOOD[2][:3], "昨天", "x")]
    path = sheet(tmp_path / "a.xlsx", rows)

    code, _out, err = run(capsys, "import_ledger", "records", path, "--user", admin.username)

    assert code == 1 and bad in err and "昨天" in err
    lines = [line for line in err.splitlines() if "前科劣迹" in line]
    assert len(lines) == 2 and "2" in lines[0] and "身份证号" in lines[0]
    assert counts() == (0, 0)


def test_command_refuses_a_user_who_may_not_import(personas, tmp_path, run, capsys):
    viewer = personas[Role.LEADER_VIEWER]
    path = sheet(tmp_path / "a.xlsx", GOOD)

    code, _out, err = run(capsys, "import_ledger", "records", path, "--user", viewer.username)

    assert code == 1 and viewer.username in err and counts() == (0, 0)


# The pages ----------------------------------------------------------------------------------


def upload(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(list(FULL))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("前科劣迹.xlsx", buf.getvalue())


def test_upload_imports_all_rows_or_none(personas, client, settings):
    settings.SAOHEI_IMPORTS_IN_BACKGROUND = False
    client.force_login(personas[Role.OFFICE_STAFF])

    response = client.post(reverse("record_import"), {"file": upload(GOOD)})

    job = ImportJob.objects.get()
    assert response.url == reverse("import_job", args=[job.pk])
    assert (job.kind, job.state, job.created) == ("records", "done", 3) and counts() == (3, 2)
    bad = [
        ("赵强", ZHAO, "其他劣迹", "2019-01-05", "某镇政府", None),
        ("赵强", wrong_check(ZHAO), "刑事处罚", "2015-03-02", "法院", None),
    ]
    client.post(reverse("record_import"), {"file": upload(bad)})
    failed = ImportJob.objects.latest("pk")
    assert failed.state == "failed" and len(failed.errors) == 1
    assert counts() == (3, 2)  # nothing of the bad file was written


def test_upload_is_refused_without_the_permission(personas, client):
    for role in (Role.LEADER_VIEWER, Role.AUDITOR):
        client.force_login(personas[role])
        assert client.get(reverse("record_import")).status_code == 403
        response = client.post(reverse("record_import"), {"file": upload(GOOD)})
        assert response.status_code == 403
    assert counts() == (0, 0) and not ImportJob.objects.exists()


def test_the_list_shows_masked_numbers_and_filters(admin, personas, client, tmp_path):
    import_records_ledger(sheet(tmp_path / "a.xlsx", GOOD), admin)
    client.force_login(personas[Role.LEADER_VIEWER])

    page = client.get(reverse("record_list")).content.decode()

    assert "2306**********1233" in page and WANG not in page and "王建国" in page
    page = client.get(reverse("record_list"), {"kind": RecordKind.GANG_CRIME}).content.decode()
    assert "李明" in page and "王建国" not in page
    page = client.get(reverse("record_list"), {"q": "王建國"}).content.decode()
    assert "王建国" in page and "李明" not in page
    page = client.get(reverse("record_list"), {"q": OLD15}).content.decode()
    assert "李明" in page and "王建国" not in page


def test_the_list_shows_only_what_the_user_may_see(
    admin, personas, other_personas, client, tmp_path
):
    import_records_ledger(sheet(tmp_path / "a.xlsx", GOOD), admin)

    client.force_login(other_personas[Role.OFFICE_ADMIN])
    assert "王建国" not in client.get(reverse("record_list")).content.decode()
    client.force_login(personas[Role.HANDLER])  # an agency sees what its unit imported
    assert "王建国" not in client.get(reverse("record_list")).content.decode()


def test_the_list_takes_the_same_number_of_queries_for_more_rows(
    admin, client, tmp_path, django_assert_max_num_queries
):
    import_records_ledger(sheet(tmp_path / "a.xlsx", GOOD), admin)
    client.force_login(admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("record_list"))
    rows = [(f"某{i}", id18("19800101", f"{i:03d}"), "其他劣迹", "2019-01-05", "镇", None)
            for i in range(200, 230)]  # fmt: skip
    import_records_ledger(sheet(tmp_path / "b.xlsx", rows), admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("record_list"))


def test_masked_id():
    assert masked_id("230602198001011233") == "2306**********1233"
    assert masked_id("230602750315042") == "2306*******5042"
    assert masked_id("") == ""
