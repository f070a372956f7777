"""The monthly indicator ledger uploaded from the browser: all rows or none, the outcome
shown to the user who uploaded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from saohei.core.models import ImportJob
from saohei.orgs.choices import Role
from saohei.reports.models import MonthlyValue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_request(settings):
    settings.SAOHEI_IMPORTS_IN_BACKGROUND = False


def sheet(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["单位", "月份", "指标", "数值"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("月度指标.xlsx", buf.getvalue())


def test_upload_imports_all_rows_or_none(personas, client):
    police = personas[Role.HANDLER].unit.name
    client.force_login(personas[Role.OFFICE_STAFF])
    good = [[police, "2019-06", "接警数", 95], [police, "2018-06", "接警数", 120]]
    response = client.post(reverse("indicator_import"), {"file": sheet(good)})
    job = ImportJob.objects.get()
    assert response.url == reverse("import_job", args=[job.pk])
    assert job.state == "done" and MonthlyValue.objects.count() == 2
    bad = [[police, "2019-07", "接警数", 90], [police, "2019-13", "接警数", 80]]
    client.post(reverse("indicator_import"), {"file": sheet(bad)})
    failed = ImportJob.objects.latest("pk")
    assert failed.state == "failed" and any("2019-13" in e for e in failed.errors)
    assert MonthlyValue.objects.count() == 2  # nothing of the bad file was written


def test_only_the_office_uploads(personas, client):
    for role in (Role.HANDLER, Role.LEADER_VIEWER, Role.AUDITOR):
        client.force_login(personas[role])
        assert client.get(reverse("indicator_import")).status_code == 403
