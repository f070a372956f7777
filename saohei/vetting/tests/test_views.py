"""The vetting pages as users reach them: upload, progress, the batch, a candidate's records
with the reviewer's steps, the downloads, the rules; per role and across districts."""

import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from saohei.orgs.choices import Role
from saohei.vetting.models import Batch, Candidate, Decision, Judgement, Rule
from saohei.vetting.screening import screen_list

from .test_screening import ROWS, TODAY, candidate_list, registry  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def screen_in_the_request(settings):
    settings.SAOHEI_IMPORTS_IN_BACKGROUND = False


@pytest.fixture
def batch(registry, personas, tmp_path):  # noqa: F811
    made, _ = screen_list(
        candidate_list(tmp_path / "名单.xlsx", ROWS),
        personas[Role.OFFICE_STAFF],
        title="2021年换届",
        screened_on=TODAY,
    )
    return made


def test_upload_screens_and_leads_to_the_batch(client, registry, personas, tmp_path):  # noqa: F811
    client.force_login(personas[Role.OFFICE_STAFF])
    path = candidate_list(tmp_path / "名单.xlsx", ROWS)
    with open(path, "rb") as fh:
        response = client.post(reverse("vetting_upload"), {"file": fh, "title": "换届"})
    progress = response.url
    batch = Batch.objects.get()
    assert (batch.title, batch.file_name) == ("换届", "名单.xlsx")
    assert client.get(progress).url == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-figure="confirmed">3<' in page
    assert 'data-figure="possible">1<' in page
    assert 'data-figure="clean">1<' in page


def test_a_bad_list_is_listed_with_its_errors(client, personas, tmp_path):
    client.force_login(personas[Role.OFFICE_STAFF])
    path = candidate_list(tmp_path / "名单.xlsx", [("张三", "12345", "红旗村", "主任", "")])
    with open(path, "rb") as fh:
        response = client.post(reverse("vetting_upload"), {"file": fh})
    page = client.get(response.url).content.decode()
    assert 'data-state="failed"' in page and "12345" in page
    assert Batch.objects.count() == 0


def test_an_upload_that_is_not_xlsx_is_refused_by_the_form(client, personas):
    client.force_login(personas[Role.OFFICE_STAFF])
    upload = io.BytesIO(b"name,id")
    upload.name = "名单.csv"
    response = client.post(reverse("vetting_upload"), {"file": upload})
    assert response.status_code == 200 and "名单.csv" in response.content.decode()
    assert Batch.objects.count() == 0


@pytest.mark.parametrize(
    "role, answer",
    [
        (Role.OFFICE_STAFF, 200),
        (Role.LEADER_VIEWER, 200),
        (Role.HANDLER, 403),
        (Role.DISCIPLINE, 403),
        (Role.SYSADMIN, 403),
        (Role.AUDITOR, 403),
    ],
)
def test_batch_pages_per_role(client, batch, personas, role, answer):
    client.force_login(personas[role])
    candidate = batch.candidates.first()
    urls = [
        batch.get_absolute_url(),
        candidate.get_absolute_url(),
        reverse("vetting_download", args=[batch.pk, "result"]),
        reverse("vetting_download", args=[batch.pk, "report"]),
    ]
    assert [client.get(url).status_code for url in urls] == [answer] * 4


def test_another_district_does_not_reach_the_batch(client, batch, other_personas):
    client.force_login(other_personas[Role.OFFICE_ADMIN])
    candidate = batch.candidates.first()
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.get(candidate.get_absolute_url()).status_code == 404
    assert client.get(reverse("vetting_download", args=[batch.pk, "review"])).status_code == 404
    response = client.post(candidate.get_absolute_url(), {"decision": "clear", "note": ""})
    assert response.status_code == 404
    assert Candidate.objects.get(pk=candidate.pk).decision == ""


def test_reviewer_decides_and_judges_on_the_candidate_page(client, batch, personas):
    client.force_login(personas[Role.OFFICE_STAFF])
    zhao = batch.candidates.get(name="赵敏")
    page = client.get(zhao.get_absolute_url()).content.decode()
    assert "区纪委监委" in page
    hit = zhao.hits.get()
    client.post(zhao.get_absolute_url(), {"hit": hit.pk, "same": "0", "note": "户籍核实"})
    assert Judgement.objects.get().same is False
    zhao.refresh_from_db()
    assert zhao.tier == "none"
    response = client.post(zhao.get_absolute_url(), {"decision": "disqualify", "note": ""})
    assert response.status_code == 200  # a disqualification without a note is sent back
    client.post(zhao.get_absolute_url(), {"decision": "clear", "note": "经核实无前科"})
    zhao.refresh_from_db()
    assert zhao.decision == Decision.CLEAR


def test_a_leader_reads_but_does_not_decide(client, batch, personas):
    client.force_login(personas[Role.LEADER_VIEWER])
    candidate = batch.candidates.first()
    response = client.post(candidate.get_absolute_url(), {"decision": "clear", "note": ""})
    assert response.status_code == 403


def test_downloads(client, batch, personas):
    client.force_login(personas[Role.OFFICE_STAFF])
    result = client.get(reverse("vetting_download", args=[batch.pk, "result"]))
    ws = load_workbook(io.BytesIO(b"".join(result.streaming_content))).active
    assert [c.value for c in ws[1]][-2:] == ["审查结论", "理由"]
    review = client.get(reverse("vetting_download", args=[batch.pk, "review"]))
    wb = load_workbook(io.BytesIO(b"".join(review.streaming_content)))
    assert len(wb.worksheets) == 2 and wb.worksheets[0].max_row == 6
    report = client.get(reverse("vetting_download", args=[batch.pk, "report"]))
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(b"".join(report.streaming_content))).paragraphs
    )
    assert "5" in text and "2021年换届" in text
    assert client.get(reverse("vetting_download", args=[batch.pk, "other"])).status_code == 404


def test_rules_are_edited_by_the_office_head_only(client, personas):
    rule = Rule.objects.get(name="三年内受过行政处罚")
    url = reverse("vetting_rule_edit", args=[rule.pk])
    client.force_login(personas[Role.OFFICE_STAFF])
    assert client.get(url).status_code == 403
    client.force_login(personas[Role.OFFICE_ADMIN])
    data = {
        "name": rule.name,
        "source": "record",
        "kinds": ["administrative"],
        "keywords": "",
        "window_years": "2",
        "effect": "review",
        "is_active": "on",
        "sort_order": "5",
    }
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.window_years == 2
