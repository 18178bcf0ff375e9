from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_notification_channels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("participation", "Take part in the program"),
                    ("share_case_manager", "Share progress with my case manager"),
                    ("share_mentor", "Share my progress on measures with my mentor"),
                    ("research", "Use my de-identified answers for research"),
                    ("contact_email", "Contact me by email"),
                    ("contact_sms", "Contact me by text message"),
                    ("contact_phone", "Contact me by phone"),
                ],
                max_length=30,
                verbose_name="consent to",
            ),
        ),
    ]
