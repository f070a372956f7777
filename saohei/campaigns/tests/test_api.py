"""The API of targets, drives and the register: scoped like the pages, with a target's
progress on the day asked for."""

import datetime

import pytest
from django.utils import timezone

from saohei.clues import actions as clues
from saohei.clues.choices import Category, Source
from saohei.orgs.choices import Role, UnitKind

from ..measures import Measure
from ..models import Drive, Meeting, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(personas, other_personas, units, other_units):
    today = timezone.localdate()
    clues.register(
        personas[Role.OFFICE_STAFF],
        received_on=today - datetime.timedelta(days=5),
        source=Source.PUBLIC,
        category=Category.EVIL_FORCE,
        subjects="王某",
        summary="强迫交易",
    )
    made = {}
    for name, unit_map in (("ours", units), ("theirs", other_units)):
        district = unit_map[UnitKind.OFFICE].jurisdiction_id
        made[name] = Target.objects.create(
            name=f"{name}清零",
            measure=Measure.OPEN_CLUES,
            goal=0,
            start=today - datetime.timedelta(days=20),
            deadline=today + datetime.timedelta(days=30),
            jurisdiction_id=district,
        )
        drive = Drive.objects.create(
            name=f"{name}攻坚", start=today, end=today, jurisdiction_id=district
        )
        drive.units.set([unit_map[UnitKind.POLICE]])
        Meeting.objects.create(
            kind=Meeting.Kind.UNIT,
            held_on=today,
            unit=unit_map[UnitKind.POLICE],
            topics=f"{name}部署",
            jurisdiction_id=district,
        )
    return made


def test_targets_with_progress_and_scoping(client, personas, records):
    client.force_login(personas[Role.OFFICE_STAFF])
    body = client.get("/api/targets/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["name"] for r in rows] == ["ours清零"]  # not the other district's
    progress = rows[0]["progress"]
    assert progress["value"] == 1 and progress["met"] is False
    assert progress["by_unit"] == [{"unit": None, "value": 1}]  # awaiting routing
    day = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    past = client.get(f"/api/targets/{records['ours'].pk}/?as_of={day}").json()
    assert past["progress"]["value"] == 0 and past["progress"]["as_of"] == day
    bad = client.get(f"/api/targets/{records['ours'].pk}/?as_of=2019-13-01")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
    assert client.get(f"/api/targets/{records['theirs'].pk}/").status_code == 404


def test_register_and_drives_per_unit(client, personas):
    for role, meetings, drives in (
        (Role.HANDLER, 1, 1),  # the police: its own meeting, the drive it takes part in
        (Role.DISCIPLINE, 0, 0),
        (Role.LEADER_VIEWER, 1, 1),
    ):
        client.force_login(personas[role])
        for url, n in (("/api/meetings/", meetings), ("/api/drives/", drives)):
            body = client.get(url).json()
            rows = body["results"] if isinstance(body, dict) else body
            assert len(rows) == n, (role, url)
    client.force_login(personas[Role.AUDITOR])
    assert client.get("/api/meetings/").status_code == 403


@pytest.fixture(autouse=True)
def _records(records):
    return records
