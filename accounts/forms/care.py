"""Forms for consents and personal goals.

They read what was typed and turn it into values; the rules (who may, what is allowed) are
the services' (``accounts.services.care``), whose errors the views show next to the field.
"""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
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

    def __init__(self, *args, mentee: MenteeProfile, **kwargs):
        super().__init__(*args, **kwargs)
        if mentee.case_manager_id:
            self.fields["kind"].help_text = _(
                "Consent to share progress is shared with the case manager, %(name)s."
            ) % {"name": mentee.case_manager.display_name}
        else:
            self.fields["kind"].help_text = _(
                "No case manager is named on the profile, so consent to share cannot be "
                "recorded yet."
            )


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
