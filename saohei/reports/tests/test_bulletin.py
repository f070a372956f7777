"""The bulletin (通报): units ranked by conclusion rate, substantiation rate and overdue clues,
compared with the previous period of the same length, on a small history counted by hand."""

import datetime
import io
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saohei.audit.models import AuditEntry
from saohei.clues import actions as clues
from saohei.clues.choices import Category, Finding, Source
from saohei.core import officialdoc
from saohei.orgs.choices import Role, UnitKind
from saohei.reports.bulletin import (
    bulletin_document,
    concluded_in_period,
    period_label,
    previous_period,
    ranked,
)
from saohei.reports.documents import PLACEHOLDERS
from saohei.reports.figures import Scope
from saohei.reports.tests.test_figures import at

pytestmark = pytest.mark.django_db
D = datetime.date
START, END = D(2019, 6, 1), D(2019, 6, 30)  # the previous period: 2 to 31 May
LATER = D(2019, 7, 31)  # a deadline nothing reaches


@pytest.fixture
def period(personas, units):
    """Three units, seven clues:

    police     p1 concluded 11 June, substantiated    p2 concluded 20 May, unfounded
    regulator  r1 received 10 May, due 20 May, still being verified (late since 21 May)
               r2 concluded 15 June, partly            r3 concluded 18 June, unfounded
    township   t2 received 5 June, being verified      t3 concluded 25 June, unfounded

    As of 30 June: police 2/2 = 100%, regulator 2/3 = 66.7%, township 1/2 = 50%.
    As of 31 May:  police 1/2 = 50%,  regulator 0/3 = 0%,     township 0/1 = 0%.
    Concluded in June: police 1 (1 substantiated), regulator 2 (1 partly), township 1 (none).
    """
    from conftest import make_user

    office = personas[Role.OFFICE_STAFF]
    people = {
        UnitKind.POLICE: (personas[Role.HANDLER], personas[Role.UNIT_LEADER]),
        UnitKind.REGULATOR: (
            make_user("reg", Role.HANDLER, unit=units[UnitKind.REGULATOR]),
            make_user("reg_chief", Role.UNIT_LEADER, unit=units[UnitKind.REGULATOR]),
        ),
        UnitKind.TOWNSHIP: (
            make_user("town", Role.HANDLER, unit=units[UnitKind.TOWNSHIP]),
            make_user("town_chief", Role.UNIT_LEADER, unit=units[UnitKind.TOWNSHIP]),
        ),
    }

    def clue(kind, received, *, due=LATER, concluded=None, finding=None):
        c = clues.register(
            office, received_on=received, at=at(received), source=Source.PUBLIC,
            category=Category.EVIL_FORCE, subjects="张三", summary="强迫交易",
        )  # fmt: skip
        handler, leader = people[kind]
        day = received + datetime.timedelta(days=1)
        clues.assign(c, office, units[kind], deadline=due, at=at(day))
        clues.accept(c, handler, at=at(day, 11))
        if concluded:
            clues.request_conclusion(c, handler, finding=finding, result="已查", at=at(concluded))
            clues.approve(c, leader, at=at(concluded, 15))
        return c

    april = D(2019, 4, 1)
    clue(UnitKind.POLICE, april, concluded=D(2019, 6, 11), finding=Finding.SUBSTANTIATED)
    clue(UnitKind.POLICE, april, concluded=D(2019, 5, 20), finding=Finding.UNFOUNDED)
    clue(UnitKind.REGULATOR, D(2019, 5, 10), due=D(2019, 5, 20))
    clue(UnitKind.REGULATOR, april, concluded=D(2019, 6, 15), finding=Finding.PARTLY)
    clue(UnitKind.REGULATOR, april, concluded=D(2019, 6, 18), finding=Finding.UNFOUNDED)
    clue(UnitKind.TOWNSHIP, D(2019, 6, 5))
    clue(UnitKind.TOWNSHIP, april, concluded=D(2019, 6, 25), finding=Finding.UNFOUNDED)
    return {kind: units[kind].short_name or units[kind].name for kind in people}


