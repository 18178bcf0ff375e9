"""Outcome measures: answering them (signed in, by one-time link, in person with staff), the
thank-you page, one administration's answers, adding a measure, and a program's schedule.

Who may do what:
- ``measure_link`` is public: the token in the address is the only key and opens this one
  administration's questions. It never signs anyone in, is never cached and sends no Referer.
  An unknown token is a 404; a used or expired one a friendly page (200) that says so.
- ``measure_answer`` is for the respondent signed in (the mentee; the mentor for the mentor's
  relationship survey); anyone else gets 404.
- ``measure_in_person`` and ``measure_new`` are for the program's coordinators; the answers
  are recorded as given in person, with who recorded them.
- ``measure_detail`` (the answers) is for the program's staff and the respondent;
  ``measure_done`` for the person who just answered.
- ``measure_schedule`` is for the program's coordinators.

Both answer pages offer the whole questionnaire on one page, or one question per screen
(``?view=step``, the default for people who chose easy-read pages). The step-through works
without JavaScript: each screen posts one answer, kept in the administration's draft on the
server (never in the address), and the last screen sends them all.
"""

import zoneinfo
from contextlib import nullcontext

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import record_read
from accounts.links import protect_link_response
from accounts.models import MenteeProfile, Program
from accounts.services import DomainError
from accounts.views.home import EASY_ORDER
from evaluation import instruments
from evaluation.forms.measures import MeasureForm, NewAdministrationForm, ScheduleForm
from evaluation.models import Administration, MeasureSchedule, Response
from evaluation.services import measures as services


