from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """How an assessment item is answered: by the unit with evidence, or from the records."""

    EVIDENCE = "evidence", _("answered with evidence")
    STAFF = "staff", _("staff counts")
    CLUES = "clues", _("computed: clues handed over")
    PUBLICITY = "publicity", _("computed: publicity activities")
    RECTIFICATION = "rectification", _("computed: rectification on time")
    # From the register of rules and meetings (saohei.campaigns).
    MEETINGS = "meetings", _("computed: meetings held with records")
    RULES = "rules", _("computed: rules and mechanisms in force")


COMPUTED = (Method.CLUES, Method.PUBLICITY, Method.RECTIFICATION, Method.MEETINGS, Method.RULES)


class PublicityKind(models.TextChoices):
    BANNER = "banner", _("banner")
    BROCHURE = "brochure", _("brochure")
    POSTER = "poster", _("poster")
    LEAFLET = "leaflet", _("leaflet")
    PERFORMANCE = "performance", _("art performance")
    COMIC = "comic", _("comic")
    NEW_MEDIA = "new_media", _("new media")
    CASE_TALK = "case_talk", _("typical case talk")
    OTHER = "other", _("other")


# The measure word a document counts each kind in (document prose, not UI text).
KIND_MEASURES = {
    PublicityKind.BANNER: "条",
    PublicityKind.BROCHURE: "册",
    PublicityKind.POSTER: "张",
    PublicityKind.LEAFLET: "份",
    PublicityKind.PERFORMANCE: "场",
    PublicityKind.COMIC: "幅",
    PublicityKind.NEW_MEDIA: "条",
    PublicityKind.CASE_TALK: "场",
    PublicityKind.OTHER: "件",
}
# How a document names each kind (the ledger's 形式 column takes these too).
KIND_NAMES = {
    PublicityKind.BANNER: "条幅",
    PublicityKind.BROCHURE: "手册",
    PublicityKind.POSTER: "海报",
    PublicityKind.LEAFLET: "宣传单",
    PublicityKind.PERFORMANCE: "文艺汇演",
    PublicityKind.COMIC: "漫画",
    PublicityKind.NEW_MEDIA: "新媒体",
    PublicityKind.CASE_TALK: "典型案例宣讲",
    PublicityKind.OTHER: "其他",
}


class FundPurpose(models.TextChoices):
    VERIFICATION = "verification", _("clue verification")
    CASES = "cases", _("case handling")
    PUBLICITY = "publicity", _("publicity")
    TRAINING = "training", _("training")
    EQUIPMENT = "equipment", _("equipment")
    OFFICE = "office", _("office work")
    REWARD = "reward", _("rewards for reports")
    OTHER = "other", _("other")


# Rewards are counted from the clues' reward payouts, never entered by hand (no double count).
MANUAL_PURPOSES = [(v, label) for v, label in FundPurpose.choices if v != FundPurpose.REWARD]

PURPOSE_NAMES = {
    FundPurpose.VERIFICATION: "线索核查",
    FundPurpose.CASES: "案件办理",
    FundPurpose.PUBLICITY: "宣传发动",
    FundPurpose.TRAINING: "培训",
    FundPurpose.EQUIPMENT: "装备",
    FundPurpose.OFFICE: "办公",
    FundPurpose.REWARD: "举报奖励",
    FundPurpose.OTHER: "其他",
}
