"""The checklist's "meetings held with records" item is now read from the register of rules
and meetings (saohei.campaigns), and a "rules set" item is added beside it; the weight the
meetings item had is shared between the two unless the office changed it."""

from django.db import migrations


def register_items(apps, schema_editor):
    AssessmentItem = apps.get_model("oversight", "AssessmentItem")
    meetings = AssessmentItem.objects.filter(code="meetings", method="evidence").first()
    if meetings is not None:
        meetings.method = "meetings"
        meetings.description = "考核期内召开专题会议并有会议记录（按会议登记计算）"
        if meetings.weight == 10:
            meetings.weight = 5
        meetings.save()
    if not AssessmentItem.objects.filter(code="rules").exists():
        AssessmentItem.objects.create(
            code="rules",
            name="建立制度机制",
            description="本单位制定并有效的扫黑除恶制度机制（按制度机制登记计算）",
            weight=5,
            method="rules",
            target=1,
            sort_order=(meetings.sort_order if meetings else 2),
        )


class Migration(migrations.Migration):
    dependencies = [("oversight", "0003_period_dates"), ("campaigns", "0001_initial")]
    operations = [migrations.RunPython(register_items, migrations.RunPython.noop)]
