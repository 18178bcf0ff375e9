"""Group sessions: support groups, workshops and community events.

Who may do what:
- the list and a group's page: the program's staff and mentors, and mentees on the group's
  attendee list (others get 404; a case manager has no group pages);
- the attendee list is seen by the program's staff and the group's facilitating mentors only.
  Being at a recovery support group is health information, so a mentee sees the group's title,
  time, place and facilitators and their own place on the list, never who else is coming, and
  a mentor who does not facilitate the group does not see it either;
- planning a group is for staff; its details and attendance are kept by staff and its
  facilitators (only staff choose the facilitators). Staff add any of the program's mentees to
  the list; a facilitating mentor adds their own mentees, since mentors do not see the
  program's whole mentee list.
Opening a page that shows an attendee list writes a read entry to the audit log.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import record_read
from accounts.models import MentorProfile
from accounts.scoping import STAFF_ROLES
from accounts.services import DomainError
from sessions import selectors, services
from sessions.forms.groups import GroupAttendanceForm, GroupFilterForm, GroupSessionForm
from sessions.models import GroupAttendance, GroupSession
from sessions.services.groups import attendance_open

PAGE_SIZE = 25


def _show_domain_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _with_facilitators(groups):
    return groups.select_related("program", "topic").prefetch_related(
        Prefetch("facilitators", queryset=MentorProfile.objects.select_related("user"))
    )


def _get_group(user, pk: int) -> GroupSession:
    return get_object_or_404(_with_facilitators(selectors.groups_visible_to(user)), pk=pk)


def _get_managed_group(user, pk: int) -> GroupSession:
    group = _get_group(user, pk)
    if not selectors.may_manage_group(user, group):
        raise Http404
    return group


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_see_groups(user):
        raise Http404
    filters = GroupFilterForm(request.GET, user=user)
    groups = selectors.groups_visible_to(user)
    start_of_today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    if filters.period == "upcoming":
        groups = groups.filter(starts_at__gte=start_of_today).order_by("starts_at", "pk")
    elif filters.period == "past":
        groups = groups.filter(starts_at__lt=start_of_today).order_by("-starts_at", "-pk")
    else:
        groups = groups.order_by("-starts_at", "-pk")
    if kind := filters.value("kind"):
        groups = groups.filter(kind=kind)
    if program := filters.value("program"):
        groups = groups.filter(program=program)
    groups = _with_facilitators(groups).annotate(
        listed=Count("attendance", distinct=True),
        came=Count(
            "attendance",
            filter=Q(attendance__status=GroupAttendance.Status.ATTENDED),
            distinct=True,
        ),
    )
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    managed = selectors.managed_group_ids(user, [group.pk for group in page.object_list])
    for group in page.object_list:
        group.managed = group.pk in managed
    return render(
        request,
        "sessions/group_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "groups": page.object_list,
            "may_plan": user.is_superuser or user.has_role(*STAFF_ROLES),
            "several_programs": "program" in filters.fields,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_superuser or request.user.has_role(*STAFF_ROLES)):
        raise Http404
    form = GroupSessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group_session(
                actor=request.user,
                program=form.cleaned_data["program"],
                fields=form.group_data(),
                facilitators=form.chosen_facilitators(),
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("%(title)s is planned.") % {"title": group.title})
            return redirect("mentoring_sessions:group_detail", group.pk)
    return render(request, "sessions/group_form.html", {"form": form, "group": None})


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    group = _get_group(user, pk)
    manages = selectors.may_manage_group(user, group)
    attendees = mine = None
    if manages:
        attendees = list(
            group.attendance.select_related("mentee__user").order_by("mentee__user__display_name")
        )
        record_read(group)
    else:
        mine = group.attendance.filter(mentee__user=user).first()
    return render(
        request,
        "sessions/group_detail.html",
        {"group": group, "manages": manages, "attendees": attendees, "mine": mine},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _get_managed_group(request.user, pk)
    form = GroupSessionForm(request.POST or None, instance=group, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group_session(
                actor=request.user,
                group=group,
                fields=form.group_data(),
                facilitators=form.chosen_facilitators(),
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The group session is saved."))
            return redirect("mentoring_sessions:group_detail", group.pk)
    return render(request, "sessions/group_form.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def group_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    group = _get_managed_group(request.user, pk)
    rows = group.attendance.select_related("mentee__user").order_by("mentee__user__display_name")
    form = GroupAttendanceForm(
        request.POST or None,
        group=group,
        rows=rows,
        marking_open=attendance_open(group),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group_attendance(
                actor=request.user,
                group=group,
                statuses=form.statuses(),
                remove=form.removed(),
                add=form.cleaned_data["add"],
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("The attendance list is saved."))
            return redirect("mentoring_sessions:group_detail", group.pk)
    record_read(group)
    return render(request, "sessions/group_attendance.html", {"form": form, "group": group})


urlpatterns = [
    path("groups/", group_list, name="group_list"),
    path("groups/new/", group_new, name="group_new"),
    path("groups/<int:pk>/", group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", group_edit, name="group_edit"),
    path("groups/<int:pk>/attendance/", group_attendance, name="group_attendance"),
]
