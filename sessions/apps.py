from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringSessionsConfig(AppConfig):
    # The label "sessions" belongs to django.contrib.sessions.
    name = "sessions"
    label = "mentoring_sessions"
    verbose_name = _("Mentoring sessions")

    def ready(self):
        # Home-page panels, registered in the hook list accounts provides for higher apps.
        from accounts.views.home import HOME_PANELS
        from sessions.views import feedback, home_easy_read, logs, supervision

        # Open safety alerts come first on a supervisor's home, above every other panel.
        if supervision.supervisor_home_panel not in HOME_PANELS:
            HOME_PANELS.insert(0, supervision.supervisor_home_panel)
        for panel in (
            logs.mentor_home_panel,
            feedback.mentee_home_panel,
            home_easy_read.mentee_next_session_panel,
            supervision.mentor_home_panel,
        ):
            if panel not in HOME_PANELS:
                HOME_PANELS.append(panel)

        # Supervision meetings, for the mentor pathway's supervision cadence.
        from accounts.pathway.selectors import SUPERVISION_DATES
        from sessions import pathway

        if pathway.supervision_dates not in SUPERVISION_DATES:
            SUPERVISION_DATES.append(pathway.supervision_dates)

        # The demo's resources, sessions, feedback and group sessions (after the matches).
        from accounts.demo import DEMO_STEPS
        from sessions import demo

        if demo.build_sessions not in DEMO_STEPS:
            DEMO_STEPS.append(demo.build_sessions)

        # Health signals on the matching board and sessions on a match's timeline.
        from matching.selectors import MATCH_HEALTH_ANNOTATIONS, MATCH_TIMELINE_SOURCES
        from sessions import match_health

        if match_health.with_session_health not in MATCH_HEALTH_ANNOTATIONS:
            MATCH_HEALTH_ANNOTATIONS.append(match_health.with_session_health)
        if match_health.session_timeline not in MATCH_TIMELINE_SOURCES:
            MATCH_TIMELINE_SOURCES.append(match_health.session_timeline)

        # How feedback invitations read and when they are no longer wanted (outbox delivery).
        from accounts.delivery import RENDERERS, STILL_RELEVANT
        from sessions import notifications

        for kind in notifications.FEEDBACK_KINDS:
            RENDERERS[kind] = notifications.render_feedback
            STILL_RELEVANT[kind] = notifications.feedback_still_wanted
        for kind in notifications.REMINDER_KINDS:
            STILL_RELEVANT[kind] = notifications.session_still_scheduled
            RENDERERS[kind] = notifications.render_session_reminder
        from accounts.delivery import ALWAYS_DELIVERED, TITLES

        for kind in notifications.SAFETY_KINDS:
            RENDERERS[kind] = notifications.render_safety_alert
            STILL_RELEVANT[kind] = notifications.safety_alert_unresolved
            ALWAYS_DELIVERED.add(kind)
        TITLES.setdefault(
            "safety_alert_escalated", _("Escalated: a safety alert has not been acknowledged")
        )
