from django.db import migrations


def add(apps, schema_editor):
    from saohei.oversight.defaults import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
