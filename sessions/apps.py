from django.apps import AppConfig


class MentoringSessionsConfig(AppConfig):
    # The label "sessions" belongs to django.contrib.sessions.
    name = "sessions"
    label = "mentoring_sessions"
    verbose_name = "Mentoring sessions"
