"""What every page reached by a one-time link (feedback, measures, stakeholder forms) sends."""

from django.http import HttpResponse


def protect_link_response(response: HttpResponse) -> HttpResponse:
    """The address is the key to the page: it is never cached, never indexed and never sent to
    another site in a Referer. Same-origin requests keep their Referer, so the form's POST
    carries an Origin that CSRF protection accepts (``no-referrer`` makes it ``null``)."""
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
