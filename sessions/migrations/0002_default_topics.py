from django.db import migrations
from django.utils.text import slugify

TOPICS = [
    "Coping skills",
    "Relapse prevention",
    "Housing",
    "Employment",
    "Education",
    "Health",
    "Relationships and family",
    "Community and recreation",
    "Resource navigation",
    "Money and benefits",
    "Transportation",
    "Self-advocacy",
    "Treatment and appointments",
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("mentoring_sessions", "Topic")
    for position, name in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "sort_order": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("mentoring_sessions", "0001_sessions_feedback_safety_supervision")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
