"""Coming back with the receipt code: status in plain words, the office's questions answered,
more material added, the feedback at conclusion, rewards; and code guessing refused."""

import re
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saohei.clues import actions, supervision
from saohei.clues.choices import Finding, Status
from saohei.clues.models import Attachment, Clue
from saohei.intake.models import Message, MessageKind, Report
from saohei.intake.views import SESSION_KEY
from saohei.orgs.choices import Role

from .conftest import docx_with_author, post_report, receipt_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(client, portal):
    """A report made on the portal and its receipt code."""
    code = receipt_code(post_report(client))
    client.cookies.clear()
    return Clue.objects.get(), code


def staff(personas):
    return (personas[r] for r in (Role.OFFICE_STAFF, Role.HANDLER, Role.UNIT_LEADER))


def enter(client, code):
    return client.post(reverse("intake_check"), {"code": code})


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_reporter_sees_the_status_in_plain_words(client, reported):
    clue, code = reported
    response = enter(client, code)
    assert response.status_code == 302 and response.url == reverse("intake_mine")
    html = client.get(reverse("intake_mine")).content.decode()
    assert "已受理，正在分流交办核查单位" in html
    assert clue.number not in html  # the internal number stays internal


def test_a_wrong_code_gets_the_same_answer_whether_or_not_it_could_exist(client, reported):
    _clue, code = reported
    near = f"{(int(code) + 1) % 10**16:016d}"
    answers = []
    for attempt in (near, "0000 0000 0000 0000", "12345", "not a code at all"):
        response = enter(client, attempt)
        answers.append((response.status_code, without_csrf(response.content.decode())))
    assert len(set(answers)) == 1
    assert answers[0][0] == 400 and "没有找到" in answers[0][1]
    assert client.get(reverse("intake_mine")).status_code == 302  # not let in


def test_wrong_codes_lock_a_source_out_then_everyone(client, reported, settings):
    _clue, code = reported
    settings.SAOHEI_PORTAL_WRONG_CODES_PER_SOURCE = (3, 3600)
    for _ in range(3):
        assert enter(client, "1111222233334444").status_code == 400
    locked = enter(client, code)  # even the right code, from this source, for now
    assert locked.status_code == 429 and "一小时后" in locked.content.decode()
    other = {"REMOTE_ADDR": "10.0.0.9"}
    assert client.post(reverse("intake_check"), {"code": code}, **other).status_code == 302
    settings.SAOHEI_PORTAL_WRONG_CODES_GLOBAL = (4, 3600)
    assert client.post(reverse("intake_check"), {"code": "1"}, **other).status_code == 400
    response = client.post(reverse("intake_check"), {"code": code}, REMOTE_ADDR="10.0.0.10")
    assert response.status_code == 429


def test_the_lock_out_ends_when_its_window_has_passed(client, reported, settings):
    from saohei.intake.models import Throttle

    _clue, code = reported
    settings.SAOHEI_PORTAL_WRONG_CODES_PER_SOURCE = (1, 3600)
    enter(client, "1111222233334444")
    assert enter(client, code).status_code == 429
    Throttle.objects.update(window_start=Throttle.objects.first().window_start.replace(year=2000))
    assert enter(client, code).status_code == 302


def test_question_and_answer_go_both_ways(client, reported, personas):
    clue, code = reported
    office = personas[Role.OFFICE_STAFF]
    client.force_login(office)
    response = client.post(
        reverse("intake_office_message", args=[clue.number]),
        {"kind": "question", "text": "砂场的具体位置在哪个村？"},
    )
    assert response.status_code == 302
    client.logout()
    enter(client, code)
    html = client.get(reverse("intake_mine")).content.decode()
    assert "砂场的具体位置在哪个村？" in html and 'data-testid="open-question"' in html
    question = Message.objects.get(kind=MessageKind.QUESTION)
    document = SimpleUploadedFile("位置说明.docx", docx_with_author())
    response = client.post(
        reverse("intake_mine_post", args=["answer"]),
        {"question": question.pk, "text": "在红旗村东河道", "files": [document]},
    )
    assert response.status_code == 302
    answer = Message.objects.get(kind=MessageKind.ANSWER)
    assert answer.answers == question and answer.author is None
    stored = answer.attachments.get()
    assert stored.clue == clue and stored.name == "举报材料1.docx"
    with stored.file.open("rb") as fh:
        assert "王举报".encode() not in fh.read()
    html = client.get(reverse("intake_mine")).content.decode()
    assert 'data-testid="open-question"' not in html  # answered
    client.force_login(office)
    page = client.get(reverse("clue_detail", args=[clue.number])).content.decode()
    assert "在红旗村东河道" in page and "举报材料1.docx" in page


