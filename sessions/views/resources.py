"""The resource directory, and following referrals up.

Who may do what:
- the directory and its entries are read by everyone with a role in the entry's program
  (coordinators, supervisors, mentors, mentees, case managers); entries taken off the list are
  seen by the program's staff only; anyone else gets 404;
- adding and changing entries is for the program's coordinators and supervisors, who also see
  each entry's effectiveness (referrals made, share connected, average helpfulness);
- the referral list is for staff (their programs' referrals) and mentors (the referrals made in
  their own matches' sessions); either may record a referral's follow-up. Mentees and case
  managers get 404 there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.scoping import STAFF_ROLES
from accounts.services import DomainError
from sessions import selectors, services
from sessions.forms.resources import (
    ReferralFilterForm,
    ReferralFollowUpForm,
    ResourceFilterForm,
    ResourceForm,
)

PAGE_SIZE = 25


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _show_domain_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _ensure_member(user) -> None:
    if not (user.is_superuser or user.roles):
        raise Http404


def _ensure_staff(user) -> None:
    if not (user.is_superuser or user.has_role(*STAFF_ROLES)):
        raise Http404


def _ensure_may_list_referrals(user) -> None:
    if not (user.is_superuser or user.has_role(*STAFF_ROLES, "mentor")):
        raise Http404


# --- The directory ---------------------------------------------------------------------------


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _ensure_member(user)
    filters = ResourceFilterForm(request.GET, user=user)
    resources = (
        filters.apply(selectors.resources_visible_to(user))
        .select_related("program")
        .prefetch_related("languages")
        .order_by("category", "name", "pk")
    )
    staff_ids = selectors.staff_program_ids(user)
    is_staff = staff_ids is None or bool(staff_ids)
    if is_staff:
        resources = selectors.with_effectiveness(resources)
    page = _page(request, resources)
    for resource in page.object_list:
        resource.show_effectiveness = staff_ids is None or resource.program_id in staff_ids
    return render(
        request,
        "sessions/resource_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "resources": page.object_list,
            "is_staff": is_staff,
            "several_programs": "program" in filters.fields,
        },
    )


@login_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(
        selectors.resources_visible_to(request.user)
        .select_related("program")
        .prefetch_related("languages"),
        pk=pk,
    )
    is_staff = selectors.is_program_staff(request.user, resource.program_id)
    return render(
        request,
        "sessions/resource_detail.html",
        {
            "resource": resource,
            "is_staff": is_staff,
            "effectiveness": selectors.effectiveness_of(resource) if is_staff else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    _ensure_staff(request.user)
    form = ResourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.create_resource(
                actor=request.user,
                program=form.cleaned_data["program"],
                fields=form.resource_data(),
                languages=form.cleaned_data["languages"],
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s is in the directory.") % {"name": resource.name})
            return redirect("mentoring_sessions:resource_detail", resource.pk)
    return render(request, "sessions/resource_form.html", {"form": form, "resource": None})


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(
        selectors.resources_staffed_by(request.user).select_related("program"), pk=pk
    )
    form = ResourceForm(request.POST or None, instance=resource, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resource(
                actor=request.user,
                resource=resource,
                fields=form.resource_data(),
                languages=form.cleaned_data["languages"],
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The entry is saved."))
            return redirect("mentoring_sessions:resource_detail", resource.pk)
    return render(request, "sessions/resource_form.html", {"form": form, "resource": resource})


# --- Referrals -----------------------------------------------------------------------------


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _ensure_may_list_referrals(user)
    filters = ReferralFilterForm(
        request.GET, resources=selectors.resources_visible_to(user).order_by("name")
    )
    referrals = (
        filters.apply(selectors.referrals_visible_to(user))
        .select_related("resource", "session__match__mentee__user", "session__match__mentor__user")
        .order_by("-session__starts_at", "-pk")
    )
    page = _page(request, referrals)
    return render(
        request,
        "sessions/referral_list.html",
        {"filters": filters, "page_obj": page, "referrals": page.object_list},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(
        selectors.referrals_visible_to(request.user).select_related(
            "resource", "session__match__mentee__user", "session__match__mentor__user"
        ),
        pk=pk,
    )
    if not selectors.may_follow_up(request.user, referral):
        raise Http404
    form = ReferralFollowUpForm(request.POST or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_referral_follow_up(
                actor=request.user, referral=referral, **form.follow_up_data()
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect(reverse("mentoring_sessions:referral_list") + "?follow_up=pending")
    return render(request, "sessions/referral_follow_up.html", {"form": form, "referral": referral})


urlpatterns = [
    path("resources/", resource_list, name="resource_list"),
    path("resources/new/", resource_new, name="resource_new"),
    path("resources/<int:pk>/", resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", resource_edit, name="resource_edit"),
    path("referrals/", referral_list, name="referral_list"),
    path("referrals/<int:pk>/follow-up/", referral_follow_up, name="referral_follow_up"),
]
