"""Forms of supervision: the log review filters, a supervision meeting, a note for a mentor.
The rules (dates, who may write) are in ``sessions.services.supervision``."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import MentorProfile
from sessions.models import MentoringSession, SupervisionMeeting, SupervisorNote


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and shows dates as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LogFilterForm(forms.Form):
    """Filters of the log review list, read from the query string. An invalid value is shown
    next to its filter and that filter is left out."""

    CONCERN_CHOICES = [
        ("", _("Any log")),
        ("any", _("Any concern")),
        (MentoringSession.Concern.URGENT, _("Urgent safety concern")),
        (MentoringSession.Concern.TALK, _("Talk with my supervisor")),
    ]
    REVIEW_CHOICES = [("", _("Any")), ("no", _("Not reviewed yet")), ("yes", _("Reviewed"))]

    concern = forms.ChoiceField(label=_("Concern"), choices=CONCERN_CHOICES, required=False)
    reviewed = forms.ChoiceField(label=_("Review"), choices=REVIEW_CHOICES, required=False)
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=MentorProfile.objects.none(),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors.select_related("user", "program")
        self.fields["mentor"].label_from_instance = lambda mentor: (
            f"{mentor.user.display_name} ({mentor.program.name})"
        )

    def value(self, name: str):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    def apply(self, queryset):
        concern = self.value("concern")
        if concern == "any":
            queryset = queryset.exclude(concern="")
        elif concern:
            queryset = queryset.filter(concern=concern)
        if (reviewed := self.value("reviewed")) is not None:
            queryset = queryset.filter(reviewed_at__isnull=reviewed == "no")
        if mentor := self.value("mentor"):
            queryset = queryset.filter(match__mentor=mentor)
        return queryset


class SupervisionMeetingForm(forms.Form):
    met_on = forms.DateField(
        label=SupervisionMeeting._meta.get_field("met_on").verbose_name.capitalize(),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    topics = forms.CharField(
        label=_("What we talked about"),
        max_length=SupervisionMeeting._meta.get_field("topics").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The mentor can read this."),
    )
    agreed_actions = forms.CharField(
        label=_("Agreed actions"),
        required=False,
        max_length=SupervisionMeeting._meta.get_field("agreed_actions").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_on = forms.DateField(label=_("Next meeting"), required=False, widget=DateInput())


class SupervisorNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note for the mentor"),
        max_length=SupervisorNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The mentor reads this on their supervision page."),
    )
    session = forms.ModelChoiceField(
        label=_("About the session of"),
        queryset=MentoringSession.objects.none(),
        required=False,
        empty_label=_("No particular session"),
        error_messages={"invalid_choice": _("Choose one of this mentor's sessions.")},
    )

    RECENT_SESSIONS = 30

    def __init__(self, *args, mentor: MentorProfile, **kwargs):
        super().__init__(*args, **kwargs)
        recent = (
            MentoringSession.objects.filter(match__mentor=mentor, match__program=mentor.program_id)
            .filter(~Q(status=MentoringSession.Status.SCHEDULED) | Q(logged_at__isnull=False))
            .order_by("-starts_at")
            .values_list("pk", flat=True)[: self.RECENT_SESSIONS]
        )
        self.fields["session"].queryset = MentoringSession.objects.filter(
            pk__in=list(recent)
        ).select_related("match__mentee__user")
        self.fields["session"].label_from_instance = lambda session: (
            f"{timezone.localtime(session.starts_at):%Y-%m-%d} · "
            f"{session.match.mentee.user.display_name} · {session.get_status_display()}"
        )