def test_the_feedback_at_conclusion_reaches_the_reporter(client, reported, personas):
    clue, code = reported
    office, handler, leader = staff(personas)
    actions.assign(clue, office, handler.unit)
    actions.accept(clue, handler)
    enter(client, code)
    assert "正在由承办单位核查" in client.get(reverse("intake_mine")).content.decode()
    actions.request_conclusion(
        clue, handler, finding=Finding.SUBSTANTIATED, result="已对孙大强等人立案侦查。"
    )
    assert not Message.objects.filter(kind=MessageKind.FEEDBACK).exists()  # not yet approved
    actions.approve(clue, leader)
    feedback = Message.objects.get(kind=MessageKind.FEEDBACK)
    assert feedback.author == leader
    html = client.get(reverse("intake_mine")).content.decode()
    assert "已查结" in html
    assert "经核查，您反映的问题属实" in html and "已对孙大强等人立案侦查。" in html


def test_a_merged_report_follows_the_clue_it_joined(client, reported, personas):
    clue, code = reported
    office, handler, leader = staff(personas)
    main = actions.register(
        office,
        received_on=clue.received_on,
        source="public",
        category="evil_force",
        subjects="孙大强",
        summary="孙大强非法采砂",
    )
    actions.merge(clue, office, into=main)
    actions.assign(main, office, handler.unit)
    actions.accept(main, handler)
    actions.request_conclusion(main, handler, finding=Finding.PARTLY, result="部分属实。")
    actions.approve(main, leader)
    enter(client, code)
    html = client.get(reverse("intake_mine")).content.decode()
    assert "已查结" in html and "部分属实" in html


def test_the_reporter_adds_information_and_files(client, reported):
    clue, code = reported
    enter(client, code)
    response = client.post(
        reverse("intake_mine_post", args=["info"]),
        {"text": "他们又来了，开两辆黑色越野车", "files": [SimpleUploadedFile("a.txt", b"plate")]},
    )
    assert response.status_code == 302
    info = Message.objects.get(kind=MessageKind.INFO)
    assert info.attachments.get().name == "举报材料1.txt"
    assert Attachment.objects.filter(clue=clue).count() == 1
    bad = client.post(
        reverse("intake_mine_post", args=["info"]),
        {"text": "再补充", "files": [SimpleUploadedFile("x.jpg", b"MZ not a jpeg")]},
    )
    assert bad.status_code == 400 and "不接受此类文件" in bad.content.decode()
    assert Message.objects.filter(kind=MessageKind.INFO).count() == 1  # nothing half-written


def test_messages_are_limited_per_report(client, reported, settings):
    _clue, code = reported
    settings.SAOHEI_PORTAL_MESSAGES_PER_REPORT = (2, 3600)
    enter(client, code)
    for _ in range(3):
        client.post(reverse("intake_mine_post", args=["info"]), {"text": "补充"})
    assert Message.objects.filter(kind=MessageKind.INFO).count() == 2


def test_the_page_closes_after_thirty_idle_minutes_and_on_leaving(client, reported):
    _clue, code = reported
    enter(client, code)
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "at": time.time() - 31 * 60}
    session.save()
    assert client.get(reverse("intake_mine")).status_code == 302
    enter(client, code)
    assert client.get(reverse("intake_mine")).status_code == 200
    client.post(reverse("intake_leave"))
    assert client.get(reverse("intake_mine")).status_code == 302


def test_a_reward_is_claimed_with_the_code_and_the_code_checked_at_payment(
    client, reported, personas
):
    clue, code = reported
    office, handler, leader = staff(personas)
    head = personas[Role.OFFICE_ADMIN]
    actions.assign(clue, office, handler.unit)
    actions.accept(clue, handler)
    actions.request_conclusion(clue, handler, finding=Finding.SUBSTANTIATED, result="查实。")
    actions.approve(clue, leader)
    reward = supervision.propose_reward(clue, office, amount=Decimal("5000"), basis="查实涉恶团伙")
    enter(client, code)
    assert 'data-testid="rewards"' not in client.get(reverse("intake_mine")).content.decode()
    supervision.decide_reward(reward, head, approve=True)
    html = client.get(reverse("intake_mine")).content.decode()
    assert "5,000元" in html and "已批准，待领取" in html
    assert client.post(reverse("intake_mine_post", args=["claim"])).status_code == 302
    claim = Message.objects.get(kind=MessageKind.CLAIM)
    assert "5,000元" in claim.text
    client.post(reverse("intake_mine_post", args=["claim"]))
    assert Message.objects.filter(kind=MessageKind.CLAIM).count() == 1
    client.force_login(office)
    url = reverse("intake_office_verify", args=[clue.number])
    ok = client.post(url, {"code": code}, follow=True).content.decode()
    assert "受理回执码与本举报相符" in ok
    wrong = client.post(url, {"code": "1234567812345678"}, follow=True).content.decode()
    assert "受理回执码与本举报不符" in wrong


@pytest.mark.parametrize("role", sorted(Role))
def test_who_sees_and_writes_to_the_reporter(client, reported, personas, other_personas, role):
    clue, _code = reported
    user = personas[role]
    client.force_login(user)
    page = client.get(reverse("clue_detail", args=[clue.number]))
    sees = role in {Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN, Role.LEADER_VIEWER}
    assert (page.status_code == 200 and b'data-testid="reporter-panel"' in page.content) == sees
    writes = role in {Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN}
    assert (b'data-testid="reporter-message-form"' in page.content) == writes
    response = client.post(
        reverse("intake_office_message", args=[clue.number]), {"kind": "reply", "text": "收到"}
    )
    assert Message.objects.filter(kind=MessageKind.REPLY).exists() == writes
    if not writes:
        assert response.status_code in (403, 404)
    client.force_login(other_personas[role])
    response = client.post(
        reverse("intake_office_message", args=[clue.number]), {"kind": "question", "text": "?"}
    )
    assert response.status_code in (403, 404)
    assert not Message.objects.filter(kind=MessageKind.QUESTION).exists()


