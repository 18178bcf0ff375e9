from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        # Changes to measures are audited; scores and answers appear only as "changed".
        from auditlog.registry import auditlog

        from evaluation.models import Administration, MeasureSchedule, Response

        audited = {
            Administration: ["total", "reported_score", "band", "flags", "draft"],
            Response: ["value"],
            MeasureSchedule: [],
        }
        for model, masked in audited.items():
            if not auditlog.contains(model):
                auditlog.register(model, mask_fields=masked)

        # The measure schedule follows the match lifecycle (hooks matching provides).
        from evaluation.services import measures
        from matching.services.lifecycle import MATCH_CLOSED_HOOKS, MATCH_STARTED_HOOKS

        if measures.match_started not in MATCH_STARTED_HOOKS:
            MATCH_STARTED_HOOKS.append(measures.match_started)
        if measures.match_closed not in MATCH_CLOSED_HOOKS:
            MATCH_CLOSED_HOOKS.append(measures.match_closed)

        # Due and overdue measures on the home page; scores on the mentee's page.
        from accounts.views.home import HOME_PANELS
        from accounts.views.profiles import MENTEE_PROFILE_PANELS
        from evaluation.views import measures as measure_views

        for panel in (measure_views.respondent_home_panel, measure_views.coordinator_home_panel):
            if panel not in HOME_PANELS:
                HOME_PANELS.append(panel)
        if measure_views.mentee_profile_panel not in MENTEE_PROFILE_PANELS:
            MENTEE_PROFILE_PANELS.append(measure_views.mentee_profile_panel)

        # How measure reminders read and when they are no longer wanted (outbox delivery).
        from accounts import delivery
        from accounts.views import notifications as notification_views
        from evaluation import notifications

        for kind in notifications.RESPONDENT_KINDS:
            delivery.RENDERERS[kind] = notifications.render_respondent
        for kind in notifications.STAFF_KINDS:
            delivery.RENDERERS[kind] = notifications.render_staff
        for kind, title in notifications.TITLES.items():
            delivery.STILL_RELEVANT[kind] = notifications.still_due
            delivery.TITLES.setdefault(kind, title)
            notification_views.TITLES.setdefault(kind, title)

        # The demo's measures (after the matches and sessions).
        from accounts.demo import DEMO_STEPS
        from evaluation import demo

        if demo.build_measures not in DEMO_STEPS:
            DEMO_STEPS.append(demo.build_measures)

        # A new program gets its measure schedule at once, never on a page's first read.
        from django.db.models.signals import post_save

        from accounts.models import Program

        post_save.connect(
            measures.program_created, sender=Program, dispatch_uid="evaluation-program-defaults"
        )
        # Dashboards, reports and stakeholder feedback loops.
        from evaluation import report_hooks

        report_hooks.register()
