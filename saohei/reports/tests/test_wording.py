"""The wording check (`check_text`, `check_docx`, `manage.py check_text`): docs/wording-check.md."""

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from saohei.reports import wording
from saohei.reports.wording import (
    GARBLED_CHARACTER,
    MISSING_CONTACT,
    SCRAMBLED_ORDER,
    WRONG_CHARACTER,
    WRONG_PUNCTUATION,
    WRONG_VERB,
    Finding,
    check_docx,
    check_text,
    load_vocabulary,
    to_simplified,
    to_traditional,
)

# (sentence, wrong, suggestion, kind): one planted error a sentence. Listed wrong forms and forms
# only the generic rules find (marked "generic"), each in an otherwise correct sentence.
PLANTED = [
    ("全区打黑除恶工作取得阶段性成效。", "打黑除恶", "扫黑除恶", WRONG_VERB),
    ("各单位要把反黑除恶作为重要政治任务。", "反黑除恶", "扫黑除恶", WRONG_VERB),
    ("坚持除黑扫恶与基层治理相结合。", "除黑扫恶", "扫黑除恶", WRONG_VERB),
    ("持续深入开展扫黑除饿宣传。", "扫黑除饿", "扫黑除恶", WRONG_CHARACTER),  # generic
    ("扫黑出恶线索核查要到位。", "扫黑出恶", "扫黑除恶", WRONG_CHARACTER),  # generic
    ("全民参与扫嘿除恶。", "扫嘿除恶", "扫黑除恶", WRONG_CHARACTER),  # generic
    ("推动除恶扫黑向纵深发展。", "除恶扫黑", "扫黑除恶", SCRAMBLED_ORDER),  # generic
    ("黑扫恶除，人人有责。", "黑扫恶除", "扫黑除恶", SCRAMBLED_ORDER),  # generic
    ("巩固扫黑除恶专项斗挣成果。", "扫黑除恶专项斗挣", "扫黑除恶专项斗争", WRONG_CHARACTER),
    ("推进扫黑除恶常态华，建立长效机制。", "扫黑除恶常态华", "扫黑除恶常态化", WRONG_CHARACTER),
    ("坚持打散破网，深挖彻查。", "打散破网", "打伞破网", WRONG_CHARACTER),
    ("坚持网破伞打。", "网破伞打", "打伞破网", SCRAMBLED_ORDER),  # generic
    ("全面落实打财断雪措施。", "打财断雪", "打财断血", WRONG_CHARACTER),  # generic
    ("严格执行一案三察制度。", "一案三察", "一案三查", WRONG_CHARACTER),
    ("深入开展线索模排。", "线索模排", "线索摸排", WRONG_CHARACTER),
    ("加大线索摸派力度。", "线索摸派", "线索摸排", WRONG_CHARACTER),  # generic
    ("集中整治行业乱像。", "行业乱像", "行业乱象", WRONG_CHARACTER),
    ("坚决铲除保户伞。", "保户伞", "保护伞", WRONG_CHARACTER),
    ("依法严惩黑恶势利。", "黑恶势利", "黑恶势力", WRONG_CHARACTER),
    ("绝不让黑恶事力有藏身之地。", "黑恶事力", "黑恶势力", WRONG_CHARACTER),  # generic
    ("加强对村两委成员的监督。", "村两委", "村“两委”", WRONG_PUNCTUATION),
    ('做好村"两委"换届工作。', '村"两委"', "村“两委”", WRONG_PUNCTUATION),
    ("警惕套路袋陷阱。", "套路袋", "套路贷", WRONG_CHARACTER),
    ("打掉恶势利犯罪集团3个。", "恶势利犯罪集团", "恶势力犯罪集团", WRONG_CHARACTER),
    ("摧毁恶势力犯罪急团2个。", "恶势力犯罪急团", "恶势力犯罪集团", WRONG_CHARACTER),  # generic
    ("打掉黑社会性质组职1个。", "黑社会性质组职", "黑社会性质组织", WRONG_CHARACTER),  # generic
    ("坚持除恶勿尽。", "除恶勿尽", "除恶务尽", WRONG_CHARACTER),
    ("决不放过任何扫黑除□线索。", "扫黑除□", "扫黑除恶", GARBLED_CHARACTER),  # generic
]

