"""The clue pages as users meet them: who sees which clue, the register → route → verify →
approve path, the duplicate warning, informant identity."""

import io

import pytest
from django.urls import reverse

from saohei.audit.models import Action, AuditEntry
from saohei.clues.choices import Category, Status
from saohei.clues.models import Clue
from saohei.orgs.choices import Role

from .factories import clue_in, new_clue

SEES_POLICE_CLUE = {
    Role.OFFICE_ADMIN,
    Role.OFFICE_STAFF,
    Role.CLUE_CUSTODIAN,
    Role.LEADER_VIEWER,
    Role.HANDLER,
    Role.UNIT_LEADER,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(Role))
def test_detail_answers_per_role(role, personas, other_personas, client):
    clue = clue_in(Status.VERIFYING, personas)
    url = reverse("clue_detail", args=[clue.number])
    client.force_login(personas[role])
    expected = (
        200
        if role in SEES_POLICE_CLUE
        else (403 if not personas[role].has_perm("clues.view_clue") else 404)
    )
    assert client.get(url).status_code == expected
    client.force_login(other_personas[role])
    assert client.get(url).status_code in (403, 404)
    assert client.get(url).status_code != 200


@pytest.mark.django_db
def test_umbrella_clue_only_for_office_head_and_discipline(personas, client):
    clue = clue_in(Status.ASSIGNED, personas, category=Category.UMBRELLA, subjects="某审判员")
    url = reverse("clue_detail", args=[clue.number])
    for role in Role:
        client.force_login(personas[role])
        answer = client.get(url).status_code
        if role in (Role.OFFICE_ADMIN, Role.DISCIPLINE):
            assert answer == 200, role
        else:
            assert answer in (403, 404), role
    client.force_login(personas[Role.OFFICE_STAFF])
    assert clue.number not in client.get(reverse("clue_list")).content.decode()


@pytest.mark.django_db
def test_register_route_verify_approve_through_the_pages(personas, client):
    office, handler, leader = (
        personas[Role.OFFICE_STAFF],
        personas[Role.HANDLER],
        personas[Role.UNIT_LEADER],
    )
    client.force_login(office)
    response = client.post(
        reverse("clue_register"),
        {
            "received_on": "2019-06-03",
            "source": "public",
            "channel": "phone",
            "category": "evil_force",
            "subjects": "赵六、某某砂石公司",
            "summary": "赵六纠集多人强揽砂石工程",
            "anonymous": "on",
        },
    )
    clue = Clue.objects.get(subjects="赵六、某某砂石公司")
    assert response.status_code == 302 and response.url == reverse(
        "clue_detail", args=[clue.number]
    )
    assert clue.number.startswith("XS2019-")

    def step(user, name, expect=302, **data):
        client.force_login(user)
        clue.refresh_from_db()
        r = client.post(
            reverse("clue_step", args=[clue.number, name]), {"version": clue.version, **data}
        )
        assert r.status_code == expect
        clue.refresh_from_db()

    step(office, "assign", unit=handler.unit.pk, reason="请于期限内核查")
    assert clue.status == Status.ASSIGNED and clue.deadline
    step(handler, "accept")
    step(handler, "request_conclusion", finding="substantiated", result="查实强揽工程事实")
    assert clue.status == Status.AWAITING_APPROVAL
    step(handler, "approve", expect=403)  # a handler cannot approve: nothing changes
    assert clue.status == Status.AWAITING_APPROVAL
    step(leader, "approve")
    assert clue.status == Status.CONCLUDED
    client.force_login(office)
    page = client.get(reverse("clue_detail", args=[clue.number])).content.decode()
    timeline = page.split('data-testid="timeline"')[1]
    for name in (office.username, handler.username, leader.username):
        assert name in timeline
    assert timeline.count("list-group-item") == 5


@pytest.mark.django_db
def test_a_refused_step_says_why(personas, client):
    clue = clue_in(Status.VERIFYING, personas)
    client.force_login(personas[Role.HANDLER])
    response = client.post(
        reverse("clue_step", args=[clue.number, "return"]),
        {"version": clue.version, "reason": ""},
        follow=True,
    )
    assert "alert-danger" in response.content.decode()
    stale = client.post(
        reverse("clue_step", args=[clue.number, "interim"]),
        {"version": clue.version - 1, "result": "x"},
        follow=True,
    )
    assert clue.number in stale.content.decode()
    assert Clue.objects.get(pk=clue.pk).status == Status.VERIFYING


