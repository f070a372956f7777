"""Drives, the register and per-object access: who opens, changes and downloads what."""

import datetime
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from saohei.audit.models import AuditEntry
from saohei.clues import actions as clues
from saohei.clues.choices import Category, Source
from saohei.orgs.choices import Role, UnitKind

from ..measures import Measure
from ..models import Drive, Meeting, Regulation, Target

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate


@pytest.fixture
def drive(units):
    d = Drive.objects.create(
        name="油田百日攻坚",
        theme="严厉打击盗采原油违法犯罪",
        start=TODAY() - datetime.timedelta(days=40),
        end=TODAY() + datetime.timedelta(days=60),
        jurisdiction_id=units[UnitKind.OFFICE].jurisdiction_id,
    )
    d.units.set([units[UnitKind.POLICE]])
    Target.objects.create(
        name="涉油线索清零",
        measure=Measure.OPEN_CLUES,
        goal=0,
        start=d.start,
        deadline=d.end,
        drive=d,
        jurisdiction_id=d.jurisdiction_id,
    )
    return d


@pytest.fixture
def clue(personas):
    return clues.register(
        personas[Role.OFFICE_STAFF],
        received_on=TODAY() - datetime.timedelta(days=10),
        source=Source.PUBLIC,
        category=Category.EVIL_FORCE,
        subjects="王某",
        summary="盗采原油",
    )


# Who opens a drive, a target and the report, by role and by jurisdiction -----------------------

READERS = {
    Role.OFFICE_ADMIN: 200,
    Role.OFFICE_STAFF: 200,
    Role.CLUE_CUSTODIAN: 200,
    Role.LEADER_VIEWER: 200,
    Role.HANDLER: 200,  # the police take part in this drive
    Role.UNIT_LEADER: 200,
    Role.DISCIPLINE: 404,  # the commission does not
    Role.SYSADMIN: 403,
    Role.SECURITY_ADMIN: 403,
    Role.AUDITOR: 403,
}


@pytest.mark.parametrize("role", sorted(Role))
def test_drive_and_its_target_per_role(role, client, personas, other_personas, drive):
    client.force_login(personas[role])
    target = drive.targets.get()
    assert client.get(drive.get_absolute_url()).status_code == READERS[role]
    assert client.get(target.get_absolute_url()).status_code == READERS[role]
    edit = client.get(reverse("campaigns_drive_edit", args=[drive.pk])).status_code
    office = role in (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN)
    assert edit == (200 if office else 403)
    report = client.get(reverse("campaigns_drive_report", args=[drive.pk])).status_code
    assert report == (200 if office or role == Role.LEADER_VIEWER else 403)
    # The same role in the other district sees nothing of it.
    client.force_login(other_personas[role])
    assert client.get(drive.get_absolute_url()).status_code in (403, 404)
    assert client.get(target.get_absolute_url()).status_code in (403, 404)
    if office:
        assert client.get(reverse("campaigns_drive_edit", args=[drive.pk])).status_code == 404