# A publicity text of several paragraphs in which every fixed term is written correctly, next to
# ordinary words made of the same characters (扫除黑恶, 摸排线索, 常态化扫黑除恶, 恶势力 …).
CLEAN_PUBLICITY = """关于公开征集黑恶势力违法犯罪线索的通告

为深入推进扫黑除恶常态化，依法严厉打击黑恶势力违法犯罪，保障人民群众生命财产安全，维护社会大局稳定，根据有关法律规定，现就公开征集黑恶势力违法犯罪线索有关事项通告如下：

一、征集范围。（一）黑社会性质组织、恶势力犯罪集团以及其他涉黑涉恶违法犯罪线索；（二）充当黑恶势力“保护伞”的党员干部和公职人员违纪违法线索；（三）村“两委”成员涉黑涉恶问题线索，以及“关于村‘两委’换届的通知”落实中发现的问题；（四）“套路贷”、非法放贷讨债、欺行霸市、强揽工程等行业乱象线索。

二、举报方式。群众可通过以下方式举报：举报电话0459-6123456（工作日8:30—17:00）；全国扫黑办智能化举报平台12337；举报邮箱：qsbh@example.gov.cn；来信地址：让胡路区中央大街100号区扫黑办，邮编163712。

三、工作要求。各级政法机关将坚持打伞破网、打财断血，落实一案三查，深入开展线索摸排，对群众举报的线索逐条核查、及时反馈。对举报人的个人信息严格保密，对打击报复举报人的依法从严惩处。打击恶势力黑名单上的重点人员，决不手软。

四、鼓励举报。对提供线索、协助破案有功的举报人，按照规定给予奖励。希望广大人民群众积极参与，共同扫除黑恶势力，除恶务尽，持续巩固扫黑除恶专项斗争成果，营造安全稳定的社会环境。摸排线索工作将持续开展，常态化扫黑除恶永远在路上，扫黑除恶扫清发展障碍。

让胡路区扫黑除恶专项斗争领导小组办公室
2024年3月15日
"""

# A report (汇报材料): mentions 举报 and 宣传 but needs no hotline.
CLEAN_REPORT = """让胡路区扫黑除恶工作情况汇报

今年以来，全区共受理群众举报线索126条，办结118条，办结率93.7%。开展宣传活动42场，发放宣传资料1.2万份。
打掉恶势力犯罪集团2个，查处“保护伞”3人，一案三查完成率100%。
"""


def planted_text() -> tuple[str, list[tuple[int, str, str, str]]]:
    """The planted sentences on every other line (line numbers 2, 4, 6 …) under a title, and the
    findings expected: (line, wrong, suggestion, kind)."""
    lines = ["关于扫黑除恶工作的情况汇报"]
    expected = []
    for sentence, wrong, suggestion, kind in PLANTED:
        lines.append(sentence)
        expected.append((len(lines), wrong, suggestion, kind))
        lines.append("")
    return "\n".join(lines), expected


def simplified_view(findings: list[Finding]) -> list[tuple[int, str, str, str]]:
    return [(f.line, to_simplified(f.wrong), to_simplified(f.suggestion), f.kind) for f in findings]


# --- the fixed terms -------------------------------------------------------------------------


def test_each_planted_error_is_found_in_simplified_script():
    text, expected = planted_text()
    findings = check_text(text)
    assert [(f.line, f.wrong, f.suggestion, f.kind) for f in findings] == expected
    lines = text.split("\n")
    for f in findings:
        assert lines[f.line - 1][f.column - 1 :].startswith(f.wrong)


def test_each_planted_error_is_found_in_traditional_script():
    text, expected = planted_text()
    traditional = to_traditional(text)
    assert traditional != text
    findings = check_text(traditional)
    assert simplified_view(findings) == expected
    lines = traditional.split("\n")
    for f in findings:
        # Quoted as it stands in the traditional text, the suggestion in traditional script.
        assert lines[f.line - 1][f.column - 1 :].startswith(f.wrong)
        assert f.suggestion == to_traditional(to_simplified(f.suggestion))
    by_wrong = {f.wrong: f.suggestion for f in findings}
    assert by_wrong["打黑除惡"] == "掃黑除惡"
    assert by_wrong["掃黑除餓"] == "掃黑除惡"
    assert by_wrong["除惡掃黑"] == "掃黑除惡"
    assert by_wrong["村兩委"] == "村“兩委”"