def _show_domain_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _public_page(
    request: HttpRequest, template: str, context: dict, *, administration=None, status: int = 200
) -> HttpResponse:
    """A page of the public link: in the person's language, never cached, no Referer (the
    address is the key), not indexed."""
    language = None
    if administration is not None:
        user = administration.mentee.user
        language = _link_language(request, administration)
        try:
            context["person_tz"] = zoneinfo.ZoneInfo(user.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            context["person_tz"] = timezone.get_current_timezone()
    with translation.override(language) if language else nullcontext():
        response = render(request, template, context, status=status)
    return protect_link_response(response)


def _link_language(request: HttpRequest, administration) -> str | None:
    """The language of a public link's pages: the person's, unless they chose one here."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return None
    return administration.mentee.user.preferred_language


def _respondent(administration):
    if administration.respondent_is_mentor:
        return administration.match.mentor.user
    return administration.mentee.user


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


class Flow:
    """Answering one administration, whole page or one question per screen.

    ``here`` is the address of the page (without the query string) and ``page`` renders a
    template (public or signed-in). ``run()`` returns the response to show, or None once the
    answers are saved (the caller then thanks the person).
    """

    def __init__(
        self, request, administration, *, mode, answered_by, link=None, here, page, language=None
    ):
        self.request = request
        self.administration = administration
        self.mode = mode
        self.answered_by = answered_by
        self.link = link
        self.here = here
        self.page = page
        self.instrument = administration.definition
        self.items = services.items_asked(administration)
        # The questions in the respondent's language (the page's, or for answers recorded in
        # person, the respondent's preferred language): a published translation when there is
        # one, the published English wording otherwise.
        self.wording = instruments.wording(self.instrument, language)

    def step_mode(self) -> bool:
        chosen = self.request.POST.get("view") or self.request.GET.get("view")
        if chosen in ("step", "all"):
            return chosen == "step"
        # People who chose easy-read pages get one question per screen; staff recording
        # answers in person get the whole page unless they ask.
        if self.mode == Administration.Mode.IN_PERSON:
            return False
        return bool(getattr(self.answered_by, "easy_read", False))

    def context(self, **extra) -> dict:
        return {
            "administration": self.administration,
            "instrument": self.instrument,
            "here": self.here,
            "via_link": self.link is not None,
            "in_person": self.mode == Administration.Mode.IN_PERSON,
            "wording": self.wording,
            "wording_language_name": dict(settings.LANGUAGES).get(self.wording.language, ""),
            "wording_in_other_language": self.wording.language
            != (translation.get_language() or "en").split("-")[0],
            **extra,
        }

    def run(self):
        if self.step_mode():
            return self.step()
        return self.whole()

    # The whole questionnaire on one page.
    def whole(self):
        request = self.request
        form = MeasureForm(
            request.POST if request.method == "POST" else None,
            instrument=self.instrument,
            items=self.items,
            wording=self.wording,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_administration(
                    administration=self.administration,
                    answers=form.answers(),
                    answered_by=self.answered_by,
                    mode=self.mode,
                    helped=form.cleaned_data["helped"],
                    link=self.link,
                    wording_version=self.wording.recorded_version,
                )
            except DomainError as error:
                if error.field not in form.fields:
                    return self.page("evaluation/measure_closed.html", {"message": error.message})
                _show_domain_error(form, error)
            else:
                return None
        return self.page("evaluation/measure_form.html", self.context(form=form))

    # One question per screen.
    def step(self):
        request = self.request
        administration = self.administration
        count = len(self.items)
        draft = administration.draft or {}
        if request.method == "POST" and request.POST.get("action") == "finish":
            return self.finish_steps(draft)
        position = self._position(draft)
        if position > count:
            return self.review(draft)
        item = self.items[position - 1]
        form = MeasureForm(
            request.POST if request.method == "POST" else None,
            instrument=self.instrument,
            items=[item],
            with_helped=False,
            wording=self.wording,
            initial={f"item_{item.number}": draft.get(str(item.number))},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.save_draft_answer(
                    administration=administration,
                    item=item.number,
                    value=form.answers()[item.number],
                )
            except DomainError as error:
                if error.field not in form.fields:
                    return self.page("evaluation/measure_closed.html", {"message": error.message})
                _show_domain_error(form, error)
            else:
                return redirect(f"{self.here}?view=step&q={position + 1}")
        return self.page(
            "evaluation/measure_step.html",
            self.context(
                form=form,
                position=position,
                count=count,
                previous=position - 1 if position > 1 else None,
                percent=int(100 * (position - 1) / count) if count else 100,
            ),
        )

    def _position(self, draft: dict) -> int:
        count = len(self.items)
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        try:
            position = int(source.get("q", ""))
        except ValueError:
            position = None
        if position is None or not 1 <= position <= count + 1:
            # The first question without an answer yet (or the last screen).
            answered = {int(number) for number in draft}
            position = next(
                (i for i, item in enumerate(self.items, 1) if item.number not in answered),
                count + 1,
            )
        return position

    def review(self, draft: dict, form=None):
        form = form or MeasureForm(
            None, instrument=self.instrument, items=[], with_helped=True, wording=self.wording
        )
        return self.page(
            "evaluation/measure_step_last.html",
            self.context(form=form, count=len(self.items), previous=len(self.items)),
        )

    def finish_steps(self, draft: dict):
        answers = {int(number): value for number, value in draft.items()}
        missing = next(
            (i for i, item in enumerate(self.items, 1) if item.number not in answers), None
        )
        if missing is not None:
            messages.error(self.request, _("Please answer this question first."))
            return redirect(f"{self.here}?view=step&q={missing}")
        form = MeasureForm(
            self.request.POST,
            instrument=self.instrument,
            items=[],
            with_helped=True,
            wording=self.wording,
        )
        form.is_valid()
        try:
            services.submit_administration(
                administration=self.administration,
                answers=answers,
                answered_by=self.answered_by,
                mode=self.mode,
                helped=form.cleaned_data.get("helped", False),
                link=self.link,
                wording_version=self.wording.recorded_version,
            )
        except DomainError as error:
            if error.field and error.field.startswith("item_"):
                number = int(error.field.removeprefix("item_"))
                position = next(i for i, item in enumerate(self.items, 1) if item.number == number)
                messages.error(self.request, error.message)
                return redirect(f"{self.here}?view=step&q={position}")
            return self.page("evaluation/measure_closed.html", {"message": error.message})
        return None


# --- The public one-time link -------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def measure_link(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows the questions (mail scanners open links, so this uses nothing
    up); submitting the answers uses it up."""
    link = services.find_measure_link(token)
    if link is None:
        return _public_page(request, "evaluation/measure_link_invalid.html", {}, status=404)
    administration = link.administration

    def page(template, context):
        context.setdefault("via_link", True)
        # Easy-read pages follow the respondent's own setting (``easy_read_mode``).
        context.setdefault("link_person", _respondent(administration))
        return _public_page(request, template, context, administration=administration)

    problem = services.link_problem(link)
    if problem is not None:
        return page(
            "evaluation/measure_closed.html",
            {"message": services.link_problem_message(problem), "problem": problem},
        )
    flow = Flow(
        request,
        administration,
        mode=Administration.Mode.LINK,
        answered_by=administration.mentee.user
        if not administration.respondent_is_mentor
        else administration.match.mentor.user,
        link=link,
        here=reverse("evaluation:measure_link", args=[token]),
        page=page,
        language=_link_language(request, administration),
    )
    response = flow.run()
    if response is not None:
        return response
    administration.refresh_from_db()
    following = services.next_due_for(administration)
    next_url = None
    if following is not None:
        next_url = reverse(
            "evaluation:measure_link",
            args=[services.issue_measure_link(administration=following)],
        )
    return page("evaluation/measure_thanks.html", _thanks_context(administration, next_url))


def _thanks_context(administration: Administration, next_url: str | None) -> dict:
    return {
        "administration": administration,
        "program": administration.program,
        "crisis": services.needs_crisis_resources(administration),
        "next_url": next_url,
    }


# --- Signed in ----------------------------------------------------------------------------


def _signed_in_page(request):
    def page(template, context):
        return _private(render(request, template, context))

    return page


@login_required
@require_http_methods(["GET", "POST"])
def measure_answer(request: HttpRequest, pk: int) -> HttpResponse:
    administration = get_object_or_404(
        Administration.objects.answerable_by(request.user).select_related(
            "mentee__user", "match__mentor__user", "program"
        ),
        pk=pk,
    )
    flow = Flow(
        request,
        administration,
        mode=Administration.Mode.SELF,
        answered_by=request.user,
        here=reverse("evaluation:measure_answer", args=[pk]),
        page=_signed_in_page(request),
    )
    response = flow.run()
    if response is not None:
        return response
    return redirect("evaluation:measure_done", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def measure_in_person(request: HttpRequest, pk: int) -> HttpResponse:
    administration = get_object_or_404(
        Administration.objects.visible_to(request.user)
        .filter(status=Administration.Status.DUE)
        .select_related("mentee__user", "match__mentor__user", "program"),
        pk=pk,
    )
    if not services.may_administer(request.user, administration.program_id):
        raise Http404
    flow = Flow(
        request,
        administration,
        mode=Administration.Mode.IN_PERSON,
        answered_by=request.user,
        here=reverse("evaluation:measure_in_person", args=[pk]),
        page=_signed_in_page(request),
        # Staff read the questions to the person, in the person's language.
        language=_respondent(administration).preferred_language,
    )
    response = flow.run()
    if response is not None:
        return response
    return redirect("evaluation:measure_done", pk=pk)


@login_required
def measure_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The thank-you page after answering: crisis resources when an answer signals risk, and
    the next questionnaire of the same time point."""
    administration = get_object_or_404(
        Administration.objects.visible_to(request.user)
        .completed()
        .select_related("program", "mentee__user"),
        pk=pk,
    )
    is_respondent = administration.respondent_user_id() == request.user.pk
    if not (is_respondent or administration.answered_by_id == request.user.pk):
        raise Http404
    following = services.next_due_for(administration)
    next_url = None
    if following is not None:
        if is_respondent:
            next_url = reverse("evaluation:measure_answer", args=[following.pk])
        else:
            next_url = reverse("evaluation:measure_in_person", args=[following.pk])
    return _private(
        render(request, "evaluation/measure_thanks.html", _thanks_context(administration, next_url))
    )


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    administration = get_object_or_404(
        Administration.objects.visible_to(request.user).select_related(
            "program", "mentee__user", "answered_by", "match__mentor__user"
        ),
        pk=pk,
    )
    definition = administration.definition
    wording = instruments.wording(definition)
    values = dict(
        Response.objects.filter(administration=administration).values_list("item", "value")
    )
    answers = []
    for question in wording.questions:
        item = question.item
        value = values.get(item.number)
        labels = {option.value: option.label for option in question.options}
        answers.append(
            {
                "item": item,
                "text": question.text,
                "value": value,
                "label": labels.get(value, "") if value is not None else "",
            }
        )
    record_read(administration)
    user = request.user
    return _private(
        render(
            request,
            "evaluation/measure_detail.html",
            {
                "administration": administration,
                "instrument": definition,
                "wording": wording,
                "answers": answers,
                "flag_labels": [
                    instruments.FLAG_LABELS.get(flag, flag) for flag in administration.flags
                ],
                "may_answer": services.may_answer(user, administration),
                "may_administer": administration.status == Administration.Status.DUE
                and services.may_administer(user, administration.program_id),
            },
        )
    )


# --- Staff --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = get_object_or_404(
        MenteeProfile.objects.visible_to(request.user).select_related("user", "program"), pk=pk
    )
    if not services.may_administer(request.user, mentee.program_id):
        raise Http404
    form = NewAdministrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            administration = services.create_administration(
                actor=request.user,
                mentee=mentee,
                instrument=form.cleaned_data["instrument"],
                timepoint=form.cleaned_data["timepoint"],
                due_on=form.cleaned_data["due_on"],
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(measure)s is added for %(name)s.")
                % {"measure": administration.definition.name, "name": mentee.user.display_name},
            )
            return redirect(mentee)
    return render(request, "evaluation/measure_new.html", {"form": form, "mentee": mentee})


@login_required
@require_http_methods(["GET", "POST"])
def measure_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program.objects.staffed_by(request.user), pk=pk)
    if not services.may_administer(request.user, program.pk):
        raise Http404
    schedule = MeasureSchedule.for_program(program)
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _(
                "The measure schedule of %(program)s is saved. It applies to matches that start "
                "or close from now on."
            )
            % {"program": program.name},
        )
        return redirect("evaluation:measure_schedule", pk=program.pk)
    return render(
        request,
        "evaluation/measure_schedule.html",
        {"form": form, "program": program, "instruments": instruments.INSTRUMENTS},
    )


# --- Panels: the home page and the mentee's page ------------------------------------------

PANEL_ROWS = 8


def respondent_home_panel(request):
    """What this person has to answer: the mentee's measures, the mentor's relationship
    survey."""
    user = request.user
    if not user.has_role("mentee", "mentor"):
        return None
    due = list(
        Administration.objects.answerable_by(user)
        .filter(due_on__lte=timezone.localdate())
        .select_related("match__mentor__user", "mentee__user")
        .order_by("due_on", "pk")[:PANEL_ROWS]
    )
    if not due:
        return None
    return {
        "template": "evaluation/measure_home_respondent.html",
        "easy_template": "evaluation/measure_home_easy.html",
        "easy_order": EASY_ORDER["questions"],
        "due": due,
    }


def coordinator_home_panel(request):
    """Due and overdue measures of the programs this person coordinates."""
    user = request.user
    program_ids = user.program_ids_with_role("coordinator")
    if not program_ids and not user.is_superuser:
        return None
    today = timezone.localdate()
    waiting = Administration.objects.due().filter(due_on__lte=today)
    if not user.is_superuser:
        waiting = waiting.filter(program_id__in=program_ids)
    overdue = waiting.filter(due_on__lt=today)
    rows = list(
        waiting.select_related("mentee__user", "program").order_by("due_on", "pk")[:PANEL_ROWS]
    )
    return {
        "template": "evaluation/measure_home_coordinator.html",
        "rows": rows,
        "due_count": waiting.count(),
        "overdue_count": overdue.count(),
        "today": today,
    }


def may_see_scores(user, mentee, access: str | None) -> bool:
    """Staff and the mentee see the scores; a mentor with the mentee's consent to share their
    progress on measures; a case manager with the mentee's consent to share progress."""
    from accounts.models import Consent

    if access in ("staff", "self", "case_manager"):
        return True
    if access == "mentor":
        return (
            Consent.objects.current()
            .filter(mentee=mentee, kind=Consent.Kind.SHARE_WITH_MENTOR)
            .exists()
        )
    return False


def score_history(mentee) -> list[dict]:
    """Per instrument, the completed scores in order, the change from baseline to the latest
    score (and whether that is an improvement) and each crossing of the published cut-off."""
    rows = (
        Administration.objects.completed()
        .filter(mentee=mentee, instrument__in=instruments.STANDARDIZED)
        .order_by("instrument", "completed_at", "pk")
        .only("instrument", "timepoint", "completed_at", "reported_score", "band", "flags")
    )
    by_code: dict[str, list] = {}
    for row in rows:
        by_code.setdefault(row.instrument, []).append(row)
    history = []
    for code in instruments.STANDARDIZED:
        scores = by_code.get(code)
        if not scores:
            continue
        definition = instruments.INSTRUMENTS[code]
        cutoff_flag = instruments.CUTOFF_FLAGS[code]
        baseline = next((s for s in scores if s.timepoint == "baseline"), scores[0])
        latest = scores[-1]
        change = latest.reported_score - baseline.reported_score if latest is not baseline else None
        crossings = []
        for before, after in zip(scores, scores[1:], strict=False):
            was, now = cutoff_flag in before.flags, cutoff_flag in after.flags
            if was != now:
                crossings.append({"on": after.completed_at, "now_flagged": now})
        improved = None
        if change:
            improved = change > 0 if definition.higher_is_better else change < 0
        history.append(
            {
                "instrument": definition,
                "scores": scores,
                "baseline": baseline,
                "latest": latest,
                "change": change,
                "improved": improved,
                "cutoff_label": instruments.FLAG_LABELS[cutoff_flag],
                "crossings": crossings,
            }
        )
    return history


def mentee_profile_panel(request, mentee, access):
    """Scores over time per instrument, the change from baseline and crossings of the
    cut-offs, on the mentee's page."""
    if not may_see_scores(request.user, mentee, access):
        return None
    history = score_history(mentee)
    due = list(
        Administration.objects.due().filter(mentee=mentee).order_by("due_on", "pk")[:PANEL_ROWS]
    )
    is_staff = access == "staff"
    if not history and not due and not is_staff:
        return None
    return {
        "template": "evaluation/measure_profile_panel.html",
        "history": history,
        "due": due if access in ("staff", "self") else [],
        "mentee": mentee,
        "show_answers": access in ("staff", "self"),
        "may_add": services.may_administer(request.user, mentee.program_id),
        "is_self": access == "self",
        "today": timezone.localdate(),
    }


urlpatterns = [
    path("measures/m/<str:token>/", measure_link, name="measure_link"),
    path("measures/<int:pk>/", measure_detail, name="measure_detail"),
    path("measures/<int:pk>/answer/", measure_answer, name="measure_answer"),
    path("measures/<int:pk>/in-person/", measure_in_person, name="measure_in_person"),
    path("measures/<int:pk>/done/", measure_done, name="measure_done"),
    path("mentees/<int:pk>/measures/new/", measure_new, name="measure_new"),
    path("programs/<int:pk>/measures/schedule/", measure_schedule, name="measure_schedule"),
]
