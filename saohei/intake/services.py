"""The portal's rules: a report becomes a clue (through the clue app's action function, in
one transaction), the reporter and the office write to each other, and the conclusion of the
clue reaches the reporter's page as feedback."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saohei.clues import actions
from saohei.clues.choices import Channel, Finding, RewardStatus, Source, Status
from saohei.clues.models import Clue
from saohei.clues.transitions import handling_unit, office
from saohei.core.context import acting_as
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit, User

from . import receipts
from .choices import Behaviour, Umbrella, When
from .models import Message, MessageKind, Report

PORTAL_USERNAME = "portal"
SUMMARY_MAX = 500


class PortalClosed(Exception):
    """No campaign office to receive reports yet."""


def keep_ip() -> bool:
    return bool(getattr(settings, "SAOHEI_PORTAL_KEEP_IP", False))


def portal_account() -> User:
    """The account that registers portal reports (网上举报平台): it cannot log in. Its unit is
    the office that receives them; move the account to another office to change that."""
    account = (
        User.objects.select_related("unit__jurisdiction").filter(username=PORTAL_USERNAME).first()
    )
    if account is not None:
        return account
    # A district's office rather than the city's: the district verifies the reports.
    unit = (
        Unit.objects.filter(kind=UnitKind.OFFICE, is_active=True)
        .order_by(
            F("jurisdiction__parent_id").desc(nulls_last=True),
            "jurisdiction__code",
            "sort_order",
            "pk",
        )
        .first()
    )
    if unit is None:
        raise PortalClosed
    account = User(username=PORTAL_USERNAME, full_name="网上举报平台", unit=unit, title="举报平台")
    account.set_unusable_password()
    account.save()
    account.groups.set(Group.objects.filter(name=Role.OFFICE_STAFF))
    return User.objects.select_related("unit__jurisdiction").get(pk=account.pk)


def place_choices() -> list[tuple[str, str]]:
    """The towns and streets of the receiving office's district, then "elsewhere"."""
    try:
        jurisdiction = portal_account().unit.jurisdiction_id
    except PortalClosed:
        return []
    towns = Unit.objects.filter(
        kind=UnitKind.TOWNSHIP, jurisdiction_id=jurisdiction, is_active=True
    ).order_by("sort_order", "name")
    return [(u.short_name or u.name, u.short_name or u.name) for u in towns]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clue_text(data: dict) -> dict:
    """The clue's fields from the four parts of the form. Labels in Chinese: the clue is the
    office's record, whatever language the reporter used."""
    with translation.override("zh-hans"):
        behaviours = "、".join(str(Behaviour(b).label) for b in data.get("behaviours", []))
        when = str(When(data["when"]).label) if data.get("when") else ""
        place = "".join(p for p in (data.get("place_area", ""), data.get("place_detail", "")) if p)
        lines = [
            ("来源", "网上举报平台"),
            ("被举报对象", data["subjects"]),
            ("对象情况", data.get("subject_details", "")),
            ("主要问题", behaviours),
            ("发生地点", place),
            ("发生时间", " ".join(p for p in (when, data.get("when_detail", "")) if p)),
            ("具体情况", data["description"]),
        ]
        if data.get("umbrella") == Umbrella.YES:
            lines += [
                ("涉嫌保护伞", data.get("umbrella_who", "")),
                ("保护伞情况", data.get("umbrella_what", "")),
            ]
    return {
        "subjects": _clip(data["subjects"], 500),
        "place": _clip(place, 200),
        "summary": _clip(" ".join(data["description"].split()), SUMMARY_MAX),
        "full_text": "\n".join(f"【{k}】{v}" for k, v in lines if v),
    }


def _store(clue: Clue, account: User, files, saved: list) -> list:
    attachments = []
    for name, content in files:
        attachment = actions.attach(clue, account, ContentFile(content, name=name))
        saved.append(attachment.file)
        attachments.append(attachment)
    return attachments


def _remove(saved: list) -> None:
    """Files written before a rollback: the database forgot them, so must the disk."""
    for stored in saved:
        stored.storage.delete(stored.name)


def submit(
    data: dict, files: list[tuple[str, bytes]], *, ip: str = "", code: str | None = None
) -> tuple[Report, str]:
    """A new clue in 待分流 from the public web, its files and its receipt; all or nothing.
    Returns the report and the receipt code, which is stored nowhere. (`code` is for the
    demo data only: a real report always gets a random one.)"""
    account = portal_account()
    code = code or receipts.new_code()
    lookup, code_hash = receipts.protect(code)
    ip = ip if keep_ip() else ""
    saved: list = []
    named = not data.get("anonymous", True)
    try:
        with acting_as(account, name=PORTAL_USERNAME, ip=ip), transaction.atomic():
            clue = actions.register(
                account,
                received_on=timezone.localdate(),
                source=Source.PUBLIC,
                channel=Channel.WEB,
                category=data["category"],
                anonymous=not named,
                informant_name=data.get("name", "") if named else "",
                informant_phone=data.get("phone", "") if named else "",
                informant_id_number=data.get("id_number", "") if named else "",
                **clue_text(data),
            )
            report = Report.objects.create(
                clue=clue,
                lookup=lookup,
                code_hash=code_hash,
                submitted_at=timezone.now(),
                source_ip=ip or None,
            )
            _store(clue, account, files, saved)
    except BaseException:
        _remove(saved)
        raise
    return report, code


# The reporter's side -------------------------------------------------------------------------

PLAIN_STATUS = {
    Status.RECEIVED: "received",
    Status.ASSIGNED: "verifying",
    Status.VERIFYING: "verifying",
    Status.AWAITING_APPROVAL: "reviewing",
    Status.INTERIM: "interim",
    Status.CONCLUDED: "concluded",
    Status.PARKED: "parked",
}


