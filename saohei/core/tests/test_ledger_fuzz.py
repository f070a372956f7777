"""Property tests of every ledger import (issue 10): workbooks of random and malformed cells —
dates as text, numbers or garbage, ID numbers, amounts, huge numbers and long text, control
characters, formulas, blank rows, a merged title above the headers, headers missing or in
traditional characters, any sheet name — are imported all rows or none, and each problem is
a Chinese message naming the sheet (and the row, when it is about one). No exception
escapes.

Examples are derandomized (the same files every run) and bounded; see EXAMPLES."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from saohei.orgs.choices import Role

EXAMPLES = 25


def _kinds():
    from saohei.cases.ledger import import_case_ledger
    from saohei.cases.ledger_format import HEADERS as CASE_HEADERS
    from saohei.clues.ledger import HEADERS as CLUE_HEADERS
    from saohei.clues.ledger import import_clue_ledger
    from saohei.entities.records_ledger import HEADERS as RECORD_HEADERS
    from saohei.entities.records_ledger import import_records_ledger
    from saohei.oversight import ledger as oversight
    from saohei.rectification import ledger as tasks
    from saohei.reports.indicators import HEADERS as INDICATOR_HEADERS
    from saohei.reports.indicators import import_indicator_ledger

    return {
        "clues": (import_clue_ledger, CLUE_HEADERS),
        "cases": (import_case_ledger, CASE_HEADERS),
        "records": (import_records_ledger, RECORD_HEADERS),
        "indicators": (import_indicator_ledger, INDICATOR_HEADERS),
        "tasks": (tasks.import_task_ledger, tasks.HEADERS + [tasks.CONCERNED]),
        "publicity": (
            oversight.import_publicity_ledger,
            oversight.PUBLICITY_HEADERS + oversight.PUBLICITY_OPTIONAL,
        ),
        "funds": (oversight.import_fund_ledger, oversight.FUND_HEADERS + oversight.FUND_OPTIONAL),
    }


KINDS = ["clues", "cases", "records", "indicators", "tasks", "publicity", "funds"]

# Values a ledger's cells hold when people fill them in: right, nearly right and wrong.
PLAUSIBLE = [
    "2019-06-03", "2019/6/3", "2019年6月3日", "20190603", "2019-02-30", "2019.13.01",
    "3/6/2019", "二〇一九年六月三日", "2099-01-01", "1899-12-31", "2019-06", "2019年6月",
    "群众举报", "上级交办", "涉恶", "涉黑", "行业乱象", "工程建设", "待分流", "已交办",
    "正在核查", "阶段性查结", "查结", "查实", "部分查实", "查否", "是", "否", "Y", "√",
    "北湖区公安分局", "北湖区扫黑办", "北湖区法院", "北湖区检察院", "无此单位", "北湖区",
    "XS2019-0101", "XS2019-0001", "XS19-1", "AJ2019-0001", "AJ2019-0001 ",
    "XS2019-0101、XS2019-0102",
    "230103198001011234", "23010319800101123X", "23010319800101123x", "230103800101123",
    "2301031980010112", "刑事处罚", "行政处罚", "寻衅滋事", "敲诈勒索", "侦查", "办结",
    "判决生效", "张三", "張三", "王五、李六", "1,000.50", "￥200,000", "-5", "0", "1e6",
    "100万元", "下拨", "支出", "专项经费", "宣传册", "标语", "3.5", "10", "=SUM(A1:A3)",
    "=1/0", "#DIV/0!", "N/A", " ", "\u3000", "2019-06", "立案数", "2019-06-30 12:00",
]  # fmt: skip

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
CELL = st.one_of(
    st.none(),
    st.sampled_from(PLAUSIBLE),
    st.sampled_from(PLAUSIBLE),
    st.sampled_from(PLAUSIBLE),
    _text,
    st.text(min_size=2000, max_size=6000, alphabet="扫黑除恶ab "),  # longer than any column
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(float),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),
    st.booleans(),
)


def _writable(value):
    """openpyxl cannot write control characters (the xlsx format has no room for them) nor
    numbers Excel cannot hold; such a cell is written as its text, cleaned."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


@st.composite
def workbooks(draw, headers):
    """An .xlsx file: its sheet name, title rows, headers (some dropped, some traditional,
    shuffled, extra ones) and 0–6 data rows, some of them blank."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    wb = Workbook()
    ws = wb.active
    ws.title = draw(
        st.text(alphabet=st.characters(exclude_characters="[]:*?/\\'", codec="utf-8",
                                       exclude_categories=["Cs", "Cc"]),
                min_size=1, max_size=31).filter(lambda t: t.strip() and t != "History")
    )  # fmt: skip
    columns = list(headers)
    if draw(st.integers(0, 3)) == 0:  # now and then one missing
        columns.remove(draw(st.sampled_from(columns)))
    if draw(st.booleans()):
        import opencc

        columns = [opencc.OpenCC("s2t").convert(h) for h in columns]
    rng.shuffle(columns)
    columns += draw(st.lists(st.sampled_from(["备注", "序号", "", "Note"]), max_size=2))
    for _ in range(draw(st.integers(0, 2))):  # a title above the headers, merged across
        ws.append(["北湖区扫黑除恶专项斗争台账"])
        if draw(st.booleans()):
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=4)
    ws.append(columns)
    n_rows = draw(st.integers(0, 6))
    for _ in range(n_rows):
        if draw(st.integers(0, 5)) == 0:
            ws.append([None] * len(columns))
            continue
        ws.append([_writable(draw(CELL)) for _ in columns])
    fh = io.BytesIO()
    wb.save(fh)
    fh.seek(0)
    fh.name = "台账.xlsx"
    return ws.title, fh


def _row_counts() -> dict:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label.split(".")[-1]
        in {"clues", "cases", "entities", "reports", "rectification", "oversight", "core"}
    }


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_any_workbook_is_imported_whole_or_refused_in_chinese(kind, personas):
    import_ledger, headers = _kinds()[kind]
    user = personas[Role.OFFICE_ADMIN]

    @given(workbooks(headers))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def whole_or_refused(book):
        sheet, fh = book
        before = _row_counts()
        with translation.override("zh-hans"):
            result = import_ledger(fh, user)
            texts = [str(error) for error in result.errors]
        event(f"{len(result.errors)} errors" if result.errors else f"{result.created} written")
        if result.errors:
            assert _row_counts() == before, "a refused file wrote rows"
            for error, text in zip(result.errors, texts, strict=True):
                assert _has_chinese(error.message), text
                if error.row:
                    assert f"工作表“{sheet}”" in text and f"第{error.row}行" in text, text

    whole_or_refused()


def test_writable_keeps_values_excel_holds():
    assert _writable(Decimal("1.5")) == Decimal("1.5")
    assert _writable(2**60) == str(2**60)
    assert _writable("a\x00b") == "ab"
