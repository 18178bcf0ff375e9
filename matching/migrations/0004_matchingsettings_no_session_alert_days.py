import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_mentor_capacity_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchingsettings",
            name="no_session_alert_days",
            field=models.PositiveSmallIntegerField(
                default=21,
                validators=[
                    django.core.validators.MinValueValidator(7),
                    django.core.validators.MaxValueValidator(120),
                ],
                verbose_name="days without a session before the coordinator is told",
            ),
        ),
    ]
