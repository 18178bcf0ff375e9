"""Mentee and mentor profiles: the staff lists, the referral intake, details and edits.

Who may do what:
- the lists, the intake forms and the edit forms are for the coordinators and supervisors of a
  program (and administrators); anyone else gets 404, as for any record outside their scope;
- a mentee profile is read through ``MenteeProfile.objects.visible_to`` and shown by sections
  according to ``mentee_access``: staff see everything, the mentee their own details, their
  mentor what a mentor needs, a case manager only the goals and progress consented to;
- a mentor profile is read by its program's staff and by the mentor themself.
Opening a profile writes a read entry to the audit log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Value, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.audit import record_read
from accounts.forms.profiles import (
    MenteeFilterForm,
    MenteeProfileForm,
    MenteeReferralForm,
    MentorCreateForm,
    MentorFilterForm,
    MentorProfileForm,
)
from accounts.models import (
    AVAILABILITY_CHOICES,
    Consent,
    GoalProgress,
    MenteeProfile,
    MentorProfile,
    Modality,
    Program,
)
from accounts.scoping import MENTOR_PLACES_TAKEN, STAFF_ROLES, mentee_access

PAGE_SIZE = 25

# Higher apps add sections to a mentee's page (evaluation: scores over time) by appending a
# function in their AppConfig.ready(); each is called as ``panel(request, mentee, access)``
# (``access`` from ``mentee_access``) and returns a dict with a ``template`` and its context,
# or None when this reader may not see it or there is nothing to show.
MENTEE_PROFILE_PANELS: list = []

# What each kind of reader sees of a mentee profile (see ``mentee_access``):
#   contact   email, phone, preferred language
#   matching  languages, life goals, lived experience, availability, ways to meet
#   needs     accessibility and communication needs
#   personal  interests, location, gender, birth date, recovery start, IDD-MH, preferences
#   referral  agency, referrer and their contact, referral date, case manager, days waiting
#   notes     staff notes
#   consents  the consents given and revoked
# Everyone with access sees the name, program, status and the goals with their progress.
MENTEE_SECTIONS = {
    "staff": {"contact", "matching", "needs", "personal", "referral", "notes", "consents"},
    "self": {"contact", "matching", "needs", "personal", "consents"},
    "mentor": {"matching", "needs"},
    "case_manager": set(),
}
MENTEE_SECTION_PREFETCH = {
    "matching": ("languages", "life_goals", "lived_experience"),
    "personal": ("interests",),
}


def _ensure_staff(user) -> None:
    """Lists and forms are for program staff; to anyone else they do not exist."""
    if not (user.is_superuser or user.has_role(*STAFF_ROLES)):
        raise Http404


def _staff_mentees(user):
    """Mentee profiles of the programs the user staffs (not those seen as a mentor)."""
    return MenteeProfile.objects.visible_to(user).filter(
        program__in=Program.objects.staffed_by(user)
    )


def _staff_mentors(user):
    return MentorProfile.objects.visible_to(user).filter(
        program__in=Program.objects.staffed_by(user)
    )


def _with_places_taken(mentors):
    """Annotate ``places_taken``: how many of the mentor's places their matches hold now.

    Matches live in the matching app above this one, which registers the annotation in
    ``accounts.scoping.MENTOR_PLACES_TAKEN``; the count then always agrees with the capacity
    rule that matching enforces.
    """
    if MENTOR_PLACES_TAKEN:
        return MENTOR_PLACES_TAKEN[0](mentors)
    return mentors.annotate(places_taken=Value(0))


def _show_domain_error(form, error: services.DomainError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _say_if_account_was_reused(request: HttpRequest, form, user) -> None:
    """A known email brings the person's existing account, which the services keep as it is.
    Say so when what was typed differs, so nobody believes a new name or phone was saved."""
    typed = form.person_data()
    if any(
        (typed[name] or "").strip() != (getattr(user, name) or "")
        for name in ("display_name", "phone", "preferred_language")
    ):
        messages.info(
            request,
            _(
                "This email already belonged to %(name)s's account, which was used as it is. "
                "Their name and contact details were not changed; edit the profile if they "
                "have changed."
            )
            % {"name": user.display_name},
        )


def _choice_labels(profile) -> dict:
    """Readable labels of the stored availability slots and ways to meet, in grid order."""
    slots, modalities = set(profile.availability), set(profile.modalities)
    return {
        "availability": [label for code, label in AVAILABILITY_CHOICES if code in slots],
        "modalities": [label for code, label in Modality.choices if code in modalities],
    }


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Mentees -------------------------------------------------------------------------------


@login_required
def mentee_list(request: HttpRequest) -> HttpResponse:
    _ensure_staff(request.user)
    filters = MenteeFilterForm(request.GET, user=request.user)
    mentees = (
        filters.apply(_staff_mentees(request.user))
        .select_related("user", "program")
        .prefetch_related("languages")
    )
    page = _page(request, mentees)
    return render(
        request,
        "accounts/mentee_list.html",
        {"filters": filters, "page_obj": page, "mentees": page.object_list},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentee_create(request: HttpRequest) -> HttpResponse:
    _ensure_staff(request.user)
    form = MenteeReferralForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            mentee = services.register_mentee(
                actor=request.user,
                program=form.cleaned_data["program"],
                person=form.person_data(),
                profile=form.profile_data(),
                consents=form.cleaned_data["consents"],
                consent_given_on=form.cleaned_data["consent_given_on"],
            )
        except services.DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered in %(program)s.")
                % {"name": mentee.user.display_name, "program": mentee.program.name},
            )
            _say_if_account_was_reused(request, form, mentee.user)
            return redirect(mentee)
    return render(request, "accounts/mentee_form.html", {"form": form, "mentee": None})


@login_required
def mentee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = get_object_or_404(
        MenteeProfile.objects.visible_to(request.user).select_related(
            "user", "program__center", "case_manager"
        ),
        pk=pk,
    )
    access = mentee_access(request.user, mentee)
    if access is None:
        raise Http404
    if access == "case_manager":
        # A disclosure under 42 CFR Part 2: refused without a current sharing consent (even
        # one revoked a moment ago), and written to the accounting of disclosures.
        try:
            services.disclose(
                mentee=mentee,
                kind=Consent.Kind.SHARE_WITH_CASE_MANAGER,
                recipient=request.user,
                information=_("Personal goals and progress (mentee page)"),
                disclosed_by=request.user,
            )
        except services.DomainError:
            raise Http404 from None
    sections = MENTEE_SECTIONS[access]
    # Load only what this reader may see.
    prefetch = [name for key in sections for name in MENTEE_SECTION_PREFETCH.get(key, ())]
    if prefetch:
        prefetch_related_objects([mentee], *prefetch)
    consents = None
    if "consents" in sections:
        consents = list(mentee.consents.select_related("recipient", "recorded_by", "revoked_by"))
    goals = list(
        mentee.goals.select_related("area").prefetch_related(
            "steps",
            Prefetch("progress", queryset=GoalProgress.objects.select_related("recorded_by")),
        )
    )
    record_read(mentee)
    panels = [
        panel
        for panel in (build(request, mentee, access) for build in MENTEE_PROFILE_PANELS)
        if panel
    ]
    return render(
        request,
        "accounts/mentee_detail.html",
        {
            "mentee": mentee,
            "access": access,
            "sections": sections,
            "consents": consents,
            "goals": goals,
            "panels": panels,
            **_choice_labels(mentee),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mentee = get_object_or_404(
        _staff_mentees(request.user).select_related("user", "program"), pk=pk
    )
    form = MenteeProfileForm(request.POST or None, instance=mentee, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_mentee_profile(
                actor=request.user,
                mentee=mentee,
                fields={**form.profile_data(), **form.person_data()},
            )
        except services.DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect(mentee)
    return render(request, "accounts/mentee_form.html", {"form": form, "mentee": mentee})


# --- Mentors -------------------------------------------------------------------------------


@login_required
def mentor_list(request: HttpRequest) -> HttpResponse:
    _ensure_staff(request.user)
    filters = MentorFilterForm(request.GET, user=request.user)
    mentors = (
        filters.apply(_with_places_taken(_staff_mentors(request.user)))
        .select_related("user", "program")
        .prefetch_related("languages")
    )
    page = _page(request, mentors)
    return render(
        request,
        "accounts/mentor_list.html",
        {"filters": filters, "page_obj": page, "mentors": page.object_list},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentor_create(request: HttpRequest) -> HttpResponse:
    _ensure_staff(request.user)
    form = MentorCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            mentor = services.create_mentor(
                actor=request.user,
                program=form.cleaned_data["program"],
                person=form.person_data(),
                profile=form.profile_data(),
            )
        except services.DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered as a mentor in %(program)s.")
                % {"name": mentor.user.display_name, "program": mentor.program.name},
            )
            _say_if_account_was_reused(request, form, mentor.user)
            return redirect(mentor)
    return render(request, "accounts/mentor_form.html", {"form": form, "mentor": None})


@login_required
def mentor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = get_object_or_404(
        _with_places_taken(MentorProfile.objects.visible_to(request.user))
        .select_related("user", "program__center")
        .prefetch_related("languages", "life_goals", "lived_experience", "interests"),
        pk=pk,
    )
    is_staff = request.user.is_superuser or mentor.program_id in request.user.program_ids_with_role(
        *STAFF_ROLES
    )
    record_read(mentor)
    return render(
        request,
        "accounts/mentor_detail.html",
        {"mentor": mentor, "is_staff": is_staff, **_choice_labels(mentor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # A mentor may read their own profile but not edit it: staff keep it.
    mentor = get_object_or_404(
        _staff_mentors(request.user).select_related("user", "program"), pk=pk
    )
    form = MentorProfileForm(request.POST or None, instance=mentor, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_mentor_profile(
                actor=request.user,
                mentor=mentor,
                fields={**form.profile_data(), **form.person_data()},
            )
        except services.DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect(mentor)
    return render(request, "accounts/mentor_form.html", {"form": form, "mentor": mentor})


urlpatterns = [
    path("mentees/", mentee_list, name="mentee_list"),
    path("mentees/new/", mentee_create, name="mentee_create"),
    path("mentees/<int:pk>/", mentee_detail, name="mentee_detail"),
    path("mentees/<int:pk>/edit/", mentee_edit, name="mentee_edit"),
    path("mentors/", mentor_list, name="mentor_list"),
    path("mentors/new/", mentor_create, name="mentor_create"),
    path("mentors/<int:pk>/", mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/edit/", mentor_edit, name="mentor_edit"),
]
