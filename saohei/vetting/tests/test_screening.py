"""Screening a candidate list: the four kinds of disguise the issue names, a clean candidate,
rules with time windows, remembered judgements, bad files, and the `vet` command's sheet."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from saohei.entities.choices import RecordKind
from saohei.entities.matching.ids import check_character
from saohei.entities.models import Person, Record
from saohei.orgs.choices import Role
from saohei.vetting.models import Batch, Candidate, Decision, Hit, Judgement
from saohei.vetting.screening import decide, judge, screen_list

TODAY = datetime.date(2021, 3, 1)


def id18(first17: str) -> str:
    return first17 + check_character(first17)


LIU = id18("23060219750312451")  # 刘德华 -> listed in traditional characters
ZHANG = id18("23060219800101123")  # 张伟 -> listed as the homophone 章玮
WANG = id18("23060219790505771")  # 王建军, nickname 王老三 -> listed under the nickname
ZHAO = id18("23060219850817662")  # 赵敏 -> listed with one wrong digit
CLEAN = id18("23060219900909333")


def slip(number: str, position: int) -> str:
    digit = "7" if number[position] != "7" else "8"
    return number[:position] + digit + number[position + 1 :]


@pytest.fixture
def registry(units, personas):
    office = units["office"]
    admin = personas[Role.OFFICE_ADMIN]

    def add(name, number, kind, on, body, description="", nicknames=""):
        person = Person.objects.create(
            name=name,
            id_number=number,
            nicknames=nicknames,
            jurisdiction=office.jurisdiction,
            entered_by_unit=office,
        )
        return Record.objects.create(
            person=person,
            jurisdiction=office.jurisdiction,
            name=name,
            id_number=number,
            kind=kind,
            decided_on=on,
            deciding_body=body,
            description=description,
            imported_by_unit=office,
            imported_by=admin,
        )

    court, police = "北湖区人民法院", "北湖公安分局"
    return {
        "liu": add("刘德华", LIU, RecordKind.GANG_CRIME, datetime.date(2018, 5, 2), court,
                   "寻衅滋事罪，判处有期徒刑二年"),
        "zhang": add("张伟", ZHANG, RecordKind.CRIMINAL, datetime.date(2009, 1, 9), court,
                     "盗窃罪，判处有期徒刑一年"),
        "wang": add("王建军", WANG, RecordKind.ADMINISTRATIVE, datetime.date(2019, 7, 1),
                    police, "殴打他人，行政拘留十日", nicknames="王老三、三哥"),
        "zhao": add("赵敏", ZHAO, RecordKind.DISCIPLINE, datetime.date(2012, 3, 3), "区纪委监委",
                    "党内警告"),
    }  # fmt: skip


def candidate_list(path, rows, headers=("姓名", "身份证号", "村/单位", "拟任职务", "备注")):
    wb = Workbook()
    ws = wb.active
    ws.title = "候选人"
    ws.append(["2021年村“两委”换届候选人名单"])  # a title row above the headers, as lists have
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


ROWS = [
    ("劉德華", LIU, "红旗村", "村委会主任", "连任"),
    ("章玮", ZHANG, "胜利村", "村委委员", ""),
    ("王老三", WANG, "建设村", "村党支部书记", ""),
    ("赵敏", slip(ZHAO, 9), "东风村", "村委委员", ""),
    ("李清白", CLEAN, "红旗村", "村委委员", ""),
]


def test_each_disguise_is_seen_and_the_clean_candidate_is_not(registry, personas, tmp_path):
    path = candidate_list(tmp_path / "名单.xlsx", ROWS)
    batch, read = screen_list(path, personas[Role.OFFICE_STAFF], screened_on=TODAY)
    assert read.errors == []
    got = {c.name: c for c in batch.candidates.all()}
    assert got["劉德華"].tier == "confirmed"
    assert got["章玮"].tier == "confirmed"  # same ID, name read alike
    assert got["王老三"].tier == "confirmed"  # same ID, the record's person's nickname
    assert got["赵敏"].tier == "possible"  # one wrong digit: a reviewer must look
    assert got["李清白"].tier == "none"
    assert "一位" in got["赵敏"].reasons or "10" in got["赵敏"].reasons
    assert got["赵敏"].hits.get().target == f"record:{registry['zhao'].pk}"
    assert "王老三" in got["王老三"].reasons
    figures = batch.figures()
    assert (figures["screened"], figures["confirmed"], figures["possible"], figures["clean"]) == (
        5,
        3,
        1,
        1,
    )


def test_rules_and_their_windows(registry, personas, tmp_path):
    path = candidate_list(tmp_path / "名单.xlsx", ROWS)
    batch, _ = screen_list(path, personas[Role.OFFICE_STAFF], screened_on=TODAY)
    got = {c.name: c for c in batch.candidates.all()}
    # A gang-related conviction within five years, also a listed offence of any age.
    assert got["劉德華"].disqualifying
    assert "五年内涉黑涉恶违法犯罪" in got["劉德華"].rules_met
    assert "受过刑事处罚（所列罪名，不限年限）" in got["劉德華"].rules_met
    # Theft is a listed offence: any age counts (2009 is twelve years back).
    assert got["章玮"].disqualifying
    # An administrative penalty within three years asks for review, no more.
    assert got["王老三"].rules_met == "三年内受过行政处罚"
    assert not got["王老三"].disqualifying
    # A party warning of 2012 is outside the five-year window: found, but meets no rule.
    assert got["赵敏"].rules_met == ""
    # The window counts back from the screening day: 2018-05-02 is within five years of
    # 2023-05-01, not of 2023-05-03.
    staff = personas[Role.OFFICE_STAFF]
    later, _ = screen_list(path, staff, screened_on=datetime.date(2023, 5, 1))
    liu = later.candidates.get(name="劉德華")
    assert "五年内涉黑涉恶违法犯罪" in liu.rules_met
    much_later, _ = screen_list(path, staff, screened_on=datetime.date(2023, 5, 3))
    liu = much_later.candidates.get(name="劉德華")
    assert "五年内涉黑涉恶违法犯罪" not in liu.rules_met
    assert "受过刑事处罚（所列罪名，不限年限）" in liu.rules_met


def test_a_judgement_is_remembered_for_later_batches(registry, personas, tmp_path):
    staff = personas[Role.OFFICE_STAFF]
    path = candidate_list(tmp_path / "名单.xlsx", ROWS)
    batch, _ = screen_list(path, staff, screened_on=TODAY)
    zhao = batch.candidates.get(name="赵敏")
    judge(zhao.hits.get(), False, "户籍核实：不是同一人", by=staff)
    zhao.refresh_from_db()
    assert zhao.tier == "none"
    assert Judgement.objects.count() == 1
    again, _ = screen_list(path, staff, screened_on=TODAY)
    zhao = again.candidates.get(name="赵敏")
    assert zhao.tier == "none"
    assert not zhao.hits.exists()
    # Judged the same person: confirmed next time, with the reason.
    liu = again.candidates.get(name="章玮")
    judge(liu.hits.get(), True, "", by=staff)
    third, _ = screen_list(path, staff, screened_on=TODAY)
    zhang = third.candidates.get(name="章玮")
    assert zhang.tier == "confirmed"
    assert zhang.hits.get().judged


def test_decisions_are_kept_and_a_disqualification_needs_a_note(registry, personas, tmp_path):
    staff = personas[Role.OFFICE_STAFF]
    batch, _ = screen_list(candidate_list(tmp_path / "a.xlsx", ROWS), staff, screened_on=TODAY)
    liu = batch.candidates.get(name="劉德華")
    with pytest.raises(ValueError):
        decide(liu, Decision.DISQUALIFY, " ", by=staff)
    decide(liu, Decision.DISQUALIFY, "2018年因寻衅滋事罪被判刑", by=staff)
    liu.refresh_from_db()
    assert (liu.decision, liu.decided_by) == (Decision.DISQUALIFY, staff)
    assert batch.figures()["disqualified"] == 1


def test_only_what_the_screener_can_see_is_screened_against(registry, other_personas, tmp_path):
    other = other_personas[Role.OFFICE_STAFF]
    batch, _ = screen_list(candidate_list(tmp_path / "a.xlsx", ROWS), other, screened_on=TODAY)
    assert set(batch.candidates.values_list("tier", flat=True)) == {"none"}


@pytest.mark.parametrize(
    "rows, headers, code, where",
    [
        ([("张三", "12345", "红旗村", "主任", "")], None, "bad_id_number", (3, "身份证号")),
        ([("", CLEAN, "红旗村", "主任", "")], None, "required", (3, "姓名")),
        ([("张三", "", "红旗村", "主任", "")], None, "required", (3, "身份证号")),
        ([("张三", CLEAN, "", "", ""), ("张三", CLEAN, "", "", "")], None, "duplicate_row",
         (4, "身份证号")),
        ([("张三", CLEAN, "", "", "")], ("姓名", "村/单位", "拟任职务"), "missing_header",
         (2, "身份证号")),
        ([("张" * 60, CLEAN, "", "", "")], None, "too_long", (3, "姓名")),
    ],
)  # fmt: skip
def test_bad_lists_are_refused_with_the_place_named_and_nothing_kept(
    registry, personas, tmp_path, rows, headers, code, where
):
    path = candidate_list(
        tmp_path / "bad.xlsx", rows, headers or ("姓名", "身份证号", "村/单位", "拟任职务", "备注")
    )
    batch, read = screen_list(path, personas[Role.OFFICE_STAFF], screened_on=TODAY)
    assert batch is None
    assert [(e.code, e.row, e.column) for e in read.errors] == [(code, *where)]
    assert Batch.objects.count() == Candidate.objects.count() == Hit.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused(personas, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_text("姓名,身份证号\n张三,1")
    batch, read = screen_list(path, personas[Role.OFFICE_STAFF])
    assert batch is None and [e.code for e in read.errors] == ["not_xlsx"]


def test_traditional_headers_and_a_fifteen_digit_id(registry, personas, tmp_path):
    old = LIU[:6] + LIU[8:17]  # the 15-digit form of the same number
    path = candidate_list(
        tmp_path / "a.xlsx",
        [("刘德华", old, "红旗村", "主任")],
        headers=("姓名", "身份證號", "村/單位", "擬任職務"),
    )
    batch, read = screen_list(path, personas[Role.OFFICE_STAFF], screened_on=TODAY)
    assert read.errors == []
    liu = batch.candidates.get()
    assert liu.tier == "confirmed"
    assert liu.id_number == LIU


def test_vet_command_writes_the_list_with_two_more_columns(registry, personas, tmp_path):
    path = candidate_list(tmp_path / "名单.xlsx", ROWS)
    out = tmp_path / "结果.xlsx"
    call_command(
        "vet", str(path), "--out", str(out), "--user", personas[Role.OFFICE_STAFF].username
    )
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "身份证号", "村/单位", "拟任职务", "备注", "审查结论", "理由")
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["劉德華"][4] == "连任"  # extra columns kept
    assert [by_name[n][5] for n, *_ in ROWS] == ["确认", "确认", "确认", "疑似", "无"]
    assert all(r[6] for r in rows[1:])


def test_vet_command_fails_on_a_bad_list(personas, tmp_path, capsys):
    path = candidate_list(tmp_path / "bad.xlsx", [("张三", "12345", "", "")])
    with pytest.raises(CommandError):
        call_command("vet", str(path), "--out", str(tmp_path / "out.xlsx"),
                     "--user", personas[Role.OFFICE_STAFF].username)  # fmt: skip
    assert "12345" in capsys.readouterr().err
    assert not (tmp_path / "out.xlsx").exists()
