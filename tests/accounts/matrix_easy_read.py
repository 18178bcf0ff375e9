"""Permission-matrix entry for the easy-read switch: every signed-in person may turn their own
easy-read setting on or off, and nobody else's."""

from django.urls import reverse

from tests.matrix import Route, everyone

ROUTES: dict[str, Route] = {
    "accounts:easy_read_switch": Route(
        lambda c: reverse("accounts:easy_read_switch"),
        everyone(302),
        method="post",
        data=lambda c: {"easy_read": "on", "next": reverse("home")},
    ),
}
