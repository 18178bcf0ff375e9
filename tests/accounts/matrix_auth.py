"""Permission-matrix entries for the sign-in steps (accounts.auth).

The matrix signs each persona in past the second factor, so the verify page sends everyone
on, the enrolment page (setting up a new app) is for everyone who needs a second factor, and
mentees, who need none, are sent home.
"""

from django.urls import reverse

from tests.matrix import Route, everyone

MENTEES_SENT_ON = {"mentee": 302, "mentee2": 302}

ROUTES: dict[str, Route] = {
    "account:verify": Route(lambda c: reverse("account:verify"), everyone(302)),
    "account:enrol": Route(
        lambda c: reverse("account:enrol"), {**everyone(200), **MENTEES_SENT_ON}
    ),
    "account:recovery_codes": Route(lambda c: reverse("account:recovery_codes"), everyone(302)),
    "account:keep_alive": Route(
        lambda c: reverse("account:keep_alive"), everyone(200), method="post"
    ),
    "account:password_change": Route(lambda c: reverse("account:password_change"), everyone(200)),
}