def test_traditional_corner_quotes_are_correct():
    assert check_text("村「兩委」成員要帶頭掃黑除惡。", publicity=False) == []
    assert check_text("村『兩委』", publicity=False) == []


def test_clean_publicity_text_passes_in_both_scripts():
    assert check_text(CLEAN_PUBLICITY) == []
    assert check_text(to_traditional(CLEAN_PUBLICITY)) == []


def test_clean_report_passes():
    assert check_text(CLEAN_REPORT) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "彻底扫除黑恶势力。",  # a permutation of 扫黑除恶, but ordinary Chinese
        "组织民警摸排线索。",  # 摸排线索 (verb + object) against 线索摸排
        "常态化扫黑除恶。",
        "扫黑除恶扫清障碍。",  # 黑除恶扫 straddles the correct term
        "打击恶势力黑名单人员。",  # 恶势力黑 straddles 恶势力
        "用套路代替真诚。",  # 套路代 inside an allowed phrase
        "加强保护三江平原湿地。",  # 保护三: no generic check for 3-character terms
        "这种套路带来的损失。",
        "推行一案双查。",  # a different term
        "开展涉黑涉黄专项整治。",  # 黄 is no homophone of 恶
        "坚决打击涉黑邪恶势力。",  # 邪 reads she only rarely
        "是什么?恶势力是指……",  # ? ends a sentence at the edge of a window
        "# 恶势力\n* 黑恶势力",
        "共打掉110个团伙，黑恶势力无处藏身。",
    ],
)
def test_ordinary_words_are_not_findings(sentence):
    assert check_text(sentence, publicity=False) == []


def test_listed_forms_are_found_and_terms_pass():
    vocab = load_vocabulary()
    for term in vocab.terms:
        assert check_text(term.text, publicity=False) == [], term.text
        for form in term.forms:
            findings = check_text(f"要求：{form}。", publicity=False)
            assert [(f.wrong, f.suggestion) for f in findings] == [(form, term.text)], form
    for phrase in vocab.protected:
        assert check_text(phrase, publicity=False) == [], phrase


def test_the_data_file_names_at_least_the_campaign_terms():
    terms = {term.text for term in load_vocabulary().terms}
    assert {
        "扫黑除恶",
        "扫黑除恶专项斗争",
        "扫黑除恶常态化",
        "打伞破网",
        "打财断血",
        "一案三查",
        "线索摸排",
        "行业乱象",
        "保护伞",
        "黑恶势力",
        "村“两委”",
        "套路贷",
        "恶势力犯罪集团",
    } <= terms


def test_a_wrong_form_in_a_longer_term_is_reported_once_and_briefly():
    findings = check_text("打黑除恶专项斗争", publicity=False)
    assert [(f.wrong, f.suggestion) for f in findings] == [("打黑除恶", "扫黑除恶")]
    findings = check_text("扫黑出恶专项斗争", publicity=False)
    assert [(f.wrong, f.suggestion) for f in findings] == [("扫黑出恶", "扫黑除恶")]


def test_white_space_inside_a_term_is_seen_through_and_quoted():
    findings = check_text("开展打黑 除恶行动", publicity=False)
    assert [(f.line, f.column, f.wrong) for f in findings] == [(1, 3, "打黑 除恶")]
    assert check_text("扫黑　除恶", publicity=False) == []


def test_line_numbers_follow_every_kind_of_line_end():
    text = "第一行\r\n第二行\r打黑除恶\n第四行扫嘿除恶"
    findings = check_text(text, publicity=False)
    assert [(f.line, f.column, f.wrong) for f in findings] == [
        (3, 1, "打黑除恶"),
        (4, 4, "扫嘿除恶"),
    ]


def test_finding_line_format():
    finding = check_text("一\n二\n打黑除恶", publicity=False)[0]
    assert finding.as_line() == "第3行：“打黑除恶” → “扫黑除恶”"
    assert finding.as_dict() == {
        "line": 3,
        "column": 1,
        "wrong": "打黑除恶",
        "suggestion": "扫黑除恶",
        "kind": WRONG_VERB,
        "reason": finding.reason,
        "term": "扫黑除恶",
    }
    assert "扫黑除恶" in finding.reason


def test_a_long_text_is_checked_quickly():
    text = (CLEAN_PUBLICITY + "\n") * 40  # about 40 000 characters
    started = time.perf_counter()
    assert check_text(text) == []
    assert time.perf_counter() - started < 5


