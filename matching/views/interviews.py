"""The interview-and-matching checklist and the interviews taken with it.

Who may do what:
- a program's checklist is edited by its coordinators and supervisors (and administrators);
  the program is read through ``Program.objects.staffed_by``, so anyone else gets 404;
- an interview is recorded, and read, by the coordinators and supervisors of the person's
  program; the person is read through ``visible_to`` and then the staff check, so a mentor
  looking at their own profile, or a mentor or case manager looking at a mentee, gets 404.
Opening an interview writes a read entry to the audit log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import record_read
from accounts.models import MenteeProfile, MentorProfile, Program
from accounts.scoping import STAFF_ROLES
from accounts.services import DomainError
from matching import services
from matching.checklists import (
    TAXONOMY_CRITERIA,
    ChoiceBook,
    audience_of,
    display_answer,
    questions_for,
)
from matching.forms.interviews import (
    ChecklistFormSet,
    ChecklistVersionForm,
    InterviewForm,
    carry_over,
    question_initial,
)
from matching.models import Checklist, Interview


def _is_staff_of(user, program_id: int) -> bool:
    return user.is_superuser or program_id in user.program_ids_with_role(*STAFF_ROLES)


def _staff_interviews(user):
    """Interviews of people in the programs the user staffs."""
    if user.is_superuser:
        return Interview.objects.all()
    programs = user.program_ids_with_role(*STAFF_ROLES)
    return Interview.objects.filter(
        Q(mentee__program_id__in=programs) | Q(mentor__program_id__in=programs)
    )


# --- The checklist -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    program = get_object_or_404(Program.objects.staffed_by(request.user), pk=program_id)
    checklist = services.current_checklist(program, actor=request.user)
    data = request.POST or None
    version_form = ChecklistVersionForm(
        data, prefix="checklist", initial={"based_on_version": checklist.version}
    )
    formset = ChecklistFormSet(
        data,
        prefix="questions",
        initial=[question_initial(question) for question in checklist.questions.all()],
    )
    refusal = None
    if request.method == "POST" and version_form.is_valid() and formset.is_valid():
        try:
            saved = services.save_checklist(
                actor=request.user,
                program=program,
                questions=formset.questions(),
                based_on_version=version_form.cleaned_data["based_on_version"],
            )
        except DomainError as error:
            refusal = error.message
        else:
            messages.success(
                request,
                _(
                    "Version %(version)d of the checklist is saved. New interviews use it; "
                    "earlier interviews keep the version they were taken with."
                )
                % {"version": saved.version},
            )
            return redirect("matching:checklist_edit", program_id=program.pk)
    history = (
        Checklist.objects.filter(program=program)
        .select_related("created_by")
        .annotate(interview_count=Count("interviews"))
        .order_by("-version")
    )
    return render(
        request,
        "matching/checklist_edit.html",
        {
            "program": program,
            "checklist": checklist,
            "formset": formset,
            "version_form": version_form,
            "refusal": refusal,
            "history": history,
        },
    )


# --- Interviews ----------------------------------------------------------------------------


def _interview_page(request: HttpRequest, person) -> HttpResponse:
    if not _is_staff_of(request.user, person.program_id):
        raise Http404
    checklist = services.current_checklist(person.program, actor=request.user)
    questions = questions_for(checklist, audience_of(person))
    data = request.POST or None
    stale = None
    posted_checklist = data.get("checklist_id") if data is not None else None
    if posted_checklist is not None and not posted_checklist.isdigit():
        posted_checklist = None  # not a checklist number: treated as the current checklist
    if posted_checklist not in (None, "", str(checklist.pk)):
        # The checklist was saved as a new version while this form was being filled in.
        stale = Checklist.objects.filter(program=person.program, pk=posted_checklist).first()
        if stale is not None:
            data = carry_over(data, questions_for(stale, audience_of(person)), questions)
            data["checklist_id"] = str(checklist.pk)
    form = InterviewForm(
        data,
        checklist=checklist,
        questions=questions,
        person=person,
        book=ChoiceBook.load(questions, person),
    )
    if request.method == "POST" and form.is_valid():
        if stale is not None:
            form.add_error(
                None,
                _(
                    "The checklist changed to version %(version)d while you were filling it "
                    "in. Nothing was saved yet: check the answers below and save again."
                )
                % {"version": checklist.version},
            )
        else:
            try:
                interview = services.record_interview(
                    actor=request.user, person=person, answers=form.answers(), **form.details()
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The interview is recorded."))
                return redirect("matching:interview_detail", pk=interview.pk)
    earlier = person.interviews.select_related("interviewer", "checklist")[:10]
    # The form shows the person's matching data (lived experience, IDD-MH...).
    record_read(person)
    return render(
        request,
        "matching/interview_form.html",
        {
            "person": person,
            "is_mentor": isinstance(person, MentorProfile),
            "checklist": checklist,
            "form": form,
            "earlier": earlier,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview_mentee(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = get_object_or_404(
        MenteeProfile.objects.visible_to(request.user).select_related("user", "program"), pk=pk
    )
    return _interview_page(request, mentee)


@login_required
@require_http_methods(["GET", "POST"])
def interview_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = get_object_or_404(
        MentorProfile.objects.visible_to(request.user).select_related("user", "program"), pk=pk
    )
    return _interview_page(request, mentor)


@login_required
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(
        _staff_interviews(request.user).select_related(
            "checklist__created_by",
            "interviewer",
            "mentee__user",
            "mentee__program",
            "mentor__user",
            "mentor__program",
        ),
        pk=pk,
    )
    person = interview.mentee or interview.mentor
    questions = questions_for(interview.checklist, audience_of(person))
    answers = {answer.question_id: answer.value for answer in interview.answers.all()}
    # Terms named in the answers stay readable even after the program retired them.
    term_ids = {
        item
        for question in questions
        if question.criterion in TAXONOMY_CRITERIA
        for item in answers.get(question.pk) or []
    }
    book = ChoiceBook.load(questions, include_retired_ids=term_ids)
    rows = [
        (
            question,
            question.pk in answers,
            display_answer(question, answers.get(question.pk), book.choices(question)),
        )
        for question in questions
    ]
    record_read(interview)
    return render(
        request,
        "matching/interview_detail.html",
        {
            "interview": interview,
            "person": person,
            "is_mentor": interview.mentor_id is not None,
            "rows": rows,
        },
    )


urlpatterns = [
    path("programs/<int:program_id>/checklist/", checklist_edit, name="checklist_edit"),
    path("mentees/<int:pk>/interview/", interview_mentee, name="interview_mentee"),
    path("mentors/<int:pk>/interview/", interview_mentor, name="interview_mentor"),
    path("interviews/<int:pk>/", interview_detail, name="interview_detail"),
]
