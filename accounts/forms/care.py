"""Forms for consents and personal goals.

They read what was typed and turn it into values; the rules (who may, what is allowed) are
the services' (``accounts.services.care``), whose errors the views show next to the field.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    DISCLOSURE_KINDS,
    Consent,
    Goal,
    GoalProgress,
    LifeGoalArea,
    MenteeProfile,
    validate_not_future,
)


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and shows dates as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ConsentForm(forms.Form):
    """A consent, and for a consent to share, the elements 42 CFR 2.31 requires of it.

    The elements are optional fields of the form because a consent to take part or to be
    contacted has none; for a consent to share, ``clean`` asks for every missing one at once
    (the list is ``Consent.missing_disclosure_elements``, which the service applies too).
    """

    DISCLOSURE_FIELDS = (
        "discloser",
        "information",
        "recipient_name",
        "purpose",
        "expires_on",
        "expiry_event",
        "revocation_acknowledged",
        "signature_name",
        "signed_on",
    )

    kind = forms.ChoiceField(label=_("The mentee agrees to"), choices=Consent.Kind.choices)
    given_on = forms.DateField(
        label=_("Date given"),
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DateInput(),
    )
    text_version = forms.CharField(
        label=_("Consent text version"),
        max_length=Consent._meta.get_field("text_version").max_length,
        initial=Consent._meta.get_field("text_version").default,
        help_text=_("The version of the consent text the mentee read, as printed on it."),
    )
    discloser = forms.CharField(
        label=_("Who may share the information"),
        required=False,
        max_length=Consent._meta.get_field("discloser").max_length,
    )
    information = forms.CharField(
        label=_("What information may be shared"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    recipient_name = forms.CharField(
        label=_("Shared with (person or organisation)"),
        required=False,
        max_length=Consent._meta.get_field("recipient_name").max_length,
        help_text=_("Left empty for sharing with the case manager: the case manager's name."),
    )
    purpose = forms.CharField(
        label=_("Purpose of sharing"),
        required=False,
        max_length=Consent._meta.get_field("purpose").max_length,
    )
    expires_on = forms.DateField(label=_("Ends on (date)"), required=False, widget=DateInput())
    expiry_event = forms.CharField(
        label=_("Or ends when (event)"),
        required=False,
        max_length=Consent._meta.get_field("expiry_event").max_length,
        help_text=_("Give a date, an event, or both; for example “when I leave the program”."),
    )
    revocation_acknowledged = forms.BooleanField(
        label=_("The mentee was told they can revoke this consent at any time"),
        required=False,
    )
    signature_name = forms.CharField(
        label=_("Signature: the mentee types their full name"),
        required=False,
        max_length=Consent._meta.get_field("signature_name").max_length,
    )
    signed_on = forms.DateField(
        label=_("Date signed"), required=False, initial=timezone.localdate, widget=DateInput()
    )

    def __init__(self, *args, mentee: MenteeProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentee = mentee
        self.fields["discloser"].initial = mentee.program.name
        if mentee.case_manager_id:
            self.fields["kind"].help_text = _(
                "Consent to share progress is shared with the case manager, %(name)s."
            ) % {"name": mentee.case_manager.display_name}
        else:
            self.fields["kind"].help_text = _(
                "No case manager is named on the profile, so consent to share cannot be "
                "recorded yet."
            )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        names_case_manager = kind == Consent.Kind.SHARE_WITH_CASE_MANAGER
        if names_case_manager and not self.mentee.case_manager_id:
            # Impossible whatever the elements say; the service explains why, on "kind".
            return cleaned
        if kind in DISCLOSURE_KINDS:
            elements = {
                name: cleaned.get(name) or ("" if name not in {"expires_on", "signed_on"} else None)
                for name in self.DISCLOSURE_FIELDS
            }
            # Blank means the defaults the service applies: the program, the case manager.
            elements["discloser"] = elements["discloser"] or self.mentee.program.name
            if not elements["recipient_name"] and names_case_manager:
                elements["recipient_name"] = self.mentee.case_manager.display_name
            elements["revocation_acknowledged"] = bool(elements["revocation_acknowledged"])
            draft = Consent(kind=kind, **elements)
            for field, message in draft.missing_disclosure_elements().items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned


class GoalForm(forms.Form):
    """A goal in the mentee's own words, with its small steps typed one per line."""

    area = forms.ModelChoiceField(
        label=_("Life-goal area"),
        queryset=LifeGoalArea.objects.none(),
        empty_label=_("Choose an area"),
    )
    statement = forms.CharField(
        label=_("The goal, in the mentee's own words"),
        max_length=Goal._meta.get_field("statement").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    steps = forms.CharField(
        label=_("Small steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One small step per line. Leave empty to add steps later."),
    )

    def __init__(self, *args, current_area: LifeGoalArea | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Retired areas are not offered, except the one the goal already has.
        areas = Q(is_active=True)
        if current_area is not None:
            areas |= Q(pk=current_area.pk)
        self.fields["area"].queryset = LifeGoalArea.objects.filter(areas)

    def clean_steps(self) -> list[str]:
        lines = (self.cleaned_data.get("steps") or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    @staticmethod
    def steps_as_text(goal: Goal) -> str:
        return "\n".join(step.text for step in goal.steps.all())


class GoalProgressForm(forms.Form):
    """How a goal is going: its status, a date and an optional note."""

    status = forms.ChoiceField(label=_("How is it going?"), choices=Goal.Status.choices)
    date = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DateInput(),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=GoalProgress._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
