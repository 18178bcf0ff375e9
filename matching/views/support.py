"""Match support: a coordinator logs a check-in with the mentor or the mentee of a match.

The match is read through ``Match.objects.visible_to``; only the coordinators of its program
(and administrators) may log a check-in, anyone else gets 404. Check-ins show on the match's
page (staff only), and the schedule they feed shows on the board and the coordinator's home.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.services import DomainError
from matching import services
from matching.forms.support import SupportContactForm
from matching.models import Match
from matching.selectors import AGREED_STATUSES
from matching.services import lifecycle


@login_required
@require_http_methods(["GET", "POST"])
def support_contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(
        Match.objects.visible_to(request.user).select_related(
            "mentee__user", "mentor__user", "program"
        ),
        pk=pk,
    )
    if not lifecycle.may(request.user, match, "log_check_in"):
        raise Http404
    form = SupportContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_support_contact(actor=request.user, match=match, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The check-in is saved."))
            return redirect(match)
    return render(
        request,
        "matching/support_contact_form.html",
        {"form": form, "match": match, "loggable": match.status in AGREED_STATUSES},
    )


urlpatterns = [
    path("matches/<int:pk>/contacts/new/", support_contact_new, name="support_contact_new"),
]
