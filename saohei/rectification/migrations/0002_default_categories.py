"""The five categories of the city inspection's feedback; the office head edits the list
afterwards."""

from django.db import migrations

CATEGORIES = ["政治站位", "依法严惩", "综合治理", "深挖彻查", "组织领导"]


def add(apps, schema_editor):
    ProblemCategory = apps.get_model("rectification", "ProblemCategory")
    for order, name in enumerate(CATEGORIES, start=1):
        ProblemCategory.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("rectification", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
