"""An index on an administration's due date, for the reports' measure completion (the
administrations due in a period, whatever their status; measured by ``bench/reports.py``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_reports")]

    operations = [
        migrations.AddIndex(
            model_name="administration",
            index=models.Index(fields=["due_on"], name="administration_due_on_idx"),
        ),
    ]
