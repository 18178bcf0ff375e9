"""Permission-matrix entries for the staff list of undelivered reminders."""

from django.urls import reverse

from tests.matrix import NOT_STAFF, STAFF, Route

ROUTES: dict[str, Route] = {
    "accounts:undelivered_notifications": Route(
        lambda c: reverse("accounts:undelivered_notifications"),
        {**STAFF, "outsider": 200, **NOT_STAFF},
        lists_many=True,
    ),
}
