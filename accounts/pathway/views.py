"""The mentor pathway's pages.

Who may do what:
- the application form and its thank-you page are public (no login). The page reads the same
  whether the email was known or not; spam is turned away silently (honeypot, a minimum fill
  time) and each address may send ``APPLY_LIMIT`` applications per hour;
- a program's pathway overview, training sessions, screening, status, role-play ratings,
  certification and employment outcomes are for the program's coordinators and supervisors;
  entering an applicant and inviting a mentee to mentor are for coordinators;
- a mentor's pathway page and certificate are for the mentor and their program's staff;
- well-being check-ins are seen only by the mentor and the program's supervisors; only the
  mentor writes them;
- an invitation is opened only by the invited person.
Anyone else gets 404.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import record_read
from accounts.models import MenteeProfile, MentorProfile, Program
from accounts.pathway import pdf, selectors, services
from accounts.pathway.forms import (
    ApplicantForm,
    ApplicationForm,
    CertifyForm,
    EmploymentForm,
    InvitationApplyForm,
    PathwaySettingsForm,
    RolePlayForm,
    ScreeningStepForm,
    StatusForm,
    TrainingSessionForm,
    WellbeingForm,
)
from accounts.pathway.models import (
    Application,
    EmploymentOutcome,
    MentorInvitation,
    TrainingSession,
    WellbeingCheckIn,
)
from accounts.services.errors import DomainError

APPLY_LIMIT = 5
APPLY_WINDOW = 60 * 60


def _show_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _staffed_program(user, program_id: int) -> Program:
    return get_object_or_404(Program.objects.staffed_by(user), pk=program_id)


def _supervised_program(user, program_id: int) -> Program:
    program = _staffed_program(user, program_id)
    if not (user.is_superuser or program.pk in user.program_ids_with_role("supervisor")):
        raise Http404
    return program


def _mentor(user, pk: int) -> MentorProfile:
    return get_object_or_404(
        MentorProfile.objects.visible_to(user).select_related("user", "program__center"), pk=pk
    )


def _is_staff_of(user, program_id: int) -> bool:
    return user.is_superuser or program_id in user.program_ids_with_role(
        "coordinator", "supervisor"
    )


def _staff_mentor(user, pk: int) -> MentorProfile:
    mentor = _mentor(user, pk)
    if not _is_staff_of(user, mentor.program_id):
        raise Http404
    return mentor


def _may_read_wellbeing(user, mentor: MentorProfile) -> bool:
    return mentor.user_id == user.pk or mentor.program_id in user.program_ids_with_role(
        "supervisor"
    )


# --- Public application ---------------------------------------------------------------------


def _over_limit(request: HttpRequest) -> bool:
    """Count this address's applications in the shared cache (the database: settings.CACHES)."""
    key = f"pathway-apply:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=APPLY_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=APPLY_WINDOW)
        count = 1
    return count > APPLY_LIMIT


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        if _over_limit(request):
            form.is_valid()  # keep what was typed, with its own messages
            form.add_error(
                None,
                _(
                    "Too many applications were sent from this connection. Please try again in "
                    "an hour, or call the program."
                ),
            )
            return render(request, "accounts/pathway/apply.html", {"form": form}, status=429)
        if form.is_probably_spam():
            return redirect("accounts:pathway_apply_thanks")
        if form.is_valid():
            try:
                services.apply_as_mentor(
                    program=form.cleaned_data["program"],
                    person=form.person_data(),
                    motivation=form.cleaned_data["motivation"],
                    recovery_start=form.cleaned_data["recovery_start"],
                )
            except DomainError as error:
                _show_error(form, error)
            else:
                return redirect("accounts:pathway_apply_thanks")
    return render(request, "accounts/pathway/apply.html", {"form": form})


def apply_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/pathway/apply_thanks.html")


# --- Staff ----------------------------------------------------------------------------------


