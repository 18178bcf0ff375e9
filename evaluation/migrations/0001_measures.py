from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0003_notification_channels"),
    ]

    operations = []
