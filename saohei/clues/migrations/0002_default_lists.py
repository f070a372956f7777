"""The industries of the campaign's clue ledger and default verification limits; office
admins edit both afterwards."""

from django.db import migrations

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


def add(apps, schema_editor):
    Industry = apps.get_model("clues", "Industry")
    DeadlineRule = apps.get_model("clues", "DeadlineRule")
    for order, name in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(name=name, defaults={"sort_order": order})
    for category, days in LIMITS.items():
        DeadlineRule.objects.get_or_create(category=category, defaults={"workdays": days})


class Migration(migrations.Migration):
    dependencies = [("clues", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
