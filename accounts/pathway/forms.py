"""Forms of the mentor pathway. They turn what was typed into values; the rules are the
services', whose refusals the views show next to the field.

The public application form resists spam without a captcha: a hidden field people never fill
(``website``), and a signed timestamp that must be at least ``MIN_FILL_SECONDS`` old when the
form comes back (a bot posts at once). The view also limits submissions per address.
"""

import time
from decimal import Decimal

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms.care import DateInput
from accounts.models import MentorProfile, Program, User, validate_not_future
from accounts.pathway.models import (
    Competency,
    EmploymentOutcome,
    PathwaySettings,
    ScreeningStep,
    TrainingModule,
    WellbeingCheckIn,
    validate_training_hours,
)

MIN_FILL_SECONDS = 3
FORM_SALT = "accounts.pathway.apply"


def started_token(at: float | None = None) -> str:
    return signing.dumps({"t": at if at is not None else time.time()}, salt=FORM_SALT)


class PersonFields(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=User.Language.choices, initial="en"
    )
    recovery_start = forms.DateField(
        label=_("When did your recovery start? (approximately)"),
        required=False,
        validators=[validate_not_future],
        widget=DateInput(),
    )
    motivation = forms.CharField(
        label=_("Why would you like to be a peer mentor?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def person_data(self) -> dict:
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "email": data["email"],
            "phone": data.get("phone", ""),
            "preferred_language": data.get("preferred_language") or "en",
        }


class ApplicationForm(PersonFields):
    """The public form; no login."""

    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), empty_label=None
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    field_order = ["program", "display_name", "email", "phone", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(is_active=True).select_related(
            "center"
        )
        self.fields["program"].label_from_instance = lambda p: f"{p.name} ({p.center.name})"
        self.fields["started"].initial = started_token()

    def is_probably_spam(self) -> bool:
        """The honeypot was filled, or the form came back too fast or with a forged stamp."""
        if self.data.get("website"):
            return True
        try:
            started = signing.loads(self.data.get("started", ""), salt=FORM_SALT, max_age=86400)
        except signing.BadSignature:
            return True
        return time.time() - float(started.get("t", 0)) < MIN_FILL_SECONDS


class ApplicantForm(PersonFields):
    """A coordinator enters an applicant."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    field_order = ["program", "display_name", "email", "phone", "preferred_language"]

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["display_name"].label = _("Name")
        self.fields["recovery_start"].label = _("Recovery start (approximately)")
        self.fields["motivation"].label = _("Why they would like to mentor")


class PathwaySettingsForm(forms.ModelForm):
    screening_steps = forms.MultipleChoiceField(
        label=_("Screening steps"),
        choices=ScreeningStep.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The steps every applicant to this program passes before training."),
        error_messages={"required": _("Choose at least one screening step.")},
    )

    class Meta:
        model = PathwaySettings
        fields = [
            "screening_steps",
            "training_hours_before_first_match",
            "certification_valid_days",
            "certification_reminder_days",
            "supervision_cadence_days",
            "min_days_in_recovery",
        ]

    def clean_screening_steps(self) -> list[str]:
        chosen = set(self.cleaned_data["screening_steps"])
        return [value for value in ScreeningStep.Kind.values if value in chosen]


class ScreeningStepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=ScreeningStep.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ScreeningStep.Status.choices)
    completed_on = forms.DateField(
        label=_("Date"),
        required=False,
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DateInput(),
    )
    note = forms.CharField(
        label=_("Note (not for the background check)"), max_length=300, required=False
    )

    def __init__(self, *args, steps: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if steps is not None:
            self.fields["kind"].choices = steps


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=MentorProfile.Status.choices)
    reason = forms.CharField(
        label=_("Reason (needed for on hold and inactive)"), max_length=300, required=False
    )


class TrainingSessionForm(forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=TrainingModule.objects.none())
    held_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DateInput(),
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        validators=[validate_training_hours],
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=MentorProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = TrainingModule.objects.filter(
            program=program, is_active=True
        )
        self.fields["attendees"].queryset = (
            MentorProfile.objects.filter(program=program)
            .exclude(status=MentorProfile.Status.INACTIVE)
            .select_related("user")
        )
        self.fields["attendees"].label_from_instance = lambda m: m.user.display_name


class RolePlayForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DateInput(),
    )
    scenario = forms.CharField(label=_("Scenario practised"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Competency.choices:
            self.fields[f"{value}_score"] = forms.TypedChoiceField(
                label=_("%(competency)s (1–4)") % {"competency": label},
                choices=[("", "—"), *[(n, str(n)) for n in range(1, 5)]],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"{value}_comment"] = forms.CharField(
                label=_("Comment on %(competency)s") % {"competency": str(label).lower()},
                max_length=500,
                required=False,
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"{value}_score") for value in Competency.values):
            raise forms.ValidationError(_("Rate at least one competency."))
        return data

    def ratings(self) -> dict:
        data = self.cleaned_data
        return {
            value: (data[f"{value}_score"], data.get(f"{value}_comment", ""))
            for value in Competency.values
            if data.get(f"{value}_score")
        }


class CertifyForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Issued on"),
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DateInput(),
    )


class EmploymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Outcome"), choices=EmploymentOutcome.Kind.choices)
    employer = forms.CharField(label=_("Employer or agency"), max_length=150, required=False)
    started_on = forms.DateField(
        label=_("Started"), validators=[validate_not_future], widget=DateInput()
    )
    ended_on = forms.DateField(
        label=_("Ended (if it has)"),
        required=False,
        validators=[validate_not_future],
        widget=DateInput(),
    )


class WellbeingForm(forms.Form):
    feeling = forms.ChoiceField(
        label=_("How are you doing in your own recovery?"),
        choices=WellbeingCheckIn.Feeling.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything you want to add (only you and your supervisor read this)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wants_contact = forms.BooleanField(
        label=_("I would like my supervisor to contact me"), required=False
    )


class InvitationApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why would you like to be a peer mentor?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
