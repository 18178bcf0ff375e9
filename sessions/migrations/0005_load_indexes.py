"""An index on a session's start, for the reports and dashboards that select one period's
sessions across all the matches of many programs (measured by ``bench/reports.py``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mentoring_sessions", "0004_feedback_helped")]

    operations = [
        migrations.AddIndex(
            model_name="mentoringsession",
            index=models.Index(fields=["starts_at"], name="session_starts_at_idx"),
        ),
    ]
