"""Hand-built rectification data for the tests: an inspection with a problem and tasks set
on given days, moved through their steps at given times."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from saohei.rectification import actions
from saohei.rectification.choices import InspectionKind
from saohei.rectification.models import ProblemCategory


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def upload(
    name: str = "整改会议纪要.pdf", content: bytes = b"%PDF-1.4 minutes"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def inspection(
    office_user,
    day=datetime.date(2019, 5, 10),
    kind=InspectionKind.SUPERVISION,
    title="市委扫黑除恶第三督导组督导反馈",
):
    return actions.create_inspection(
        office_user,
        kind=kind,
        title=title,
        inspecting_body="市扫黑除恶专项斗争第三督导组",
        date=day,
    )


def problem(office_user, insp, category="组织领导", text="成员单位压力传导不到位", units=()):
    return actions.add_problem(
        office_user,
        insp,
        category=ProblemCategory.objects.get(name=category),
        text=text,
        units=units,
    )


def task(
    office_user, prob, unit, deadline, set_on=datetime.date(2019, 5, 13), person="李建军", **kw
):
    return actions.add_task(
        office_user,
        prob,
        measures="制定专项斗争工作方案，建立会议记录和工作台账",
        responsible_unit=unit,
        responsible_person=person,
        deadline=deadline,
        set_on=set_on,
        **kw,
    )


def report_done(task, unit_user, day):
    return actions.report_progress(
        task,
        unit_user,
        text="已完成整改，附会议纪要",
        files=[upload()],
        done=True,
        day=day,
        at=at(day),
    )


def sign_off(task, office_user, day):
    return actions.sign_off(
        task,
        office_user,
        note="经查阅会议纪要和台账，整改到位",
        evidence_checked=True,
        at=at(day, 15),
    )
