"""The mentee's feedback on a held session: through a one-time link, or signed in.

Who may do what:
- ``feedback_link`` is public: the token in the address is the only key, and it opens this
  one session's form and nothing else. It never signs anyone in, keeps no session, is never
  cached and sends no Referer to other sites. An unknown token is a 404; a used or expired
  one a friendly page (200) that says so.
- ``feedback_give`` is for the signed-in mentee of the session; anyone else gets 404.
- ``feedback_detail`` is for the people who may see the session: its mentee and mentor, the
  program's coordinators and supervisors. "Please contact me" is for the staff and the mentee
  only: it is the mentee's private way to reach the program, also about their mentor.
  Private notes of the session never appear here.
"""

import datetime
import zoneinfo
from contextlib import nullcontext

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import record_read
from accounts.links import protect_link_response
from accounts.scoping import STAFF_ROLES
from accounts.services import DomainError
from accounts.views.home import EASY_ORDER
from sessions import services
from sessions.forms.feedback import (
    ANSWER_PICTURES,
    RATING_CHOICES,
    RATING_PICTURES,
    FeedbackForm,
)
from sessions.models import MentoringSession, SessionFeedback
from sessions.services.feedback import FEEDBACK_ANSWER_FIELDS, LINK_PROBLEMS, link_problem

# The mentee's home lists held sessions without an answer for this long.
ASK_FOR_FEEDBACK_DAYS = 14
PANEL_ROWS = 5


def _show_domain_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _public_page(
    request: HttpRequest, template: str, context: dict, *, session=None, status: int = 200
) -> HttpResponse:
    """Render a page of the public link: no caching, no Referer to other sites (the address is
    the key), no indexing."""
    language = None
    if session is not None:
        user = session.match.mentee.user
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = user.preferred_language
        try:
            context["mentee_tz"] = zoneinfo.ZoneInfo(user.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            context["mentee_tz"] = timezone.get_current_timezone()
    with translation.override(language) if language else nullcontext():
        response = render(request, template, context, status=status)
    return protect_link_response(response)


@require_http_methods(["GET", "HEAD", "POST"])
def feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows the form (mail scanners open links, so this uses nothing up);
    submitting the form uses the link up."""
    link = services.find_feedback_link(token)
    if link is None:
        return _public_page(request, "sessions/feedback_link_invalid.html", {}, status=404)
    session = link.session
    problem = link_problem(link)
    if problem is None:
        form = FeedbackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_feedback(
                    session=session,
                    answered_by=session.match.mentee.user,
                    via_link=True,
                    link=link,
                    **form.cleaned_data,
                )
            except DomainError as error:
                if error.field not in form.fields:
                    # The link was used or ran out while the form was open.
                    return _public_page(
                        request,
                        "sessions/feedback_closed.html",
                        {"message": error.message, "via_link": True},
                        session=session,
                    )
                _show_domain_error(form, error)
            else:
                return _public_page(
                    request,
                    "sessions/feedback_thanks.html",
                    {
                        "via_link": True,
                        "wants_contact": form.cleaned_data["wants_contact"],
                        "feels_unsafe": form.cleaned_data["feels_safe"] in SessionFeedback.UNSAFE,
                        "program": session.match.program,
                    },
                    session=session,
                )
        return _public_page(
            request,
            "sessions/feedback_form.html",
            {"form": form, "session": session, "via_link": True},
            session=session,
        )
    return _public_page(
        request,
        "sessions/feedback_closed.html",
        {"message": LINK_PROBLEMS[problem], "problem": problem, "via_link": True},
        session=session,
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_give(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        MentoringSession.objects.visible_to(request.user)
        .filter(match__mentee__user=request.user)
        .select_related("match__mentor__user", "match__mentee__user", "feedback"),
        pk=pk,
    )
    closed = _closed_reason(session)
    if closed is None:
        form = FeedbackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_feedback(
                    session=session,
                    answered_by=request.user,
                    via_link=False,
                    **form.cleaned_data,
                )
            except DomainError as error:
                if error.field in form.fields:
                    _show_domain_error(form, error)
                else:
                    closed = error.message
            else:
                messages.success(request, _("Thank you for your answers."))
                return redirect("mentoring_sessions:feedback_detail", pk=session.pk)
        if closed is None:
            return render(
                request,
                "sessions/feedback_form.html",
                {"form": form, "session": session, "via_link": False},
            )
    return render(
        request,
        "sessions/feedback_closed.html",
        {"message": closed, "session": session, "via_link": False},
    )


def _closed_reason(session: MentoringSession) -> str | None:
    if hasattr(session, "feedback"):
        return LINK_PROBLEMS["answered"]
    if session.status != MentoringSession.Status.HELD:
        return LINK_PROBLEMS["not_held"]
    return None


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = get_object_or_404(
        MentoringSession.objects.visible_to(user).select_related(
            "match__mentor__user", "match__mentee__user", "match__program", "feedback"
        ),
        pk=pk,
    )
    feedback = getattr(session, "feedback", None)
    is_staff = user.is_superuser or session.match.program_id in user.program_ids_with_role(
        *STAFF_ROLES
    )
    is_mentee = session.match.mentee.user_id == user.pk
    if feedback is not None:
        record_read(feedback)
    return render(
        request,
        "sessions/feedback_detail.html",
        {
            "session": session,
            "feedback": feedback,
            "answers": _answers(feedback) if feedback else [],
            "show_contact": is_staff or is_mentee,
            "is_mentee": is_mentee,
            "may_answer": is_mentee and _closed_reason(session) is None,
        },
    )


def _answers(feedback: SessionFeedback) -> list[dict]:
    """Each answer with its words and its picture, as the mentee saw them on the form."""
    rating = {
        "question": FeedbackForm.base_fields["rating"].label,
        "answer": dict(RATING_CHOICES)[feedback.rating],
        "picture": f"img/faces/{RATING_PICTURES[str(feedback.rating)]}.svg",
    }
    return [rating] + [
        {
            "question": FeedbackForm.base_fields[name].label,
            "answer": SessionFeedback.Answer(getattr(feedback, name)).label,
            "picture": f"img/faces/{ANSWER_PICTURES[getattr(feedback, name)]}.svg",
        }
        for name in FEEDBACK_ANSWER_FIELDS
    ]


def mentee_home_panel(request):
    """A mentee's held sessions of the last two weeks that have no answer yet."""
    user = request.user
    if not user.has_role("mentee"):
        return None
    since = timezone.now() - datetime.timedelta(days=ASK_FOR_FEEDBACK_DAYS)
    sessions = list(
        MentoringSession.objects.visible_to(user)
        .filter(
            match__mentee__user=user,
            status=MentoringSession.Status.HELD,
            starts_at__gte=since,
            feedback__isnull=True,
        )
        .select_related("match__mentor__user")
        .order_by("-starts_at")[:PANEL_ROWS]
    )
    if not sessions:
        return None
    return {
        "template": "sessions/partials/home_mentee_feedback.html",
        "easy_template": "sessions/partials/home_easy_feedback.html",
        "easy_order": EASY_ORDER["feedback"],
        "sessions": sessions,
    }


urlpatterns = [
    path("f/<str:token>/", feedback_link, name="feedback_link"),
    path("<int:pk>/feedback/", feedback_give, name="feedback_give"),
    path("<int:pk>/feedback/view/", feedback_detail, name="feedback_detail"),
]
