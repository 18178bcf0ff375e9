"""Searching the audit trail: by person, by record and by date.

For supervisors (entries about the people and records of the programs they supervise) and
administrators (everything). Anyone else gets 404. The list merges the two streams of the
trail (changes and reads from django-auditlog; sign-ins, refusals, exports and disclosures
from ``AuditEvent``), newest first, paginated.

"About a program" means: done by a member of the program, or about a member's account, or
about one of the program's mentee or mentor profiles (changes and reads), or tagged with the
program (events).
"""

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.audit import AUDITED_MODELS
from accounts.forms.care import DateInput
from accounts.models import AuditEvent, Membership, MenteeProfile, MentorProfile, User

PAGE_SIZE = 50
FIELDS = ("seq", "stream", "when", "who", "act", "rtype", "rid", "info")
ACTION_LABELS = {str(value): label for value, label in LogEntry.Action.choices}
EVENT_LABELS = dict(AuditEvent.Kind.choices)


def _record_types() -> list[tuple[str, str]]:
    types = [("", _("Any record"))]
    for app_label, names in AUDITED_MODELS.items():
        for name in names:
            types.append((f"{app_label}.{name.lower()}", f"{app_label} · {name}"))
    types.append(("accounts.disclosure", "accounts · Disclosure"))
    return types


class AuditSearchForm(forms.Form):
    person = forms.CharField(label=_("Person (name or email)"), required=False, max_length=200)
    record_type = forms.ChoiceField(label=_("Record type"), required=False, choices=())
    record_id = forms.IntegerField(label=_("Record number"), required=False, min_value=1)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = _record_types()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


def _scopes(user) -> tuple[Q, Q] | None:
    """Filters for (changes, events) this user may read; None for everything; 404 otherwise."""
    if user.is_superuser:
        return None
    programs = user.program_ids_with_role(Membership.Role.SUPERVISOR)
    if not programs:
        raise Http404
    people = Membership.objects.filter(program_id__in=programs).values("user_id")
    types = ContentType.objects.get_for_models(User, MenteeProfile, MentorProfile)
    changes = (
        Q(actor_id__in=people)
        | Q(content_type=types[User], object_id__in=people)
        | Q(
            content_type=types[MenteeProfile],
            object_id__in=MenteeProfile.objects.filter(program_id__in=programs).values("pk"),
        )
        | Q(
            content_type=types[MentorProfile],
            object_id__in=MentorProfile.objects.filter(program_id__in=programs).values("pk"),
        )
    )
    events = Q(program_id__in=programs) | Q(actor_id__in=people) | Q(subject_user_id__in=people)
    return changes, events


def _search(user, data: dict):
    changes = LogEntry.objects.all()
    events = AuditEvent.objects.all()
    scopes = _scopes(user)
    if scopes is not None:
        changes, events = changes.filter(scopes[0]), events.filter(scopes[1])
    if data.get("person"):
        term = data["person"].strip()
        people = User.objects.filter(
            Q(display_name__icontains=term) | Q(email__icontains=term)
        ).values("pk")
        user_type = ContentType.objects.get_for_model(User)
        changes = changes.filter(
            Q(actor_id__in=people) | Q(content_type=user_type, object_id__in=people)
        )
        events = events.filter(
            Q(actor_id__in=people) | Q(subject_user_id__in=people) | Q(username__icontains=term)
        )
    if data.get("record_type"):
        app_label, model = data["record_type"].split(".", 1)
        changes = changes.filter(content_type__app_label=app_label, content_type__model=model)
        events = events.filter(object_type=data["record_type"])
    if data.get("record_id"):
        changes = changes.filter(object_pk=str(data["record_id"]))
        events = events.filter(object_id=str(data["record_id"]))
    if data.get("date_from"):
        changes = changes.filter(timestamp__date__gte=data["date_from"])
        events = events.filter(at__date__gte=data["date_from"])
    if data.get("date_to"):
        changes = changes.filter(timestamp__date__lte=data["date_to"])
        events = events.filter(at__date__lte=data["date_to"])
    text = CharField()
    changes = (
        changes.order_by()
        .annotate(
            seq=F("pk"),
            stream=Value("changes", output_field=text),
            when=F("timestamp"),
            who=F("actor_id"),
            act=Cast("action", text),
            rtype=Concat(
                F("content_type__app_label"),
                Value("."),
                F("content_type__model"),
                output_field=text,
            ),
            rid=F("object_pk"),
            info=F("object_repr"),
        )
        .values(*FIELDS)
    )
    events = (
        events.order_by()
        .annotate(
            seq=F("pk"),
            stream=Value("events", output_field=text),
            when=F("at"),
            who=F("actor_id"),
            act=F("kind"),
            rtype=F("object_type"),
            rid=F("object_id"),
            info=Concat(
                F("username"), Value(" "), F("path"), Value(" "), F("detail"), output_field=text
            ),
        )
        .values(*FIELDS)
    )
    return changes.union(events, all=True).order_by("-when", "-seq")


@login_required
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    _scopes(request.user)  # 404 before anything else for those who may not search
    form = AuditSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = None
    if not form.is_bound or form.is_valid():
        page = Paginator(_search(request.user, data), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        actors = User.objects.in_bulk({row["who"] for row in rows if row["who"]})
        for row in rows:
            row["actor"] = actors.get(row["who"])
            labels = ACTION_LABELS if row["stream"] == "changes" else EVENT_LABELS
            row["action_label"] = labels.get(row["act"], row["act"])
        page.rows = rows
    return render(request, "accounts/audit_search.html", {"form": form, "page_obj": page})


urlpatterns = [path("audit/", audit_search, name="audit_search")]
