"""The API: the same scoping as the pages, the task's steps through the actions."""

import datetime

import pytest
from rest_framework.test import APIClient

from saohei.orgs.choices import Role, UnitKind
from saohei.rectification.choices import TaskStatus

from .factories import inspection, problem, task, upload

D = datetime.date


@pytest.fixture
def data(personas, units, other_personas):
    office = personas[Role.OFFICE_STAFF]
    insp = inspection(office)
    p1 = problem(office, insp, units=[units[UnitKind.POLICE]])
    p2 = problem(office, insp, text="镇街无会议记录", units=[units[UnitKind.TOWNSHIP]])
    police = task(office, p1, units[UnitKind.POLICE], D(2019, 6, 28))
    town = task(office, p2, units[UnitKind.TOWNSHIP], D(2019, 6, 28))
    return {"inspection": insp, "police": police, "town": town, "p1": p1, "p2": p2}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_scoping(personas, other_personas, data):
    office = api(personas[Role.OFFICE_STAFF])
    assert ids(office.get("/api/tasks/")) == {data["police"].pk, data["town"].pk}
    handler = api(personas[Role.HANDLER])
    assert ids(handler.get("/api/tasks/")) == {data["police"].pk}
    assert ids(handler.get("/api/problems/")) == {data["p1"].pk}
    assert ids(handler.get("/api/inspections/")) == {data["inspection"].pk}
    assert handler.get(f"/api/tasks/{data['town'].pk}/").status_code == 404
    other = api(other_personas[Role.OFFICE_ADMIN])
    assert ids(other.get("/api/tasks/")) == set()
    assert ids(other.get("/api/inspections/")) == set()
    assert api(personas[Role.AUDITOR]).get("/api/tasks/").status_code == 403


def test_filter_and_fields(personas, data, units):
    office = api(personas[Role.OFFICE_STAFF])
    rows = office.get(f"/api/tasks/?unit={units[UnitKind.TOWNSHIP].pk}").json()["results"]
    assert [r["id"] for r in rows] == [data["town"].pk]
    assert rows[0]["deadline"] == "2019-06-28" and rows[0]["status"] == "in_progress"
    assert rows[0]["inspection"] == data["inspection"].pk and rows[0]["category"] == "组织领导"


def test_steps(personas, data):
    t = data["police"]
    t.evidence.create(name="纪要.pdf", file=upload(), uploaded_by=personas[Role.HANDLER])
    handler = api(personas[Role.HANDLER])
    response = handler.post(f"/api/tasks/{t.pk}/step/", {"step": "report_done", "text": "已完成"})
    assert response.status_code == 200 and response.json()["status"] == TaskStatus.REPORTED
    # The unit cannot sign off its own task.
    assert handler.post(f"/api/tasks/{t.pk}/step/", {"step": "sign_off"}).status_code == 403
    admin = api(personas[Role.OFFICE_ADMIN])
    refused = admin.post(f"/api/tasks/{t.pk}/step/", {"step": "sign_off", "text": "到位"})
    assert refused.status_code == 400 and "Check the evidence" in str(refused.json())
    stale = admin.post(
        f"/api/tasks/{t.pk}/step/",
        {"step": "sign_off", "text": "到位", "evidence_checked": True, "version": 0},
    )
    assert stale.status_code == 409
    done = admin.post(
        f"/api/tasks/{t.pk}/step/", {"step": "sign_off", "text": "到位", "evidence_checked": True}
    )
    assert done.json()["status"] == TaskStatus.SIGNED_OFF


def test_task_list_queries_do_not_grow_with_rows(personas, data, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = personas[Role.OFFICE_STAFF]
    client = api(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/tasks/").status_code == 200
            assert client.get("/api/problems/").status_code == 200
        return len(ctx)

    count()
    few = count()
    for n in range(8):
        p = problem(office, data["inspection"], text=f"问题{n}", units=[units[UnitKind.COURT]])
        task(office, p, units[UnitKind.COURT], D(2019, 7, 31))
    assert count() == few
