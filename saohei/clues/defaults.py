"""The default industries and verification limits (also installed by migration 0002, which
keeps its own frozen copy). Demo data calls this so it works on a flushed test database."""

INDUSTRIES = [
    "自然资源",
    "交通运输",
    "工程建设",
    "金融放贷",
    "市场流通",
    "文化旅游",
    "教育卫生",
    "其他",
]
LIMITS = {
    "gang": 30,
    "evil_force": 20,
    "umbrella": 30,
    "industry_disorder": 15,
    "oil": 20,
    "routine_loan": 20,
    "rural": 20,
    "other": 15,
}


def ensure_default_lists() -> None:
    from .models import DeadlineRule, Industry

    for order, name in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(name=name, defaults={"sort_order": order})
    for category, days in LIMITS.items():
        DeadlineRule.objects.get_or_create(category=category, defaults={"workdays": days})
