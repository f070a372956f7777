"""Ledger upload from the browser: background job with progress, all or nothing, errors
listed for the user who uploaded, and nobody else."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from saohei.clues.models import Clue
from saohei.core.models import ImportJob
from saohei.orgs.choices import Role

HEADERS = [
    "线索编号",
    "受理日期",
    "线索来源",
    "线索类别",
    "涉及行业",
    "被反映对象",
    "简要内容",
    "承办单位",
    "办理期限",
    "办理状态",
    "办结日期",
    "核查结果",
    "是否立案",
    "案件编号",
]


def ledger(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("线索台账.xlsx", buf.getvalue())


@pytest.fixture(autouse=True)
def in_request(settings):
    settings.SAOHEI_IMPORTS_IN_BACKGROUND = False


def row(number, unit, status="查结", finding="查实", done="2019-05-20"):
    return [
        number,
        "2019-03-01",
        "群众举报",
        "涉恶",
        "工程建设",
        "张三",
        "张三强揽工程",
        unit,
        "2019-04-01",
        status,
        done,
        finding,
        "否",
        "",
    ]


@pytest.mark.django_db
def test_upload_imports_and_shows_the_outcome(personas, client):
    unit = personas[Role.HANDLER].unit.name
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.post(
        reverse("clue_import"),
        {
            "file": ledger(
                [
                    row("XS2019-0101", unit),
                    row("XS2019-0102", unit, status="正在核查", finding="", done=None),
                ]
            )
        },
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("import_job", args=[job.pk])
    assert job.state == "done" and job.created == 2
    page = client.get(response.url).content.decode()
    assert 'data-state="done"' in page
    assert Clue.objects.filter(number__in=["XS2019-0101", "XS2019-0102"]).count() == 2


@pytest.mark.django_db
def test_refused_upload_lists_every_problem_and_writes_nothing(personas, client):
    client.force_login(personas[Role.OFFICE_STAFF])
    client.post(
        reverse("clue_import"),
        {
            "file": ledger(
                [
                    row("XS2019-0101", "不存在的单位"),
                    row("XS2019-0101", personas[Role.HANDLER].unit.name),
                ]
            )
        },
    )
    job = ImportJob.objects.get()
    assert job.state == "failed" and len(job.errors) >= 2
    assert Clue.objects.count() == 0
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "不存在的单位" in page
    client.force_login(personas[Role.OFFICE_ADMIN])
    assert client.get(reverse("import_job", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_not_an_xlsx_is_refused_before_any_job(personas, client):
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.post(
        reverse("clue_import"), {"file": SimpleUploadedFile("台账.xls", b"\xd0\xcf\x11\xe0")}
    )
    assert response.status_code == 200 and "xlsx" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_only_office_roles_import(personas, client):
    client.force_login(personas[Role.HANDLER])
    assert client.get(reverse("clue_import")).status_code == 403
