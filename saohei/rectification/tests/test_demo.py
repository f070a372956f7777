"""The demo rectification tells the briefing's story: problems in the five categories, tasks
for several units, some signed off, some overdue on the briefing day, one reopened."""

import datetime
import random

import pytest

from saohei.orgs import demo as orgs_demo
from saohei.rectification import demo
from saohei.rectification.choices import TaskStatus
from saohei.rectification.models import Inspection, Problem, Task
from saohei.rectification.summary import overdue_paragraph, overdue_tasks

D = datetime.date


@pytest.mark.django_db
def test_demo_rectification():
    rng = random.Random(2019)
    orgs_demo.seed(rng)
    assert demo.seed(rng)["rectification_tasks"] == 11
    assert demo.seed(rng)["rectification_tasks"] == 0  # idempotent
    inspection = Inspection.objects.get(title=demo.TITLE)
    categories = set(
        Problem.objects.filter(inspection=inspection).values_list("category__name", flat=True)
    )
    assert categories == {"政治站位", "依法严惩", "综合治理", "深挖彻查", "组织领导"}
    assert Task.objects.values("responsible_unit").distinct().count() >= 8
    june = overdue_tasks(D(2019, 6, 30))
    assert {t.responsible_unit.short_name for t in june} == {
        "长青镇",
        "油田分局",
        "区纪委监委",
        "区自然资源局",
        "区市场监管局",
    }
    assert Task.objects.filter(status=TaskStatus.SIGNED_OFF).count() == 3
    assert (
        Task.objects.filter(status=TaskStatus.REOPENED).get().responsible_unit.short_name
        == "北湖街道"
    )
    assert "有5项整改任务超过整改时限仍未完成" in overdue_paragraph(D(2019, 6, 30))