@login_required
def program_overview(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _staffed_program(request.user, program_id)
    settings = selectors.pathway_settings(program)
    mentors = MentorProfile.objects.filter(program=program)
    pipeline = dict(mentors.order_by().values_list("status").annotate(n=Count("pk")))
    in_pipeline = (
        mentors.filter(status__in=["applicant", "screening", "in_training", "on_hold"])
        .select_related("user", "application")
        .annotate(
            steps_done=Count(
                "screening_steps",
                filter=Q(
                    screening_steps__status="passed",
                    screening_steps__kind__in=settings.screening_steps,
                ),
            )
        )
        .order_by("status", "user__display_name")
    )
    active = list(mentors.filter(status="active").select_related("user"))
    untrained = selectors.untrained_reasons(active)
    is_coordinator = request.user.is_superuser or program.pk in (
        request.user.program_ids_with_role("coordinator")
    )
    candidates = []
    if is_coordinator:
        for source in selectors.INVITATION_CANDIDATES:
            candidates.extend(
                source([program.pk])
                .exclude(mentor_invitation__isnull=False)
                .select_related("user")[:20]
            )
    return render(
        request,
        "accounts/pathway/program.html",
        {
            "program": program,
            "settings": settings,
            "screening_total": len(settings.screening_steps),
            "is_supervisor": request.user.is_superuser
            or program.pk in request.user.program_ids_with_role("supervisor"),
            "pipeline": [
                (value, label, pipeline.get(value, 0))
                for value, label in MentorProfile.Status.choices
            ],
            "in_pipeline": in_pipeline,
            "untrained": [(m, untrained[m.pk]) for m in active if m.pk in untrained],
            "trained_count": len(active) - len(untrained),
            "modules": program.training_modules.filter(is_active=True),
            "sessions": TrainingSession.objects.filter(program=program)
            .select_related("module", "trainer")
            .annotate(attendance=Count("attendees"))[:10],
            "outcomes": EmploymentOutcome.objects.filter(mentor__program=program)
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk")),
            "outcome_labels": dict(EmploymentOutcome.Kind.choices),
            "from_mentees": selectors.mentees_who_became_mentors([program.pk]),
            "candidates": candidates,
            "invitations": MentorInvitation.objects.filter(mentee__program=program).select_related(
                "mentee__user"
            )[:20],
            "is_coordinator": is_coordinator,
            "set_up": settings.pk is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _supervised_program(request.user, program_id)
    # Validating a ModelForm writes the typed values onto its instance: the form works on a
    # copy, and the service saves.
    current = copy.copy(selectors.pathway_settings(program))
    form = PathwaySettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_pathway_settings(
                    actor=request.user, program=program, **form.cleaned_data
                )
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(request, _("The mentor pathway settings are saved."))
                return redirect("accounts:pathway_program", program_id=program.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "accounts/pathway/form.html",
        {
            "form": form,
            "heading": _("Mentor pathway settings of %(program)s") % {"program": program.name},
            "lead": _(
                "What applicants pass before training, the training needed before a first "
                "match, and how often certification and supervision come round."
            ),
            "submit": _("Save the settings"),
            "cancel": reverse("accounts:pathway_program", args=[program.pk]),
        },
        status=status,
    )


@login_required
@require_POST
def set_up(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _staffed_program(request.user, program_id)
    services.set_up_pathway(program=program)
    messages.success(request, _("The mentor pathway is set up with the default modules."))
    return redirect("accounts:pathway_program", program.pk)


@login_required
@require_http_methods(["GET", "POST"])
def applicant_create(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.filter(
        pk__in=Program.objects.all()
        if request.user.is_superuser
        else request.user.program_ids_with_role("coordinator")
    )
    if not programs.exists():
        raise Http404
    form = ApplicantForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            mentor = services.enter_applicant(
                actor=request.user,
                program=form.cleaned_data["program"],
                person=form.person_data(),
                motivation=form.cleaned_data["motivation"],
                recovery_start=form.cleaned_data["recovery_start"],
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is an applicant in %(program)s.")
                % {"name": mentor.user.display_name, "program": mentor.program.name},
            )
            return redirect("accounts:pathway_mentor", mentor.pk)
    return render(
        request,
        "accounts/pathway/form.html",
        {
            "form": form,
            "heading": _("Enter an applicant"),
            "submit": _("Save the applicant"),
            "cancel": reverse("home"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_session_create(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _staffed_program(request.user, program_id)
    if not program.training_modules.exists():
        messages.info(request, _("Set up the program's training modules first."))
        return redirect("accounts:pathway_program", program.pk)
    form = TrainingSessionForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_training_session(
                actor=request.user,
                module=data["module"],
                held_on=data["held_on"],
                hours=data["hours"],
                attendees=data["attendees"],
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The training session is recorded."))
            return redirect("accounts:pathway_program", program.pk)
    return render(
        request,
        "accounts/pathway/form.html",
        {
            "form": form,
            "heading": _("Record a training session"),
            "lead": program.name,
            "submit": _("Save the session"),
            "cancel": reverse("accounts:pathway_program", args=[program.pk]),
        },
    )


# --- One mentor -----------------------------------------------------------------------------


def _mentor_page(request, mentor, *, status=200, **forms) -> HttpResponse:
    user = request.user
    is_staff = _is_staff_of(user, mentor.program_id)
    record = selectors.training_record(mentor)
    steps = {step.kind: step for step in mentor.screening_steps.select_related("recorded_by")}
    program_steps = selectors.pathway_settings(mentor.program_id).screening_choices
    context = {
        "mentor": mentor,
        "record": record,
        "competencies": selectors.COMPETENCY_CHOICES,
        "is_staff": is_staff,
        "is_self": mentor.user_id == user.pk,
        "steps": [(value, label, steps.get(value)) for value, label in program_steps],
        "status_changes": mentor.status_changes.select_related("changed_by"),
        "application": Application.objects.filter(mentor=mentor).first(),
        "outcomes": mentor.employment_outcomes.all(),
    }
    if is_staff:
        context.update(
            screening_form=forms.get("screening_form") or ScreeningStepForm(steps=program_steps),
            status_form=forms.get("status_form") or StatusForm(),
            certify_form=forms.get("certify_form") or CertifyForm(),
        )
    if _may_read_wellbeing(user, mentor):
        context["checkins"] = mentor.wellbeing_checkins.all()[:10]
    record_read(mentor)
    return render(request, "accounts/pathway/mentor.html", context, status=status)


@login_required
def mentor_pathway(request: HttpRequest, pk: int) -> HttpResponse:
    return _mentor_page(request, _mentor(request.user, pk))


@login_required
@require_POST
def screening_record(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = _staff_mentor(request.user, pk)
    steps = selectors.pathway_settings(mentor.program_id).screening_choices
    form = ScreeningStepForm(request.POST, steps=steps)
    if form.is_valid():
        try:
            services.record_screening_step(actor=request.user, mentor=mentor, **form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The screening step is recorded."))
            return redirect("accounts:pathway_mentor", mentor.pk)
    return _mentor_page(request, mentor, screening_form=form, status=400)


@login_required
@require_POST
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = _staff_mentor(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_mentor_status(actor=request.user, mentor=mentor, **form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The status is changed."))
            return redirect("accounts:pathway_mentor", mentor.pk)
    return _mentor_page(request, mentor, status_form=form, status=400)


@login_required
@require_POST
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = _staff_mentor(request.user, pk)
    form = CertifyForm(request.POST)
    if form.is_valid():
        try:
            services.issue_certification(
                actor=request.user, mentor=mentor, issued_on=form.cleaned_data["issued_on"]
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The certification is recorded."))
            return redirect("accounts:pathway_mentor", mentor.pk)
    return _mentor_page(request, mentor, certify_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def role_play_create(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = _staff_mentor(request.user, pk)
    form = RolePlayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_role_play(
                actor=request.user,
                mentor=mentor,
                assessed_on=form.cleaned_data["assessed_on"],
                scenario=form.cleaned_data["scenario"],
                ratings=form.ratings(),
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The role-play ratings are recorded."))
            return redirect("accounts:pathway_mentor", mentor.pk)
    return render(
        request,
        "accounts/pathway/form.html",
        {
            "form": form,
            "heading": _("Rate a role-play practice"),
            "lead": mentor.user.display_name,
            "help": _("1 = not yet, 2 = developing, 3 = competent, 4 = strong."),
            "submit": _("Save the ratings"),
            "cancel": reverse("accounts:pathway_mentor", args=[mentor.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def employment_create(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = _staff_mentor(request.user, pk)
    form = EmploymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_employment_outcome(
                actor=request.user, mentor=mentor, **form.cleaned_data
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The employment outcome is recorded."))
            return redirect("accounts:pathway_mentor", mentor.pk)
    return render(
        request,
        "accounts/pathway/form.html",
        {
            "form": form,
            "heading": _("Record an employment outcome"),
            "lead": mentor.user.display_name,
            "submit": _("Save"),
            "cancel": reverse("accounts:pathway_mentor", args=[mentor.pk]),
        },
    )


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = _mentor(request.user, pk)
    record = selectors.training_record(mentor)
    record_read(mentor)
    response = HttpResponse(pdf.certificate_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="training-record-{mentor.pk}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def wellbeing(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = _mentor(request.user, pk)
    if mentor.user_id != request.user.pk:
        raise Http404
    form = WellbeingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkin = services.submit_wellbeing_checkin(
                user=request.user, mentor=mentor, **form.cleaned_data
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your supervisor will get in touch.")
                if checkin.wants_contact
                else _("Thank you for checking in."),
            )
            return redirect("accounts:pathway_wellbeing", mentor.pk)
    return render(
        request,
        "accounts/pathway/wellbeing.html",
        {
            "form": form,
            "mentor": mentor,
            "checkins": WellbeingCheckIn.objects.filter(mentor=mentor)[:10],
        },
    )


# --- From mentee to mentor ------------------------------------------------------------------


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = get_object_or_404(MenteeProfile.objects.visible_to(request.user), pk=pk)
    if not (
        request.user.is_superuser
        or mentee.program_id in request.user.program_ids_with_role("coordinator")
    ):
        raise Http404
    try:
        services.invite_to_become_mentor(actor=request.user, mentee=mentee)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is invited to apply to become a mentor.")
            % {"name": mentee.user.display_name},
        )
    return redirect("accounts:pathway_program", mentee.program_id)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        MentorInvitation.objects.select_related("mentee__program"),
        pk=pk,
        mentee__user=request.user,
    )
    form = InvitationApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mentor = services.apply_from_invitation(
                user=request.user, invitation=found, motivation=form.cleaned_data["motivation"]
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                _("Thank you for applying. A coordinator will contact you about the next steps."),
            )
            return redirect("accounts:pathway_mentor", mentor.pk)
    return render(request, "accounts/pathway/invitation.html", {"form": form, "invitation": found})


urlpatterns = [
    path("mentor-application/", apply, name="pathway_apply"),
    path("mentor-application/thanks/", apply_thanks, name="pathway_apply_thanks"),
    path("pathway/applicants/new/", applicant_create, name="pathway_applicant_create"),
    path("pathway/programs/<int:program_id>/", program_overview, name="pathway_program"),
    path("pathway/programs/<int:program_id>/set-up/", set_up, name="pathway_set_up"),
    path("pathway/programs/<int:program_id>/settings/", settings_edit, name="pathway_settings"),
    path(
        "pathway/programs/<int:program_id>/training/new/",
        training_session_create,
        name="pathway_training_create",
    ),
    path("pathway/mentors/<int:pk>/", mentor_pathway, name="pathway_mentor"),
    path("pathway/mentors/<int:pk>/screening/", screening_record, name="pathway_screening"),
    path("pathway/mentors/<int:pk>/status/", status_change, name="pathway_status"),
    path("pathway/mentors/<int:pk>/certify/", certify, name="pathway_certify"),
    path("pathway/mentors/<int:pk>/role-play/", role_play_create, name="pathway_role_play"),
    path("pathway/mentors/<int:pk>/employment/", employment_create, name="pathway_employment"),
    path("pathway/mentors/<int:pk>/certificate.pdf", certificate_pdf, name="pathway_certificate"),
    path("pathway/mentors/<int:pk>/wellbeing/", wellbeing, name="pathway_wellbeing"),
    path("pathway/mentees/<int:pk>/invite/", invite, name="pathway_invite"),
    path("pathway/invitations/<int:pk>/", invitation, name="pathway_invitation"),
]
