"""Clues remember when their latest move was made (Clue.last_moved_at), so that figures as
of a day read the row of every clue not moved since, instead of looking its moves up.

The back-fill checks each row against its moves (saohei.clues.asof.settle): a clue whose row
does not hold the state its latest move left keeps NULL and is looked up as before. It runs
before the index is built, so the index is built once. On 1,000,000 clues and 5,000,000
moves (bench/bench_figures.py, SQLite) the migration takes about a minute.
"""

from django.db import migrations, models


def back_fill(apps, schema_editor):
    from saohei.clues.asof import settle

    Clue, Move = apps.get_model("clues", "Clue"), apps.get_model("clues", "Move")
    alias = schema_editor.connection.alias
    settle(Clue.objects.using(alias), Move.objects.using(alias))


def analyze(apps, schema_editor):
    """SQLite's planner needs statistics on the new indexes to use them at scale (as after a
    ledger import, saohei.clues.ledger); PostgreSQL's autovacuum gathers its own."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE clues_clue")


class Migration(migrations.Migration):
    dependencies = [
        ("clues", "0006_figures_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="clue",
            name="clues_clue_figures_pass",
        ),
        migrations.AddField(
            model_name="clue",
            name="last_moved_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(back_fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="clue",
            index=models.Index(
                fields=[
                    *("id", "received_on", "last_moved_at", "status", "assigned_unit"),
                    *("deadline", "jurisdiction", "led_to_case", "concluded_on"),
                ],
                name="clues_clue_figures_state",
            ),
        ),
        migrations.AddIndex(
            model_name="clue",
            index=models.Index(
                fields=[
                    *("status", "assigned_unit", "deadline"),
                    *("received_on", "last_moved_at", "jurisdiction"),
                ],
                name="clues_clue_figures_rows",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]
