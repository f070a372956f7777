"""The briefing's 存在问题: a paragraph 整改任务逾期 listing the overdue tasks by unit, as of the
briefing day, computed by overdue_tasks()."""

import datetime
import io

import docx
import pytest

from saohei.core import officialdoc
from saohei.orgs.choices import Role, UnitKind
from saohei.reports.briefing import briefing_document
from saohei.reports.figures import Scope

from .factories import inspection, problem, report_done, sign_off, task

D = datetime.date


def problems_section(day, scope=None) -> list[str]:
    fh = io.BytesIO()
    briefing_document(day, scope or Scope.everything(), fh)
    doc = docx.Document(io.BytesIO(fh.getvalue()))
    out, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == officialdoc.HEADING1_STYLE:
            inside = p.text.endswith("存在问题")
            continue
        if inside and p.text.strip():
            out.append(p.text)
    return out


@pytest.fixture
def tasks(personas, units):
    office = personas[Role.OFFICE_STAFF]
    insp = inspection(office)
    prob = problem(office, insp, units=[units[UnitKind.POLICE], units[UnitKind.TOWNSHIP]])
    police, town = units[UnitKind.POLICE], units[UnitKind.TOWNSHIP]
    done = task(office, prob, police, D(2019, 6, 14))
    report_done(done, personas[Role.HANDLER], D(2019, 6, 10))
    sign_off(done, personas[Role.OFFICE_ADMIN], D(2019, 6, 11))
    task(office, prob, police, D(2019, 6, 20))
    task(office, prob, town, D(2019, 6, 14))
    task(office, prob, town, D(2019, 6, 25))
    task(office, prob, town, D(2019, 7, 31))  # not yet due on 30 June
    return insp


def test_overdue_tasks_by_unit_in_the_problems_section(tasks, units):
    found = problems_section(D(2019, 6, 30))
    assert "整改任务逾期" in " ".join(found)
    paragraph = next(t for t in found if "超过整改时限" in t)
    town, police = units[UnitKind.TOWNSHIP].name, units[UnitKind.POLICE].name
    assert "有3项整改任务超过整改时限仍未完成，涉及2个单位" in paragraph
    assert f"{town}2项、{police}1项" in paragraph
    assert "最早的整改时限为2019年6月14日" in paragraph
    assert tasks.title in paragraph


def test_no_paragraph_before_any_task_is_late(tasks):
    assert not any("整改任务逾期" in t for t in problems_section(D(2019, 6, 14)))


def test_other_jurisdictions_tasks_are_left_out(tasks, other_units):
    scope = Scope.everything([other_units[UnitKind.POLICE].jurisdiction_id])
    assert not any("整改任务逾期" in t for t in problems_section(D(2019, 6, 30), scope))