@pytest.mark.django_db
def test_duplicate_warning_before_saving(personas, client):
    existing = new_clue(personas, subjects="張三、李四", summary="张三开设赌场")
    client.force_login(personas[Role.OFFICE_STAFF])
    data = {
        "received_on": "2019-06-10",
        "source": "public",
        "category": "evil_force",
        "subjects": "张三",
        "summary": "张三在村里放高利贷",
        "anonymous": "on",
    }
    page = client.post(reverse("clue_register"), data).content.decode()
    assert 'data-testid="duplicates"' in page and existing.number in page
    assert Clue.objects.count() == 1
    response = client.post(reverse("clue_register"), {**data, "merge_into": existing.number})
    assert response.status_code == 302
    dup = Clue.objects.exclude(pk=existing.pk).get()
    assert dup.status == Status.MERGED and dup.merged_into == existing
    client.post(reverse("clue_register"), {**data, "confirm": "1"})
    assert Clue.objects.filter(status=Status.RECEIVED).count() == 2


@pytest.mark.django_db
def test_new_report_on_an_unfounded_subject_is_flagged(personas, client):
    from saohei.clues import actions

    old = clue_in(Status.AWAITING_APPROVAL, personas, subjects="王强")
    old.finding = "unfounded"
    old.save()
    actions.approve(old, personas[Role.UNIT_LEADER])
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.post(
        reverse("clue_register"),
        {
            "received_on": "2019-07-01",
            "source": "petition",
            "category": "evil_force",
            "subjects": "王強",
            "summary": "另一件事：王强欺行霸市",
            "anonymous": "on",
            "confirm": "1",
        },
        follow=True,
    )
    new = Clue.objects.latest("id")
    assert new.review_of == old
    assert old.number in response.content.decode()


@pytest.mark.django_db
def test_informant_identity_only_for_the_custodian_and_each_reading_audited(personas, client):
    clue = new_clue(
        personas,
        anonymous=False,
        informant_name="刘举报",
        informant_phone="13900001234",
        informant_id_number="",
    )
    url = reverse("clue_detail", args=[clue.number])
    for role in (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER):
        client.force_login(personas[role])
        page = client.get(url).content.decode()
        assert "刘举报" not in page and "13900001234" not in page
        assert client.post(reverse("clue_reveal", args=[clue.number])).status_code == 403
    client.force_login(personas[Role.CLUE_CUSTODIAN])
    assert "刘举报" not in client.get(url).content.decode()
    page = client.post(reverse("clue_reveal", args=[clue.number])).content.decode()
    assert "刘举报" in page and "13900001234" in page
    reads = AuditEntry.objects.filter(action=Action.READ_PROTECTED, object_id=str(clue.pk))
    assert reads.count() == 3
    assert all(e.actor == personas[Role.CLUE_CUSTODIAN] for e in reads)
    logged = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    assert "刘举报" not in logged and "13900001234" not in logged


@pytest.mark.django_db
def test_list_filters_and_overdue(personas, client):
    import datetime

    from saohei.clues import actions

    late = new_clue(personas, subjects="甲")
    actions.assign(late, personas[Role.OFFICE_STAFF], personas[Role.HANDLER].unit)
    Clue.objects.filter(pk=late.pk).update(deadline=datetime.date(2019, 7, 1))
    fresh = new_clue(personas, subjects="乙", category=Category.OIL)
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("clue_list"), {"overdue": "true"}).content.decode()
    assert late.number in page and fresh.number not in page
    page = client.get(reverse("clue_list"), {"category": "oil"}).content.decode()
    assert fresh.number in page and late.number not in page
    page = client.get(reverse("clue_deadlines")).content.decode()
    assert late.number in page.split('data-testid="overdue"')[1].split("</table>")[0]
    bad = client.get(reverse("clue_list"), {"received_from": "2019-02-30"})
    assert bad.status_code == 200 and "alert-danger" in bad.content.decode()


