"""The Celery app. Tasks live in each app's ``tasks.py``; the beat schedule is here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "record-worker-heartbeat": {
        "task": "accounts.tasks.record_worker_heartbeat",
        "schedule": 30.0,
    },
    "sweep-notifications": {
        "task": "accounts.tasks.sweep_notifications",
        "schedule": 60.0,
    },
}