# --- publicity texts -------------------------------------------------------------------------

PUBLICITY_BODY = "扫黑除恶宣传\n欢迎广大群众积极举报黑恶势力违法犯罪线索。\n"


def test_publicity_without_a_reporting_channel_is_a_finding():
    findings = check_text(PUBLICITY_BODY + "\n")
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.line, finding.column, finding.wrong, finding.kind) == (
        2,
        0,
        "",
        MISSING_CONTACT,
    )
    assert "12337" in finding.suggestion
    assert finding.as_line() == f"第2行：{finding.reason} → {finding.suggestion}"
    # The same in traditional script.
    findings = check_text(to_traditional(PUBLICITY_BODY))
    assert [(f.line, f.kind) for f in findings] == [(2, MISSING_CONTACT)]


@pytest.mark.parametrize(
    "contact",
    [
        "举报电话：0459-6123456",
        "举报电话：（0459）6123456",
        "举报电话：(0459)6123456",
        "举报电话：０４５９－６１２３４５６",
        "联系人手机13812345678",
        "联系人手机138-1234-5678",
        "全国扫黑办举报平台：12337",
        "也可拨打110报警",
        "举报电话：6123456",
        "举报邮箱：qsbh@example.gov.cn",
        "网址：www.12337.gov.cn",
        "来信地址：中央大街100号",
        "区扫黑办设有举报信箱",
    ],
)
def test_publicity_with_a_reporting_channel_passes(contact):
    assert check_text(PUBLICITY_BODY + contact) == []
    assert check_text(to_traditional(PUBLICITY_BODY + contact)) == []


def test_a_bare_count_is_no_phone_number():
    findings = check_text(PUBLICITY_BODY + "去年共打掉110个团伙，举报电话：待定。")
    assert [f.kind for f in findings] == [MISSING_CONTACT]


def test_what_reads_as_publicity():
    assert wording.reads_as_publicity("倡议书\n全区人民行动起来。")
    assert wording.reads_as_publicity("扫黑除恶举报告知书\n请您……")  # 举报告知, not a 报告
    assert not wording.reads_as_publicity("全区治安形势平稳。")
    assert not wording.reads_as_publicity(CLEAN_REPORT)
    assert not wording.reads_as_publicity("关于扫黑除恶宣传情况的通报\n各单位举报线索……")


def test_publicity_can_be_forced_either_way():
    assert [f.kind for f in check_text("全区治安形势平稳。", publicity=True)] == [MISSING_CONTACT]
    assert check_text(PUBLICITY_BODY, publicity=False) == []
    # An empty text forced to publicity: the finding is on line 0.
    assert [(f.line, f.kind) for f in check_text("", publicity=True)] == [(0, MISSING_CONTACT)]


# --- files -----------------------------------------------------------------------------------


def make_docx(path_or_file) -> None:
    """Title, a paragraph, a table (a merged cell, an error in a cell), a paragraph after it."""
    document = docx.Document()
    document.add_paragraph("扫黑除恶宣传")  # 1
    document.add_paragraph("各单位持续开展打黑除恶工作。")  # 2
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "主要成效"  # 3 (once, although it spans two columns)
    table.cell(1, 0).text = "打掉恶势力犯罪集团"  # 4
    table.cell(1, 1).text = "查处保户伞2人"  # 5
    paragraph = document.add_paragraph("扫黑除饿")  # 6
    paragraph.add_run().add_break()
    paragraph.add_run("举报电话：0459-6123456")  # 7: a line break inside the paragraph
    document.save(path_or_file)


def test_docx_paragraphs_and_table_cells_in_reading_order(tmp_path):
    path = tmp_path / "宣传稿.docx"
    make_docx(path)
    assert wording.read_file(path).split("\n") == [
        "扫黑除恶宣传",
        "各单位持续开展打黑除恶工作。",
        "主要成效",
        "打掉恶势力犯罪集团",
        "查处保户伞2人",
        "扫黑除饿",
        "举报电话：0459-6123456",
    ]
    findings = check_docx(path)
    assert [(f.line, f.wrong, f.suggestion) for f in findings] == [
        (2, "打黑除恶", "扫黑除恶"),
        (5, "保户伞", "保护伞"),
        (6, "扫黑除饿", "扫黑除恶"),
    ]
    # A binary file object works the same.
    buffer = io.BytesIO()
    make_docx(buffer)
    buffer.seek(0)
    assert check_docx(buffer) == findings


