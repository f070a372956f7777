from django.db import migrations


def add(apps, schema_editor):
    from saohei.reports.defaults import ensure_default_indicators

    ensure_default_indicators(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