@pytest.mark.django_db
def test_named_informant_feedback_is_listed_until_recorded(personas, client):
    import datetime

    from saohei.clues import actions

    clue = clue_in(
        Status.AWAITING_APPROVAL,
        personas,
        anonymous=False,
        informant_name="孙某",
        informant_phone="13900005678",
    )
    actions.approve(
        clue, personas[Role.UNIT_LEADER], at=actions.timezone.now() - datetime.timedelta(days=40)
    )
    client.force_login(personas[Role.OFFICE_STAFF])
    board = client.get(reverse("clue_deadlines")).content.decode()
    assert clue.number in board.split('data-testid="to-contact"')[1]
    assert clue.number in client.get(reverse("home")).content.decode()
    client.post(
        reverse("clue_informant_contacted", args=[clue.number]),
        {"on": datetime.date.today().isoformat()},
    )
    board = client.get(reverse("clue_deadlines")).content.decode()
    assert clue.number not in board.split('data-testid="to-contact"')[1]
    client.force_login(personas[Role.HANDLER])
    response = client.post(
        reverse("clue_informant_contacted", args=[clue.number]), {"on": "2019-01-01"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_notice_and_extension_through_the_page(personas, client):
    clue = clue_in(Status.VERIFYING, personas)
    url = reverse("clue_supervision", args=[clue.number, "notice"])
    client.force_login(personas[Role.OFFICE_STAFF])
    client.post(url, {"level": "urge", "text": "请加快核查进度"})
    notice = clue.notices.get()
    client.force_login(personas[Role.HANDLER])
    page = client.get(reverse("clue_detail", args=[clue.number])).content.decode()
    assert "请加快核查进度" in page and "notice-answer" in page
    client.post(
        reverse("clue_supervision", args=[clue.number, "notice-answer"]),
        {"item": notice.pk, "answer": ""},
    )
    notice.refresh_from_db()
    assert notice.acknowledged_at and not notice.answered_at
    client.post(
        reverse("clue_supervision", args=[clue.number, "notice-answer"]),
        {"item": notice.pk, "answer": "已完成调查取证"},
    )
    notice.refresh_from_db()
    assert notice.answer == "已完成调查取证"
    client.post(
        reverse("clue_supervision", args=[clue.number, "extension"]),
        {"workdays": 5, "reason": "证人外出"},
    )
    req = clue.extensions.get()
    client.post(
        reverse("clue_supervision", args=[clue.number, "extension-decision"]),
        {"item": req.pk, "approve": "1"},
    )
    req.refresh_from_db()
    assert req.decision == "pending"  # the handler cannot decide
    client.force_login(personas[Role.OFFICE_ADMIN])
    client.post(
        reverse("clue_supervision", args=[clue.number, "extension-decision"]),
        {"item": req.pk, "approve": "1"},
    )
    req.refresh_from_db()
    assert req.decision == "approved"


@pytest.mark.django_db
def test_office_head_changes_limits_and_industries(personas, client):
    from saohei.clues.models import DeadlineRule, Industry

    client.force_login(personas[Role.OFFICE_ADMIN])
    rules = list(DeadlineRule.objects.all())
    industries = list(Industry.objects.all())
    data = {
        "rules-TOTAL_FORMS": len(rules),
        "rules-INITIAL_FORMS": len(rules),
        "industries-TOTAL_FORMS": len(industries) + 1,
        "industries-INITIAL_FORMS": len(industries),
    }
    for i, rule in enumerate(rules):
        data.update(
            {f"rules-{i}-id": rule.pk, f"rules-{i}-workdays": 10, f"rules-{i}-contact_days": 30}
        )
    for i, ind in enumerate(industries):
        data.update(
            {
                f"industries-{i}-id": ind.pk,
                f"industries-{i}-name": ind.name,
                f"industries-{i}-sort_order": i,
                f"industries-{i}-is_active": "on",
            }
        )
    data.update(
        {
            f"industries-{len(industries)}-name": "校外培训",
            f"industries-{len(industries)}-sort_order": 99,
            f"industries-{len(industries)}-is_active": "on",
        }
    )
    assert client.post(reverse("clue_settings"), data).status_code == 302
    assert set(DeadlineRule.objects.values_list("workdays", flat=True)) == {10}
    assert Industry.objects.filter(name="校外培训").exists()
    data["rules-0-workdays"] = 0  # invalid: nothing is saved, industries included
    data[f"industries-{len(industries)}-name"] = "网络直播"
    assert client.post(reverse("clue_settings"), data).status_code == 200
    assert not Industry.objects.filter(name="网络直播").exists()


@pytest.mark.django_db
def test_files_scoped_size_checked_and_downloads_audited(
    personas, other_personas, client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    settings.SAOHEI_MAX_ATTACHMENT_MB = 1
    clue = clue_in(Status.VERIFYING, personas)
    url = reverse("clue_attach", args=[clue.number])
    client.force_login(personas[Role.HANDLER])
    client.post(url, {"file": SimpleUploadedFile("笔录.pdf", b"%PDF-1.4 evidence")})
    big = client.post(
        url, {"file": SimpleUploadedFile("录像.mp4", b"0" * (1024 * 1024 + 1))}, follow=True
    )
    assert "1 MB" in big.content.decode()
    exe = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ")}, follow=True)
    assert "a.exe" in exe.content.decode()
    attachment = clue.attachments.get()
    download = reverse("clue_attachment", args=[clue.number, attachment.pk])
    response = client.get(download)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert AuditEntry.objects.filter(
        action=Action.DOWNLOAD, actor=personas[Role.HANDLER], object_id=str(attachment.pk)
    ).exists()
    client.force_login(other_personas[Role.HANDLER])
    assert client.get(download).status_code == 404
    client.force_login(personas[Role.DISCIPLINE])
    assert client.get(download).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", b"x")}).status_code == 404


@pytest.mark.django_db
def test_a_step_and_a_registration_carry_a_file(personas, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas[Role.OFFICE_STAFF])
    client.post(
        reverse("clue_register"),
        {
            "received_on": "2019-06-03",
            "source": "public",
            "category": "rural",
            "subjects": "钱九",
            "summary": "钱九操纵村委会选举",
            "anonymous": "on",
            "confirm": "1",
            "attachment": SimpleUploadedFile("举报信.pdf", b"%PDF letter"),
        },
    )
    clue = Clue.objects.get(subjects="钱九")
    assert clue.attachments.get().name == "举报信.pdf"
    client.post(
        reverse("clue_step", args=[clue.number, "assign"]),
        {
            "version": clue.version,
            "unit": personas[Role.HANDLER].unit.pk,
            "file": SimpleUploadedFile("交办函.docx", b"PK docx"),
        },
    )
    move = clue.moves.get(action="assign")
    assert [a.name for a in move.attachments.all()] == ["交办函.docx"]
    page = client.get(reverse("clue_detail", args=[clue.number])).content.decode()
    assert "交办函.docx" in page.split('data-testid="timeline"')[1]


@pytest.mark.django_db
def test_export_is_the_filtered_ledger_and_is_audited(personas, client):
    from openpyxl import load_workbook

    from saohei.clues.ledger import HEADERS

    oil = clue_in(Status.VERIFYING, personas, category=Category.OIL, subjects="盗油团伙")
    clue_in(Status.RECEIVED, personas, subjects="其他")
    client.force_login(personas[Role.LEADER_VIEWER])
    response = client.get(reverse("clue_export"), {"category": "oil"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [r[0] for r in rows[1:]] == [oil.number]
    entry = AuditEntry.objects.get(action=Action.EXPORT, object_type="clues.clue")
    assert entry.changes == {"filters": {"category": "oil"}, "rows": 1}


@pytest.mark.django_db
def test_search_in_the_list_and_a_too_short_term(personas, client):
    hit = new_clue(personas, subjects="張偉", summary="張偉在北湖街道強迫交易")
    miss = new_clue(personas, subjects="李娜", summary="李娜寻衅滋事")
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("clue_list"), {"q": "张伟 湖街"}).content.decode()
    assert hit.number in page and miss.number not in page
    page = client.get(reverse("clue_list"), {"q": "张"}).content.decode()
    assert "alert-warning" in page and hit.number not in page


@pytest.mark.django_db
def test_navigation_counts_what_is_waiting(personas, client):
    from saohei.oversight.models import TrainingTopic

    # The listed training topics a unit has not trained on wait on it too (oversight); only
    # the clues are counted here.
    TrainingTopic.objects.update(listed=False)
    clue_in(Status.ASSIGNED, personas)
    clue_in(Status.ASSIGNED, personas)
    client.force_login(personas[Role.HANDLER])
    page = client.get(reverse("clue_list")).content.decode()
    assert 'data-testid="nav-count">2<' in page
    client.force_login(personas[Role.DISCIPLINE])
    assert 'data-testid="nav-count"' not in client.get(reverse("clue_list")).content.decode()