def render(start=START, end=END) -> docx.Document:
    fh = io.BytesIO()
    bulletin_document(start, end, Scope.everything(), fh)
    return docx.Document(io.BytesIO(fh.getvalue()))


def body(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def test_the_previous_period_has_the_same_length():
    assert previous_period(START, END) == (D(2019, 5, 2), D(2019, 5, 31))
    assert previous_period(D(2019, 6, 24), D(2019, 6, 30)) == (D(2019, 6, 17), D(2019, 6, 23))
    assert period_label(START, END) == "2019年6月1日至30日"
    assert period_label(D(2018, 12, 31), D(2019, 1, 6)) == "2018年12月31日至2019年1月6日"


def test_equal_values_share_a_rank():
    rows = [{"r": 0.5, "n": 1}, {"r": 1.0, "n": 2}, {"r": 0.5, "n": 3}, {"r": None, "n": 9}]
    assert [(r["r"], r["n"], r["rank"]) for r in ranked(rows, "r", tie="n")] == [
        (1.0, 2, 1), (0.5, 3, 2), (0.5, 1, 2),
    ]  # fmt: skip


def test_units_ranked_by_conclusion_rate_with_the_previous_period(period):
    doc = render()
    police, regulator, township = (
        period[UnitKind.POLICE], period[UnitKind.REGULATOR], period[UnitKind.TOWNSHIP],
    )  # fmt: skip
    table = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert table == [
        [
            "名次",
            "单位",
            "承办",
            "查结",
            "阶段性查结",
            "正在核查",
            "超期",
            "办结率",
            "较上期末\n（百分点）",
        ],
        ["1", police, "2", "2", "0", "0", "0", "100%", "上升50"],
        ["2", regulator, "3", "2", "0", "1", "1", "66.7%", "上升66.7"],
        ["3", township, "2", "1", "0", "1", "0", "50%", "上升50"],
    ]
    lines = body(doc)
    assert lines[:3] == [
        "北湖区扫黑除恶专项斗争线索办理情况通报",
        "（2019年6月1日至30日）",
        "现将2019年6月1日至30日（以下简称本期）全区涉黑涉恶线索办理情况通报如下。"
        "上期指2019年5月2日至31日。",
    ]
    # 7 clues by 30 June, 5 done (71.4%); 6 by 31 May, 1 done (16.7%): up 54.8 points.
    assert (
        "本期全区新受理线索1条，上期1条。截至2019年6月30日，累计受理线索7条，已查结5条、"
        "阶段性查结0条，正在核查2条；办结率71.4%，较上期末上升54.8个百分点；"
        "超期未办结线索1条，较上期末持平。"
    ) in lines
    assert "本期查结线索4条，其中查实1条、部分查实1条，查实率50%（上期0%）。" in lines
    assert (
        "截至2019年6月30日，承办线索的3个单位办结率排名见下表。"
        f"办结率最高的是{police}（100%），最低的是{township}（50%）；"
        "2个单位办结率低于90%的目标要求。"
    ) in lines


def test_substantiation_ranking_and_late_units(period):
    lines = body(render())
    police, regulator, township = (
        period[UnitKind.POLICE], period[UnitKind.REGULATOR], period[UnitKind.TOWNSHIP],
    )  # fmt: skip
    assert (
        "本期查结线索的3个单位，查实率由高到低依次为："
        f"{police}100%（查结1条，上期0%）、{regulator}50%（查结2条）、{township}0%（查结1条）。"
    ) in lines
    assert (
        f"截至2019年6月30日，1个单位有超期未办结线索1条，按超期线索数由多到少依次为："
        f"{regulator}1条（上期末1条）。"
    ) in lines
    assert any(line.startswith(f"（一）抓紧清理超期线索。{regulator}等单位") for line in lines)
    text = "\n".join(lines)
    assert not PLACEHOLDERS.search(text)


def test_concluded_in_period_by_unit(period, units):
    found = concluded_in_period(START, END, Scope.everything())
    police = units[UnitKind.POLICE].pk
    assert found[police] == {"concluded": 1, "substantiated": 1, "partly": 0, "rate": 1.0}
    assert found[None] == {"concluded": 4, "substantiated": 1, "partly": 1, "rate": 0.5}
    may = concluded_in_period(D(2019, 5, 2), D(2019, 5, 31), Scope.everything())
    assert may[None] == {"concluded": 1, "substantiated": 0, "partly": 0, "rate": 0.0}


def test_a_week_without_conclusions(period):
    lines = body(render(D(2019, 6, 3), D(2019, 6, 9)))
    assert "本期无查结线索。" in lines
    assert "本期各单位均无查结线索。" in lines


def test_bulletin_format_is_the_briefings(period):
    doc = render()
    styles = [p.style.name for p in doc.paragraphs if p.text.strip()]
    assert styles[0] == officialdoc.TITLE_STYLE
    assert [p.text for p in doc.paragraphs if p.style.name == officialdoc.HEADING1_STYLE] == [
        "一、总体情况", "二、各单位线索办理情况", "三、工作要求",
    ]  # fmt: skip
    assert [p.text for p in doc.paragraphs if p.style.name == officialdoc.HEADING2_STYLE][:3] == [
        "（一）办结率排名", "（二）查实率排名", "（三）超期线索情况",
    ]  # fmt: skip
    header = doc.tables[0].rows[0]
    assert (
        header._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    assert doc.sections[0].footer.paragraphs[0].text == "— 1 —"


def test_command_writes_the_bulletin_and_refuses_bad_periods(period, tmp_path):
    out = tmp_path / "bulletin.docx"
    call_command("bulletin", "--start", "2019-06-01", "--end", "2019-06-30", "--out", str(out),
                 stdout=io.StringIO())  # fmt: skip
    assert body(docx.Document(out))[0] == "北湖区扫黑除恶专项斗争线索办理情况通报"
    for args, message in (
        (["--start", "2019-06-30", "--end", "2019-06-01"], "不能晚于"),
        (["--start", "2019-6-1", "--end", "2019-06-30"], "YYYY-MM-DD"),
        (["--start", "2019-06-01", "--end", "2999-01-01"], "尚未到来"),
        (["--start", "2017-01-01", "--end", "2019-06-30"], "366"),
    ):
        target = tmp_path / "refused.docx"
        with pytest.raises(CommandError, match=message):
            call_command("bulletin", *args, "--out", str(target))
        assert not target.exists()


@pytest.mark.urls("saohei.reports.tests.test_briefing")
def test_office_downloads_the_bulletin(period, personas, client):
    client.force_login(personas[Role.OFFICE_ADMIN])
    response = client.get("/bulletin.docx?start=2019-06-01&end=2019-06-30")
    assert response.status_code == 200
    doc = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert len(doc.tables[0].rows) == 4
    entry = AuditEntry.objects.filter(object_type="reports.bulletin").get()
    assert entry.changes == {"start": "2019-06-01", "end": "2019-06-30"}
    bad = client.get("/bulletin.docx?start=2019-06-30&end=2019-06-01")
    assert bad.status_code == 400
    assert client.get("/bulletin.docx?start=June&end=2019-06-01").status_code == 400
    client.force_login(personas[Role.HANDLER])
    assert client.get("/bulletin.docx?start=2019-06-01&end=2019-06-30").status_code == 403


def test_the_shipped_templates_exist():
    data = Path(__file__).resolve().parents[1] / "data"
    for name in ("next_steps.docx", "bulletin_requirements.docx"):
        assert (data / name).is_file(), name