def test_the_handling_unit_may_ask_the_reporter_too(client, reported, personas):
    clue, _code = reported
    actions.assign(clue, personas[Role.OFFICE_STAFF], personas[Role.HANDLER].unit)
    client.force_login(personas[Role.HANDLER])
    client.post(
        reverse("intake_office_message", args=[clue.number]),
        {"kind": "question", "text": "请提供车牌号"},
    )
    assert Message.objects.get().author == personas[Role.HANDLER]
    assert Report.objects.visible_to(personas[Role.HANDLER]).count() == 1
    assert Report.objects.visible_to(personas[Role.AUDITOR]).count() == 0
    assert Clue.objects.get().status == Status.ASSIGNED


def test_a_reporters_answer_waits_on_the_to_do_list_until_read(client, reported, personas):
    from saohei.core.todo import todo_for

    clue, code = reported
    office = personas[Role.OFFICE_STAFF]
    client.force_login(office)
    client.post(
        reverse("intake_office_message", args=[clue.number]),
        {"kind": "question", "text": "车牌号是多少？"},
    )
    client.logout()
    enter(client, code)
    question = Message.objects.get(kind=MessageKind.QUESTION)
    client.post(
        reverse("intake_mine_post", args=["answer"]), {"question": question.pk, "text": "黑A12345"}
    )

    def waiting(user):
        user = type(user).objects.get(pk=user.pk)  # a new request, a fresh to-do list
        return [
            item.title
            for section in todo_for(user)
            if section.title == "举报人新留言"
            for item in section.items
        ]

    assert any(clue.number in t for t in waiting(office))
    assert waiting(personas[Role.HANDLER]) == []  # not routed to their unit
    assert waiting(personas[Role.LEADER_VIEWER]) == []  # reads, does not answer
    client.force_login(personas[Role.OFFICE_ADMIN])
    page = client.get(reverse("clue_detail", args=[clue.number])).content.decode()
    assert "黑A12345" in page and "新</span>" in page
    assert waiting(office) == []


def test_the_api_lists_reporter_messages_with_their_clue(
    client, reported, personas, other_personas
):
    clue, _code = reported
    client.force_login(personas[Role.OFFICE_STAFF])
    client.post(
        reverse("intake_office_message", args=[clue.number]), {"kind": "question", "text": "何时？"}
    )
    url = reverse("reportermessage-list") + f"?clue={clue.number}"
    rows = client.get(url).json()["results"]
    assert [(r["clue"], r["kind"], r["text"]) for r in rows] == [
        (clue.number, "question", "何时？")
    ]
    client.force_login(other_personas[Role.OFFICE_STAFF])
    assert client.get(url).json()["results"] == []
    client.force_login(personas[Role.AUDITOR])
    assert client.get(url).status_code == 403


def test_a_refused_answer_stays_under_its_question(client, reported, personas):
    clue, code = reported
    client.force_login(personas[Role.OFFICE_STAFF])
    client.post(
        reverse("intake_office_message", args=[clue.number]), {"kind": "question", "text": "照片？"}
    )
    client.logout()
    enter(client, code)
    question = Message.objects.get(kind=MessageKind.QUESTION)
    response = client.post(
        reverse("intake_mine_post", args=["answer"]),
        {
            "question": question.pk,
            "text": "见附件",
            "files": [SimpleUploadedFile("p.jpg", b"GIF89a")],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    block = html[html.index('data-testid="open-question"') : html.index("补充情况或材料")]
    assert "不接受此类文件" in block and "见附件" in block
    assert not Message.objects.filter(kind=MessageKind.ANSWER).exists()
    assert client.post(reverse("intake_mine_post", args=["other"])).status_code == 404


def test_a_named_reporter_who_reads_the_feedback_has_been_told_the_result(client, portal, personas):
    from saohei.clues.services import informants_to_contact

    code = receipt_code(post_report(client, anonymous="0", name="王举报", phone="13900001111"))
    clue = Clue.objects.get()
    office, handler, leader = staff(personas)
    actions.assign(clue, office, handler.unit)
    actions.accept(clue, handler)
    actions.request_conclusion(clue, handler, finding=Finding.UNFOUNDED, result="未发现违法行为。")
    actions.approve(clue, leader)
    assert [c for c, _due, _late in informants_to_contact(Clue.objects.all())] == [clue]
    enter(client, code)
    assert "未查实" in client.get(reverse("intake_mine")).content.decode()
    clue.refresh_from_db()
    assert clue.informant_contacted_on is not None
    assert informants_to_contact(Clue.objects.all()) == []
