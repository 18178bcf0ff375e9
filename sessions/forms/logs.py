"""Forms for scheduling a session, logging it and calling it off.

The log form is made for a phone: one column, and at most five required inputs, all but one
pre-filled from the schedule:

1. what happened (held, cancelled, no-show) — pre-selected "held" once the session has begun;
2. how long it lasted — the expected length;
3. how you met — the scheduled way;
4. the kinds of support given (emotional, informational, instrumental) — for a held session;
5. for a meeting that was never scheduled only: when it took place.

The summary for the mentee is optional: a mentor in a hurry can log without writing, and
what the mentee reads is better left empty than filled with filler. Everything else (topics,
goals worked on, resources shared, referrals, private notes, a concern) is optional too.

The forms read what was typed and turn it into values; the rules (who may, a held session
not before it starts, the goals are the mentee's...) are the services'
(``sessions.services.logs``), whose errors the views show next to the field they name.
Dates and times are shown and read in the time zone the view activates: the match's center's.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Goal, Modality
from matching.models import Match
from sessions.models import (
    MAX_DURATION,
    MIN_DURATION,
    MentoringSession,
    Resource,
    SupportType,
    Topic,
)
from sessions.services.logs import LOGGED_STATUSES

Status = MentoringSession.Status
Concern = MentoringSession.Concern

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MINUTES_ERRORS = {
    "min_value": _("A session lasts at least %(limit_value)s minutes."),
    "max_value": _("A session lasts at most %(limit_value)s minutes (8 hours)."),
}
LARGE = {"class": "form-control-lg"}


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; it sends and shows YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={**LARGE, **(attrs or {})}, format=DATETIME_FORMAT)


def _starts_at_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=DateTimeLocalInput(),
    )


def _minutes_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        error_messages=MINUTES_ERRORS,
        widget=forms.NumberInput(attrs={**LARGE, "inputmode": "numeric", "step": 5}),
        **kwargs,
    )


def _modality_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How you meet"), choices=Modality.choices, widget=forms.RadioSelect
    )


def _zone_help(match: Match) -> str:
    return _("In the center's time zone (%(zone)s).") % {"zone": match.program.center.time_zone}


def _common_modality(match: Match) -> str:
    """A way to meet both people chose, else in person."""
    mentee_ways = set(match.mentee.modalities)
    for way in match.mentor.modalities:
        if way in mentee_ways:
            return way
    return Modality.IN_PERSON


class ResourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        return f"{obj.name} ({obj.get_category_display()})"


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.statement} ({obj.get_status_display()})"


class ScheduleForm(forms.Form):
    """When, for how long, how and where a session will take place."""

    starts_at = _starts_at_field(_("Date and time"))
    expected_minutes = _minutes_field(_("Expected length (minutes)"), initial=60)
    modality = _modality_field()
    place = forms.CharField(
        label=_("Place or link"),
        required=False,
        max_length=MentoringSession._meta.get_field("place").max_length,
        widget=forms.TextInput(attrs=LARGE),
        help_text=_("An address, the phone number to call, or the video link."),
    )

    def __init__(self, *args, match: Match, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _zone_help(match)
        self.fields["modality"].initial = _common_modality(match)

    @staticmethod
    def initial_for(session: MentoringSession) -> dict:
        return {
            "starts_at": session.starts_at,
            "expected_minutes": session.expected_minutes,
            "modality": session.modality,
            "place": session.place,
        }

    def schedule_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class SessionLogForm(forms.Form):
    """What happened in one session. ``match`` limits the goals to the mentee's and the
    resources to the program's active directory."""

    status = forms.ChoiceField(
        label=_("What happened?"),
        choices=[(status.value, status.label) for status in LOGGED_STATUSES],
        widget=forms.RadioSelect,
    )
    duration_minutes = _minutes_field(_("How long (minutes)"))
    modality = _modality_field()
    support_types = forms.MultipleChoiceField(
        label=_("Support you gave"),
        choices=SupportType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a held session: choose at least one."),
    )
    summary = forms.CharField(
        label=_("Summary for the mentee (optional)"),
        required=False,
        max_length=MentoringSession._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={**LARGE, "rows": 3}),
        help_text=_("The mentee can read this. Keep it short and kind."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals_worked_on = GoalChoiceField(
        label=_("Goals you worked on"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources_shared = ResourceChoiceField(
        label=_("Resources you shared"),
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referrals = ResourceChoiceField(
        label=_("Referred the mentee to"),
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A referral is followed up later: did the mentee connect?"),
    )
    private_notes = forms.CharField(
        label=_("Private notes (optional)"),
        required=False,
        max_length=MentoringSession._meta.get_field("private_notes").max_length,
        widget=forms.Textarea(attrs={**LARGE, "rows": 3}),
        help_text=_(
            "Only you and the program's supervisors can read these: never the mentee, their "
            "case manager, emails or exports."
        ),
    )
    concern = forms.ChoiceField(
        label=_("Any concern?"),
        choices=Concern.choices,
        required=False,
        initial=Concern.NONE,
        widget=forms.RadioSelect,
        help_text=_(
            "“Urgent safety concern” alerts every supervisor of the program at once, by email "
            "and in the app, and opens a safety alert they follow up. If someone is in danger "
            "right now, call emergency services first."
        ),
    )

    # The optional details of a held session, folded on a phone until opened.
    DETAIL_FIELDS = ("topics", "goals_worked_on", "resources_shared", "referrals")

    def __init__(self, *args, match: Match, **kwargs):
        super().__init__(*args, **kwargs)
        self.match = match
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)
        self.fields["goals_worked_on"].queryset = Goal.objects.filter(
            mentee_id=match.mentee_id
        ).exclude(status=Goal.Status.SET_ASIDE)
        resources = Resource.objects.filter(program_id=match.program_id, is_active=True)
        self.fields["resources_shared"].queryset = resources
        self.fields["referrals"].queryset = resources
        if not self.fields["modality"].initial:
            self.fields["modality"].initial = _common_modality(match)

    @staticmethod
    def initial_for(session: MentoringSession, *, started: bool) -> dict:
        """Pre-filled from the schedule; "held" is offered once the session has begun."""
        initial = {
            "duration_minutes": session.expected_minutes,
            "modality": session.modality,
            "concern": Concern.NONE,
        }
        if started:
            initial["status"] = Status.HELD
        return initial

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.HELD and not data.get("support_types"):
            self.add_error("support_types", _("Choose at least one kind of support you gave."))
        return data

    @property
    def details_given(self) -> bool:
        """Whether the optional details hold anything (so that they are shown unfolded)."""
        return any(self[name].value() for name in self.DETAIL_FIELDS) or any(
            self.errors.get(name) for name in self.DETAIL_FIELDS
        )

    def log_data(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "duration_minutes": data["duration_minutes"],
            "modality": data["modality"],
            "support_types": data["support_types"],
            "topics": list(data["topics"]),
            "goals_worked_on": list(data["goals_worked_on"]),
            "resources_shared": list(data["resources_shared"]),
            "referrals": list(data["referrals"]),
            "summary": data["summary"],
            "private_notes": data["private_notes"],
            "concern": data["concern"] or Concern.NONE,
        }


class UnscheduledLogForm(SessionLogForm):
    """A meeting that was never scheduled: the log form plus when and where it took place."""

    starts_at = _starts_at_field(_("When you met"))
    place = forms.CharField(
        label=_("Where (optional)"),
        required=False,
        max_length=MentoringSession._meta.get_field("place").max_length,
        widget=forms.TextInput(attrs=LARGE),
    )

    field_order = ["starts_at", "status", "duration_minutes", "modality", "support_types"]

    def __init__(self, *args, match: Match, **kwargs):
        super().__init__(*args, match=match, **kwargs)
        self.fields["starts_at"].help_text = _zone_help(match)

    def log_data(self) -> dict:
        return {
            **super().log_data(),
            "starts_at": self.cleaned_data["starts_at"],
            "place": self.cleaned_data["place"],
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=MentoringSession._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The mentee sees this reason."),
    )
