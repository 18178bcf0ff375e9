"""``/ping``: the cheapest page the application serves.

A short fixed text through the whole middleware stack, with no database query and no
template: the benchmark (``bench/web``) measures every page against it, so the ratio shows
what a page costs beyond the framework and the middleware. Public, like ``/healthz``, and
it says nothing about the deployment.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

PING_TEXT = "pong\n"


@require_GET
def ping(request):
    return HttpResponse(PING_TEXT, content_type="text/plain; charset=utf-8")
