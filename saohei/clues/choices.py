from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("awaiting routing")  # 待分流
    ASSIGNED = "assigned", _("assigned")  # 已交办
    VERIFYING = "verifying", _("being verified")  # 正在核查
    AWAITING_APPROVAL = "awaiting_approval", _("conclusion awaiting approval")  # 查结待审批
    INTERIM = "interim", _("concluded for this stage")  # 阶段性查结
    CONCLUDED = "concluded", _("concluded")  # 查结
    PARKED = "parked", _("parked")  # 暂存待查
    MERGED = "merged", _("merged as duplicate")  # 已并案


# Still being worked on: deadlines run, and the unit is late when they pass.
OPEN_STATUSES = (Status.ASSIGNED, Status.VERIFYING, Status.AWAITING_APPROVAL)


class Source(models.TextChoices):
    PUBLIC = "public", _("public report")
    SUPERIOR = "superior", _("assigned by a superior")
    MEMBER_UNIT = "member_unit", _("handed over by a member unit")
    PETITION = "petition", _("petition")
    INSPECTION = "inspection", _("inspection")
    SELF = "self", _("found by the office")


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    WEB = "web", _("web")
    DOCUMENT = "document", _("official document")
    OTHER = "other", _("other")


class Category(models.TextChoices):
    GANG = "gang", _("gang-related")
    EVIL_FORCE = "evil_force", _("evil force")
    UMBRELLA = "umbrella", _("protective umbrella or corruption")
    INDUSTRY_DISORDER = "industry_disorder", _("industry disorder")
    OIL = "oil", _("oil-field crime")
    ROUTINE_LOAN = "routine_loan", _("routine loan")
    RURAL = "rural", _("rural gang and evil")
    OTHER = "other", _("other")


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("substantiated")
    PARTLY = "partly", _("partly substantiated")
    UNFOUNDED = "unfounded", _("unfounded")


class NoticeLevel(models.TextChoices):
    REMIND = "remind", _("reminder")  # 提醒
    URGE = "urge", _("urge")  # 催办
    SUPERVISE = "supervise", _("supervision")  # 督办
    LISTED = "listed", _("listed supervision")  # 挂牌督办


class Decision(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class RewardStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    PAID = "paid", _("paid")
