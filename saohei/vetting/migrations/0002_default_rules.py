from django.db import migrations


def add(apps, schema_editor):
    from saohei.vetting.defaults import ensure_default_rules

    ensure_default_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("vetting", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