def test_target_edit_only_by_the_office(client, personas, drive):
    target = drive.targets.get()
    url = reverse("campaigns_target_edit", args=[target.pk])
    client.force_login(personas[Role.HANDLER])
    assert client.get(url).status_code == 403
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.post(
        url,
        {
            "name": "涉油线索清零（调整）",
            "measure": Measure.OPEN_CLUES,
            "goal": "0",
            "start": target.start.isoformat(),
            "deadline": target.deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.name == "涉油线索清零（调整）" and target.drive == drive


def test_tagging_clues_to_a_drive_and_the_report(client, personas, units, drive, clue):
    office = personas[Role.OFFICE_STAFF]
    clues.assign(clue, office, units[UnitKind.POLICE])  # the drive's target covers the police
    client.force_login(office)
    # A number nobody has refuses the whole list, with the number named.
    response = client.post(drive.get_absolute_url(), {"numbers": f"{clue.number}, XS1999-0001"})
    assert response.status_code == 200 and "XS1999-0001" in response.content.decode()
    assert not drive.clues.exists()
    response = client.post(drive.get_absolute_url(), {"numbers": clue.number.lower()})
    assert response.status_code == 302 and list(drive.clues.all()) == [clue]
    assert AuditEntry.objects.filter(object_type__contains="drive").exists()
    page = client.get(drive.get_absolute_url()).content.decode()
    assert clue.number in page
    # A handler of a participating unit reads the drive but may not tag.
    client.force_login(personas[Role.HANDLER])
    assert client.post(drive.get_absolute_url(), {"numbers": clue.number}).status_code == 400

    client.force_login(office)
    response = client.get(reverse("campaigns_drive_report", args=[drive.pk]))
    assert response.status_code == 200
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    )
    assert "关于油田百日攻坚开展情况的报告" in text
    assert "列入本次专项行动的线索1件，其中行动期间受理1件；已办结0件" in text
    assert "本次专项行动设定目标1项" in text
    assert "北湖区公安机关参与" in text or "参与。" in text
    assert "已完成0项" in text
    assert "“涉油线索清零”目标要求" in text  # behind: one open clue at the police, rising


def test_register_per_unit(client, personas, units):
    """A unit keeps its own rules and meetings; another unit does not see them; the office
    sees all of its district's."""
    police_user, discipline_user = personas[Role.HANDLER], personas[Role.DISCIPLINE]
    client.force_login(police_user)
    response = client.post(
        reverse("campaigns_meeting_new"),
        {
            "kind": Meeting.Kind.STUDY,
            "held_on": "2019-05-10",
            "unit": str(units[UnitKind.POLICE].pk),
            "topics": "学习“两高两部”关于办理黑恶案件的新司法解释",
            "minutes": "",
            "file": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.unit == units[UnitKind.POLICE] and meeting.has_record
    # Another unit's meeting cannot be entered by the police.
    response = client.post(
        reverse("campaigns_meeting_new"),
        {
            "kind": Meeting.Kind.UNIT,
            "held_on": "2019-05-11",
            "unit": str(units[UnitKind.DISCIPLINE].pk),
            "topics": "部署",
        },
    )
    assert response.status_code == 200 and Meeting.objects.count() == 1
    # A refused file type says what is accepted.
    response = client.post(
        reverse("campaigns_regulation_new"),
        {
            "title": "线索移交制度",
            "kind": Regulation.Kind.RULE,
            "unit": str(units[UnitKind.POLICE].pk),
            "issued_on": "2019-04-01",
            "state": Regulation.State.IN_FORCE,
            "file": SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert response.status_code == 200 and not Regulation.objects.exists()
    file_url = reverse("campaigns_register_file", args=["meetings", meeting.pk])
    assert client.get(file_url).status_code == 200
    client.force_login(discipline_user)
    assert "新司法解释" not in client.get(reverse("campaigns_register")).content.decode()
    assert client.get(file_url).status_code == 404
    assert client.get(reverse("campaigns_meeting_edit", args=[meeting.pk])).status_code == 404
    client.force_login(personas[Role.LEADER_VIEWER])
    assert "新司法解释" in client.get(reverse("campaigns_register")).content.decode()
    assert client.get(reverse("campaigns_meeting_new")).status_code == 403


def test_tagging_publicity_to_a_drive(client, personas, units, drive):
    """Publicity held in the drive's period by its units can be tagged; it then counts in the
    drive report."""
    from saohei.oversight import actions as oversight

    police = units[UnitKind.POLICE]
    held = oversight.record_publicity(
        personas[Role.HANDLER], unit=police, held_on=TODAY() - datetime.timedelta(days=3),
        kind="banner", quantity=30, text="",
    )  # fmt: skip
    before = oversight.record_publicity(
        personas[Role.HANDLER], unit=police, held_on=drive.start - datetime.timedelta(days=1),
        kind="leaflet", quantity=5, text="扫黑除恶 举报电话0459-12337",
    )  # fmt: skip
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(drive.get_absolute_url()).content.decode()
    form = page.split('data-testid="publicity-form"')[1].split("</form>")[0]
    assert f'value="{held.pk}"' in form and f'value="{before.pk}"' not in form
    # One held before the period refuses the whole choice.
    client.post(drive.get_absolute_url(), {"publicity": [held.pk, before.pk]})
    assert not drive.publicity.exists()
    client.post(drive.get_absolute_url(), {"publicity": [held.pk]})
    assert list(drive.publicity.all()) == [held]
    response = client.get(reverse("campaigns_drive_report", args=[drive.pk]))
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    )
    assert "开展宣传活动1次（条幅30条）" in text
    client.post(drive.get_absolute_url(), {"untag_publicity": held.pk})
    assert not drive.publicity.exists()
