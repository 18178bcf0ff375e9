"""A mentee's accounting of disclosures (42 CFR 2.24): who received their records, when, what
and why, over the last three years.

The mentee sees their own; the coordinators and supervisors of the mentee's program (and
administrators) see it to print it for the mentee on request. Anyone else gets 404. Opening it
is written to the audit log as a read.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import services
from accounts.audit import record_read
from accounts.models import MenteeProfile
from accounts.scoping import mentee_access

ACCOUNTING_READERS = frozenset({"staff", "self"})


@login_required
@require_GET
def disclosure_accounting(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = get_object_or_404(
        MenteeProfile.objects.visible_to(request.user).select_related("user", "program"), pk=pk
    )
    if mentee_access(request.user, mentee) not in ACCOUNTING_READERS:
        raise Http404
    disclosures = list(services.accounting_of_disclosures(mentee))
    record_read(mentee)
    return render(
        request,
        "accounts/disclosure_accounting.html",
        {
            "mentee": mentee,
            "disclosures": disclosures,
            "since": timezone.localdate() - services.disclosures.ACCOUNTING_PERIOD,
            "produced_at": timezone.now(),
        },
    )


urlpatterns = [
    path(
        "mentees/<int:pk>/disclosures/",
        disclosure_accounting,
        name="disclosure_accounting",
    ),
]
