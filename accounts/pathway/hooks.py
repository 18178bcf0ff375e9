"""What the pathway registers when the accounts app is ready (called from
``accounts.apps``): audit, the admin, email renderers, home panels and the demo's training
records."""

from auditlog.registry import auditlog

AUDITED = [
    "Application",
    "ScreeningStep",
    "StatusChange",
    "TrainingModule",
    "TrainingSession",
    "TrainingAttendance",
    "RolePlayAssessment",
    "CompetencyRating",
    "Certification",
    "EmploymentOutcome",
    "MentorInvitation",
    "PathwaySettings",
    "WellbeingCheckIn",
]
# The check-in's own words are private: the log says they changed, never what they say.
MASKED = {"WellbeingCheckIn": ["note"], "Application": ["motivation"]}


def ready() -> None:
    from django.apps import apps

    for name in AUDITED:
        model = apps.get_model("accounts", name)
        if not auditlog.contains(model):
            auditlog.register(model, mask_fields=MASKED.get(name, []))

    from accounts.pathway import admin, notifications

    admin.register()

    notifications.register()

    from accounts.pathway import panels
    from accounts.views.home import HOME_PANELS

    for panel in (panels.supervisor_panel, panels.mentor_panel):
        if panel not in HOME_PANELS:
            HOME_PANELS.append(panel)

    from accounts.demo import DEMO_STEPS
    from accounts.pathway import demo

    # Before matching's step: demo mentors must be trained to be matched.
    if demo.train_demo_mentors not in DEMO_STEPS:
        DEMO_STEPS.insert(0, demo.train_demo_mentors)
