from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    GANG_ORG = "gang_org", _("mafia-type organization")  # 涉黑组织
    EVIL_GROUP = "evil_group", _("evil-force criminal group")  # 恶势力犯罪集团
    EVIL_GANG = "evil_gang", _("evil-force gang")  # 恶势力团伙
    ORDINARY = "ordinary", _("ordinary evil-related case")  # 一般涉恶
    UMBRELLA = "umbrella", _("corruption and protective umbrella")  # 涉黑涉恶腐败和保护伞


# Gang-type cases carry the three checks of 一案三查 (DESIGN §3).
GANG_KINDS = (CaseKind.GANG_ORG, CaseKind.EVIL_GROUP, CaseKind.EVIL_GANG)


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("investigation")  # 侦查 (审查调查 for discipline)
    PROSECUTION = "prosecution", _("review for prosecution")  # 审查起诉
    TRIAL = "trial", _("trial")  # 审判
    CLOSED = "closed", _("closed")  # 办结


class ClosingReason(models.TextChoices):
    JUDGMENT = "judgment", _("judgment in force")  # 判决生效
    NOT_PROSECUTED = "not_prosecuted", _("not prosecuted")  # 不起诉
    WITHDRAWN = "withdrawn", _("case withdrawn")  # 撤销案件
    DISCIPLINE = "discipline", _("disciplinary decision made")  # 纪律审查终结
    OTHER = "other", _("other")


class SuspectRole(models.TextChoices):
    LEADER = "leader", _("ringleader")  # 首要分子
    CORE = "core", _("core member")  # 骨干成员
    MEMBER = "member", _("ordinary member")  # 一般成员


class SuspectOutcome(models.TextChoices):
    AT_LARGE = "at_large", _("at large")  # 在逃
    DETAINED = "detained", _("criminally detained")  # 刑事拘留
    ARRESTED = "arrested", _("arrested")  # 逮捕
    BAILED = "bailed", _("on bail")  # 取保候审
    PROSECUTED = "prosecuted", _("prosecuted")  # 起诉
    SENTENCED = "sentenced", _("sentenced")  # 判处刑罚
    NOT_PROSECUTED = "not_prosecuted", _("not prosecuted")  # 不起诉
    RELEASED = "released", _("released")  # 释放
    OTHER = "other", _("other")


class AssetKind(models.TextChoices):
    VEHICLE = "vehicle", _("vehicles")  # 车辆
    CASH = "cash", _("cash and deposits")  # 现金存款
    PROPERTY = "property", _("real estate")  # 房产
    FINE = "fine", _("fines")  # 罚金
    EQUIPMENT = "equipment", _("equipment")  # 设备（矿机、抽油机…）
    CRUDE_OIL = "crude_oil", _("crude oil")  # 原油
    OTHER = "other", _("other property")


class AssetMeasure(models.TextChoices):
    SEIZED = "seized", _("seized")  # 查封扣押
    FROZEN = "frozen", _("frozen")  # 冻结
    CONFISCATED = "confiscated", _("confiscated")  # 没收/追缴
    FINED = "fined", _("fined")  # 判处罚金


class CheckPart(models.TextChoices):
    CRIME = "crime", _("the crime itself")  # 查涉黑涉恶犯罪
    UMBRELLA = "umbrella", _("the protective umbrella")  # 查保护伞
    FAILURE = "failure", _("regulatory or grassroots failure")  # 查监管失职、基层组织问题


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("not started")  # 未开展
    ONGOING = "ongoing", _("under way")  # 正在核查
    DONE = "done", _("recorded")  # 已查结


class OfficialRank(models.TextChoices):
    BUREAU = "bureau", _("department or bureau level")  # 厅局级
    COUNTY = "county", _("county or division level")  # 县处级
    SECTION = "section", _("township or section level")  # 乡科级
    STAFF = "staff", _("general staff")  # 一般干部
    VILLAGE = "village", _("village cadre")  # 村（社区）干部
    OTHER = "other", _("other")


class OfficialOutcome(models.TextChoices):
    PENDING = "pending", _("under investigation")  # 正在审查
    PARTY = "party", _("party discipline")  # 党纪处分
    GOVERNMENT = "government", _("government sanction")  # 政务处分
    ORGANIZATIONAL = "organizational", _("organizational handling")  # 组织处理
    JUDICIAL = "judicial", _("transferred to judicial organs")  # 移送司法机关
    CLEARED = "cleared", _("no wrongdoing found")  # 予以澄清


class DisposalWay(models.TextChoices):
    """The four ways the discipline commission disposes of a problem clue (四类处置方式)."""

    TALK = "talk", _("talk or written inquiry")  # 谈话函询
    PRELIMINARY = "preliminary", _("preliminary verification")  # 初步核实
    SHELVE = "shelve", _("hold for later")  # 暂存待查
    CLOSE = "close", _("close without action")  # 予以了结


class DisposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("awaiting sign-off")  # 待审批
    APPROVED = "approved", _("in progress")  # 办理中
    REFUSED = "refused", _("refused")  # 未批准
    DONE = "done", _("completed")  # 已办结
