"""The default list of charges and the discipline commission's default limits. Installed by
migration 0002 (additive get_or_create, so editing the lists later never undoes a user's
changes) and by the demo, which must work on a flushed test database."""

CHARGES = [
    "组织、领导、参加黑社会性质组织",
    "寻衅滋事",
    "敲诈勒索",
    "强迫交易",
    "非法采矿",
    "开设赌场",
    "诈骗（套路贷）",
    "盗窃",
    "抢劫",
    "故意伤害",
    "非法拘禁",
    "聚众斗殴",
    "破坏生产经营",
    "非法经营",
    "高利转贷",
    "受贿",
    "滥用职权",
    "玩忽职守",
    "徇私枉法",
]
# Working days per disposal way (谈话函询, 初步核实, 暂存待查, 予以了结).
DISPOSAL_LIMITS = {"talk": 15, "preliminary": 15, "shelve": 60, "close": 5}


def ensure_default_lists(apps=None) -> None:
    if apps is None:
        from django.apps import apps
    Charge = apps.get_model("cases", "Charge")
    DisposalRule = apps.get_model("cases", "DisposalRule")
    for order, name in enumerate(CHARGES):
        Charge.objects.get_or_create(name=name, defaults={"sort_order": order})
    for way, days in DISPOSAL_LIMITS.items():
        DisposalRule.objects.get_or_create(way=way, defaults={"workdays": days})