def test_gb18030_text_file(tmp_path):
    text, expected = planted_text()
    for script in (text, to_traditional(text)):
        path = tmp_path / "gb.txt"
        path.write_bytes(script.encode("gb18030"))
        assert simplified_view(wording.check_file(path)) == expected


def test_utf8_with_bom_text_file(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff打黑除恶".encode())
    assert [(f.line, f.column, f.wrong) for f in wording.check_file(path, publicity=False)] == [
        (1, 1, "打黑除恶")
    ]


def test_undecodable_text_file(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\x80\x80\x80")
    with pytest.raises(wording.WordingInputError):
        wording.check_file(path)


# --- the command -----------------------------------------------------------------------------


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("check_text", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_one_line_per_finding_and_exits_non_zero(tmp_path):
    path = tmp_path / "宣传稿.txt"
    path.write_text("扫黑除恶宣传\n\n全区打黑除恶。\n扫嘿除恶、除恶扫黑\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as err:
        call_command("check_text", str(path), stdout=out, stderr=io.StringIO())
    assert err.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        "第3行：“打黑除恶” → “扫黑除恶”",
        "第4行：“扫嘿除恶” → “扫黑除恶”",
        "第4行：“除恶扫黑” → “扫黑除恶”",
    ]
    # Publicity without a hotline: the last finding, on the last line of text.
    assert lines[3].startswith("第4行：") and "12337" in lines[3]
    assert len(lines) == 4


def test_command_on_a_clean_text_exits_zero_and_prints_nothing(tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text(CLEAN_PUBLICITY, encoding="utf-8")
    out, _err = run_command(str(path))
    assert out == ""
    path.write_text(to_traditional(CLEAN_PUBLICITY), encoding="gb18030")
    assert run_command(str(path))[0] == ""


def test_command_json_format(tmp_path):
    path = tmp_path / "report.docx"
    make_docx(path)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_text", str(path), "--format", "json", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["count"] == 3
    assert [(f["line"], f["wrong"], f["suggestion"], f["kind"]) for f in data["findings"]] == [
        (2, "打黑除恶", "扫黑除恶", WRONG_VERB),
        (5, "保户伞", "保护伞", WRONG_CHARACTER),
        (6, "扫黑除饿", "扫黑除恶", WRONG_CHARACTER),
    ]


def test_command_publicity_flags(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("全区治安形势平稳。\n", encoding="utf-8")
    assert run_command(str(path))[0] == ""
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_text", str(path), "--publicity", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("第1行：")
    path.write_text(PUBLICITY_BODY, encoding="utf-8")
    assert run_command(str(path), "--not-publicity")[0] == ""


def test_missing_file_gives_a_chinese_error(tmp_path):
    missing = tmp_path / "没有这个文件.txt"
    with translation.override("zh-hans"), pytest.raises(CommandError) as err:
        run_command(str(missing))
    assert "找不到文件" in str(err.value)
    assert str(missing) in str(err.value)
    assert err.value.returncode == 2


@pytest.mark.parametrize("name", ["宣传稿.pdf", "宣传稿.doc", "宣传稿"])
def test_unsupported_file_type(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError) as err:
        run_command(str(path))
    assert err.value.returncode == 2
    assert ".txt" in str(err.value) and ".docx" in str(err.value)


def test_a_text_file_named_docx_is_refused(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("打黑除恶", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        run_command(str(path))
    assert err.value.returncode == 2
    assert "fake.docx" in str(err.value)


def test_exit_codes_of_the_real_command(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("全区打黑除恶。", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(CLEAN_REPORT, encoding="utf-8")
    env = {**os.environ, "SAOHEI_VAR_DIR": os.environ.get("SAOHEI_VAR_DIR", str(tmp_path))}
    manage = Path(settings.BASE_DIR) / "manage.py"

    def run(*args):
        return subprocess.run(
            [sys.executable, str(manage), "check_text", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    result = run(str(bad))
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["第1行：“打黑除恶” → “扫黑除恶”"]
    assert run(str(good)).returncode == 0
    assert run(str(tmp_path / "missing.txt")).returncode == 2
