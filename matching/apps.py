from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # accounts sits below matching: matching tells it how matches shape what people see.
        from accounts.scoping import MENTOR_MENTEE_SCOPES, MENTOR_PLACES_TAKEN
        from matching import selectors

        MENTOR_MENTEE_SCOPES.append(selectors.mentees_of_my_matches)
        MENTOR_PLACES_TAKEN.append(selectors.with_places_taken)

        # Home-page panels (overdue check-ins, proposals, my mentor / my mentees) and the
        # demo's matches, registered in the hook lists accounts provides for higher apps.
        from accounts.demo import DEMO_STEPS
        from accounts.views.home import HOME_PANELS
        from matching import demo, panels

        HOME_PANELS.extend(p for p in panels.PANELS if p not in HOME_PANELS)
        if demo.build_matches not in DEMO_STEPS:
            DEMO_STEPS.append(demo.build_matches)

        # A "please approve" notification is only worth sending while the match is proposed.
        from accounts.delivery import STILL_RELEVANT
        from matching import notifications

        STILL_RELEVANT["match_awaiting_approval"] = notifications.awaiting_approval_still_relevant

        # Check-ins due, matches with no recent session, the supervisors' approval digest.
        from accounts.delivery import RENDERERS
        from matching import reminders

        STILL_RELEVANT.update(reminders.STILL_RELEVANT)
        RENDERERS.update(reminders.RENDERERS)

        # From mentee to mentor: the closure rule, and the candidates a coordinator may invite.
        from accounts.pathway import selectors as pathway_selectors
        from accounts.pathway import services as pathway_services
        from matching import pathway

        if pathway.closure_blockers not in pathway_services.INVITATION_BLOCKERS:
            pathway_services.INVITATION_BLOCKERS.append(pathway.closure_blockers)
        if pathway.mentees_with_goals_met not in pathway_selectors.INVITATION_CANDIDATES:
            pathway_selectors.INVITATION_CANDIDATES.append(pathway.mentees_with_goals_met)
        # A new program gets its matching settings and checklist at once.
        from django.db.models.signals import post_save

        from accounts.models import Program
        from matching.program_defaults import program_created

        post_save.connect(program_created, sender=Program, dispatch_uid="matching-program-defaults")
        from accounts.pathway import demo as pathway_demo

        if pathway_demo.prepare_invitable_mentee not in DEMO_STEPS:
            DEMO_STEPS.append(pathway_demo.prepare_invitable_mentee)
