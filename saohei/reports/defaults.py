"""The default list of monthly indicators (月度指标): figures the briefing needs that live in
other systems. Installed by migration 0002 (additive get_or_create, so editing the list later
never undoes a user's changes) and usable by the demo on a flushed test database.

Each entry: code, name, unit of measure (计量单位), the unit kinds that report it (empty: any
unit, the office included).
"""

INDICATORS = [
    ("police_calls", "接警数", "起", ["police"]),
    ("cases_accepted", "受理案件数", "件", ["police"]),
    ("publicity_items", "宣传品发放数", "份", []),
    ("media_reports", "媒体报道数", "篇", []),
    ("publicity_events", "宣传活动场次", "场", []),
]


def ensure_default_indicators(apps=None) -> None:
    if apps is None:
        from django.apps import apps
    Indicator = apps.get_model("reports", "Indicator")
    for order, (code, name, measure, kinds) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            code=code,
            defaults={"name": name, "measure": measure, "unit_kinds": kinds, "sort_order": order},
        )
