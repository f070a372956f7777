from django.db import migrations


def add(apps, schema_editor):
    from saohei.cases.defaults import ensure_default_lists

    ensure_default_lists(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
