"""The Celery app. Tasks live in each app's ``tasks.py``; the beat schedule is here.

``NOTIFICATION_SWEEP_SECONDS`` (default 60) sets how often beat sweeps the outbox.
"""

import os

from celery import Celery
from celery.schedules import crontab

from mentorship.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "record-worker-heartbeat": {
        "task": "accounts.tasks.record_worker_heartbeat",
        "schedule": 30.0,
    },
    # The audit trail's hash chain (accounts.audit_chain): no lock per request, a seal per batch.
    "seal-audit-trail": {
        "task": "accounts.tasks.seal_audit_trail",
        "schedule": 300.0,
    },
    "sweep-notifications": {
        "task": "accounts.tasks.sweep_notifications",
        "schedule": float(env_int("NOTIFICATION_SWEEP_SECONDS", 60, minimum=1)),
    },
    # Safety alerts nobody acknowledged in time go to every supervisor of the program and
    # the center (once: the alert's escalated_at and the outbox rows' unique keys).
    "escalate-safety-alerts": {
        "task": "sessions.tasks.escalate_safety_alerts",
        "schedule": 60.0,
    },
    # Matching's reminders: rows with unique keys, so running twice queues nothing new.
    "queue-match-reminders": {
        "task": "matching.tasks.queue_match_reminders",
        "schedule": crontab(minute=15),
    },
    "queue-approval-digests": {
        "task": "matching.tasks.queue_approval_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Outcome measures past their answering window become missed (idempotent).
    "mark-missed-measures": {
        "task": "evaluation.tasks.mark_missed_measures",
        "schedule": crontab(hour=5, minute=30),
    },
    # Certification reminders: unique keys, so a re-run queues nothing new.
    "remind-expiring-certifications": {
        "task": "accounts.pathway.tasks.remind_expiring_certifications",
        "schedule": crontab(hour=6, minute=30),
    },
    # Evaluation reports: last month's and last quarter's per program, once each (a unique
    # constraint), re-queueing any build a lost worker left behind; hourly is cheap.
    "build-periodic-reports": {
        "task": "evaluation.report_tasks.build_periodic_reports",
        "schedule": crontab(minute=40),
    },
    # Stakeholder feedback: this quarter's invitation per consented case manager, once each.
    "invite-stakeholders": {
        "task": "evaluation.report_tasks.invite_stakeholders",
        "schedule": crontab(hour=9, minute=10),
    },
}
