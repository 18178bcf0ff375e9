"""Permission-matrix entries for the accounting of disclosures and the audit log."""

from django.urls import reverse

from tests.matrix import NOT_STAFF, Route

ROUTES: dict[str, Route] = {
    "accounts:disclosure_accounting": Route(
        lambda c: reverse("accounts:disclosure_accounting", args=[c.mentee_profile.pk]),
        {
            "coordinator": 200,
            "supervisor": 200,
            "mentee": 200,
            "outsider": 404,
            "case_manager": 404,
            "mentor": 404,
            "mentor2": 404,
            "mentee2": 404,
        },
        owner_marker="mentee",
    ),
    "accounts:audit_search": Route(
        lambda c: reverse("accounts:audit_search"),
        {"supervisor": 200, "coordinator": 404, "outsider": 404, **NOT_STAFF},
    ),
}
