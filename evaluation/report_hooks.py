"""What the reports and stakeholder parts of evaluation register in the hook lists of the
apps below (called once from ``EvaluationConfig.ready``)."""


def register() -> None:
    # Stakeholders' open invitations on their home page; their answers on the mentee's page.
    from accounts.views.home import HOME_PANELS
    from accounts.views.profiles import MENTEE_PROFILE_PANELS
    from evaluation.views import stakeholders

    if stakeholders.stakeholder_home_panel not in HOME_PANELS:
        HOME_PANELS.append(stakeholders.stakeholder_home_panel)
    if stakeholders.mentee_panel not in MENTEE_PROFILE_PANELS:
        MENTEE_PROFILE_PANELS.append(stakeholders.mentee_panel)

    # How "report ready" and stakeholder invitations read (outbox delivery).
    from accounts import delivery
    from accounts.views import notifications as notification_views
    from evaluation import report_notifications as notes

    delivery.RENDERERS["report_ready"] = notes.render_report_ready
    delivery.RENDERERS["stakeholder_invitation"] = notes.render_stakeholder_invitation
    delivery.STILL_RELEVANT["stakeholder_invitation"] = notes.invitation_still_open
    for kind, title in notes.TITLES.items():
        delivery.TITLES.setdefault(kind, title)
        notification_views.TITLES.setdefault(kind, title)

    # The demo: last month's report for each demo program (after the measures).
    from accounts.demo import DEMO_STEPS
    from evaluation import report_demo

    if report_demo.build_reports not in DEMO_STEPS:
        DEMO_STEPS.append(report_demo.build_reports)