def plain_status(clue: Clue) -> str:
    """A key for the plain words the reporter reads (the template words it), following a
    merged clue to the one that carries on."""
    seen = 0
    while clue.status == Status.MERGED and clue.merged_into_id and seen < 10:
        clue = clue.merged_into
        seen += 1
    return PLAIN_STATUS.get(clue.status, "verifying")


def reporter_post(
    report: Report,
    kind: str,
    text: str,
    files: list[tuple[str, bytes]] = (),
    *,
    answers: Message | None = None,
    ip: str = "",
) -> Message:
    """An answer to the office's question, more information or files, or a reward claim."""
    if kind not in (MessageKind.ANSWER, MessageKind.INFO, MessageKind.CLAIM):
        raise PermissionDenied
    text = text.strip()
    if not text and not files:
        raise actions.WorkflowError(_("Write something or add a file."))
    if answers is not None and (answers.report_id != report.pk or answers.kind != "question"):
        raise PermissionDenied
    account = portal_account()
    saved: list = []
    try:
        with (
            acting_as(account, name=PORTAL_USERNAME, ip=ip if keep_ip() else ""),
            transaction.atomic(),
        ):
            message = Message.objects.create(
                report=report, kind=kind, text=text or "（补充材料）", answers=answers
            )
            message.attachments.set(_store(report.clue, account, files, saved))
            Report.objects.filter(pk=report.pk).update(reporter_seen_at=timezone.now())
    except BaseException:
        _remove(saved)
        raise
    return message


def feedback_read(report: Report) -> None:
    """A named reporter who opens the page after the feedback has been told the result: the
    clue records it (so the office's list of informants to tell does not keep it)."""
    clue = report.clue
    if (
        clue.anonymous
        or clue.status != Status.CONCLUDED
        or clue.informant_contacted_on is not None
        or not report.messages.filter(kind=MessageKind.FEEDBACK).exists()
    ):
        return
    account = portal_account()
    with acting_as(account, name=PORTAL_USERNAME):
        actions.record_informant_contact(clue, account, on=timezone.localdate())


def open_questions(report: Report) -> list[Message]:
    answered = set(
        report.messages.filter(kind=MessageKind.ANSWER, answers__isnull=False).values_list(
            "answers_id", flat=True
        )
    )
    return [m for m in report.messages.filter(kind=MessageKind.QUESTION) if m.pk not in answered]


def rewards_for(report: Report):
    """Rewards decided for the report's clue that the reporter may collect or has collected."""
    return report.clue.rewards.filter(status__in=[RewardStatus.APPROVED, RewardStatus.PAID])


def claimable(report: Report) -> list:
    """Approved rewards not paid yet, unless the reporter claimed them since the last one was
    approved."""
    rewards = list(rewards_for(report).filter(status=RewardStatus.APPROVED))
    latest = max((r.decided_at for r in rewards), default=None)
    if latest and report.messages.filter(kind=MessageKind.CLAIM, created_at__gt=latest):
        return []
    return rewards


def claim_reward(report: Report, *, ip: str = "") -> Message:
    rewards = claimable(report)
    if not rewards:
        if rewards_for(report).filter(status=RewardStatus.APPROVED).exists():
            raise actions.WorkflowError(_("You have already asked to collect this reward."))
        raise actions.WorkflowError(_("There is no approved reward to collect."))
    total = sum(r.amount for r in rewards)
    return reporter_post(
        report,
        MessageKind.CLAIM,
        f"举报人凭受理回执码申请领取举报奖励{total:,.0f}元，将携带回执码到区扫黑办办理。",
        ip=ip,
    )


# The office's side ---------------------------------------------------------------------------


def may_write(user, clue: Clue) -> bool:
    """The office and the unit verifying the clue write to the reporter."""
    return office(user, clue) or handling_unit(user, clue)


def office_post(report: Report, user, kind: str, text: str) -> Message:
    if kind not in (MessageKind.QUESTION, MessageKind.REPLY):
        raise PermissionDenied
    clue = Clue.objects.editable_by(user).filter(pk=report.clue_id).first()
    if clue is None or not may_write(user, clue):
        raise PermissionDenied(_("Only the office and the handling unit write to the reporter."))
    if not text.strip():
        raise actions.WorkflowError(_("Write the message to the reporter."))
    with transaction.atomic():
        Message.objects.filter(report=report, read_at__isnull=True).exclude(
            kind__in=[MessageKind.QUESTION, MessageKind.REPLY, MessageKind.FEEDBACK]
        ).update(read_at=timezone.now())
        return Message.objects.create(report=report, kind=kind, text=text.strip(), author=user)


FINDING_WORDS = {
    Finding.SUBSTANTIATED: "经核查，您反映的问题属实，已依法依规处理。",
    Finding.PARTLY: "经核查，您反映的问题部分属实，已依法依规处理。",
    Finding.UNFOUNDED: "经核查，您反映的问题未查实。如有新的情况，欢迎继续反映。",
}


def conclusion_feedback(clue_id: int, actor=None) -> list[Message]:
    """At conclusion, the result goes to the page of each reporter of the clue (and of the
    clues merged into it). One query when the clue came from elsewhere (imports, phones)."""
    reports = list(Report.objects.filter(Q(clue_id=clue_id) | Q(clue__merged_into_id=clue_id)))
    if not reports:
        return []
    clue = Clue.objects.get(pk=clue_id)
    text = FINDING_WORDS.get(clue.finding, "您反映的问题已查结。")
    if clue.result:
        text = f"{text}\n{clue.result}"
    return [
        Message.objects.create(report=r, kind=MessageKind.FEEDBACK, text=text, author=actor)
        for r in reports
    ]
