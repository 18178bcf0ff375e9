"""Permission-matrix entries for the accounts app's routes."""

from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from tests.matrix import NOT_STAFF, STAFF, Route, everyone


def _mentee_notification(c):
    return Notification.objects.create(
        recipient=c.mentee,
        kind="feedback_invitation",
        channel=Notification.Channel.IN_APP,
        key=f"matrix-notification:{c.mentee.pk}",
        state=Notification.State.SENT,
        sent_at=timezone.now(),
    )


ROUTES: dict[str, Route] = {
    "home": Route(lambda c: reverse("home"), everyone(200)),
    "accounts:my_settings": Route(lambda c: reverse("accounts:my_settings"), everyone(200)),
    "accounts:notification_list": Route(
        lambda c: reverse("accounts:notification_list"), everyone(200)
    ),
    "accounts:notification_read": Route(
        lambda c: reverse("accounts:notification_read", args=[_mentee_notification(c).pk]),
        {**{k: 404 for k in everyone(404)}, "mentee": 302},
        method="post",
    ),
    "accounts:notification_read_all": Route(
        lambda c: reverse("accounts:notification_read_all"), everyone(302), method="post"
    ),
    "accounts:mentee_list": Route(
        lambda c: reverse("accounts:mentee_list"),
        {**STAFF, "outsider": 200, **NOT_STAFF},
        owner_marker="mentee",
        lists_many=True,
    ),
    "accounts:mentee_create": Route(
        lambda c: reverse("accounts:mentee_create"), {**STAFF, "outsider": 200, **NOT_STAFF}
    ),
    "accounts:mentee_detail": Route(
        lambda c: reverse("accounts:mentee_detail", args=[c.mentee_profile.pk]),
        {
            **STAFF,
            "mentor": 200,
            "mentee": 200,
            "case_manager": 200,
            "mentor2": 404,
            "mentee2": 404,
            "outsider": 404,
        },
        owner_marker="mentee",
    ),
    "accounts:mentee_edit": Route(
        lambda c: reverse("accounts:mentee_edit", args=[c.mentee_profile.pk]),
        {**STAFF, "outsider": 404, **NOT_STAFF},
    ),
    "accounts:mentor_list": Route(
        lambda c: reverse("accounts:mentor_list"), {**STAFF, "outsider": 200, **NOT_STAFF}
    ),
    "accounts:mentor_create": Route(
        lambda c: reverse("accounts:mentor_create"), {**STAFF, "outsider": 200, **NOT_STAFF}
    ),
    "accounts:mentor_detail": Route(
        lambda c: reverse("accounts:mentor_detail", args=[c.mentor_profile.pk]),
        {**STAFF, **NOT_STAFF, "mentor": 200, "outsider": 404},
    ),
    "accounts:mentor_edit": Route(
        lambda c: reverse("accounts:mentor_edit", args=[c.mentor_profile.pk]),
        {**STAFF, "outsider": 404, **NOT_STAFF},
    ),
    "accounts:consent_create": Route(
        lambda c: reverse("accounts:consent_create", args=[c.mentee_profile.pk]),
        {**STAFF, "outsider": 404, **NOT_STAFF},
    ),
    "accounts:consent_revoke": Route(
        lambda c: reverse("accounts:consent_revoke", args=[c.mentee_profile.consents.get().pk]),
        {**STAFF, "mentee": 302, **{k: 404 for k in NOT_STAFF if k != "mentee"}, "outsider": 404},
        method="post",
    ),
    "accounts:goal_create": Route(
        lambda c: reverse("accounts:goal_create", args=[c.mentee_profile.pk]),
        {**STAFF, **NOT_STAFF, "mentor": 200, "mentee": 200, "outsider": 404},
    ),
    "accounts:goal_edit": Route(
        lambda c: reverse("accounts:goal_edit", args=[c.goal.pk]),
        {**STAFF, **NOT_STAFF, "mentor": 200, "mentee": 200, "outsider": 404},
        owner_marker="mentee",
    ),
    "accounts:goal_progress": Route(
        lambda c: reverse("accounts:goal_progress", args=[c.goal.pk]),
        {**STAFF, **NOT_STAFF, "mentor": 302, "mentee": 302, "outsider": 404},
        method="post",
        data=lambda c: {
            "status": "in_progress",
            "date": timezone.localdate().isoformat(),
            "note": "Went to a viewing",
        },
    ),
    "accounts:goal_step_toggle": Route(
        lambda c: reverse("accounts:goal_step_toggle", args=[c.goal.steps.create(text="Call").pk]),
        {**STAFF, **NOT_STAFF, "mentor": 302, "mentee": 302, "outsider": 404},
        method="post",
    ),
    "accounts:import_upload": Route(
        lambda c: reverse("accounts:import_upload"), {**STAFF, "outsider": 200, **NOT_STAFF}
    ),
    "accounts:import_confirm": Route(
        lambda c: reverse("accounts:import_confirm"),
        {**STAFF, "outsider": 200, **NOT_STAFF},
        method="post",
    ),
    "accounts:import_template": Route(
        lambda c: reverse("accounts:import_template", args=["mentee"]),
        {**STAFF, "outsider": 200, **NOT_STAFF},
    ),
}
# Staff's successful single actions redirect back to the record.
ROUTES["accounts:consent_revoke"].expect.update({"coordinator": 302, "supervisor": 302})
ROUTES["accounts:goal_progress"].expect.update({"coordinator": 302, "supervisor": 302})
ROUTES["accounts:goal_step_toggle"].expect.update({"coordinator": 302, "supervisor": 302})
