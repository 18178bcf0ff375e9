"""Forms for working a safety alert and for a program's crisis settings. The rules (who may,
dates, which supervisors) live in ``sessions.services.safety``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from sessions.models import ContactAttempt, CrisisSettings, SafetyAlert, SafetyAlertNote

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class AlertNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        max_length=SafetyAlertNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you did or learned. Only the program's supervisors can read it."),
    )


class ContactAttemptForm(forms.Form):
    attempted_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"type": "datetime-local"}),
    )
    method = forms.ChoiceField(label=_("How"), choices=ContactAttempt.Method.choices)
    result = forms.ChoiceField(label=_("What happened"), choices=ContactAttempt.Result.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=ContactAttempt._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"attempted_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        super().__init__(*args, **kwargs)


class ResolveAlertForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose the outcome")), *SafetyAlert.Outcome.choices],
    )
    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=SafetyAlertNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CrisisSettingsForm(forms.Form):
    on_call_phone = forms.CharField(
        label=CrisisSettings._meta.get_field("on_call_phone").verbose_name,
        help_text=CrisisSettings._meta.get_field("on_call_phone").help_text,
        max_length=CrisisSettings._meta.get_field("on_call_phone").max_length,
        required=False,
    )
    on_call_supervisors = forms.ModelMultipleChoiceField(
        label=_("On-call supervisors"),
        help_text=CrisisSettings._meta.get_field("on_call_supervisors").help_text,
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    escalation_minutes = forms.IntegerField(
        label=CrisisSettings._meta.get_field("escalation_minutes").verbose_name,
        help_text=CrisisSettings._meta.get_field("escalation_minutes").help_text,
        min_value=5,
        max_value=240,
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_call_supervisors"].queryset = supervisors
        self.fields["on_call_supervisors"].label_from_instance = lambda user: user.display_name
