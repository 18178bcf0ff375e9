"""Forms of the suggestions page and of the program's matching weights.

The forms check the shape of what was sent; the rules (who may, which pairs may be matched,
the range of a weight) are checked again by the services in ``matching.services``.
"""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import MenteeProfile, MentorProfile
from matching.models import MatchingSettings
from matching.services.cohort import MAX_WEIGHT

PRIORITY_FIELDS = ("weight_waiting", "weight_hard_to_match")


class ProposeForm(forms.Form):
    """ "Propose" on one suggestion: the mentor, from the mentee's own program."""

    mentor = forms.ModelChoiceField(
        queryset=MentorProfile.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose a mentor of the mentee's program.")},
    )

    def __init__(self, *args, mentee: MenteeProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = MentorProfile.objects.filter(
            program_id=mentee.program_id
        ).select_related("user")


class WeightsForm(forms.ModelForm):
    """How much each criterion counts (0–100) and whether matches need approval."""

    class Meta:
        model = MatchingSettings
        fields = [
            *MatchingSettings.WEIGHT_FIELDS,
            *PRIORITY_FIELDS,
            "requires_approval",
            *MatchingSettings.CADENCE_FIELDS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*MatchingSettings.WEIGHT_FIELDS, *PRIORITY_FIELDS):
            field = self.fields[name]
            field.validators.append(MaxValueValidator(MAX_WEIGHT))
            field.max_value = MAX_WEIGHT
            field.widget.attrs.update({"min": 0, "max": MAX_WEIGHT, "step": 1})

    @property
    def score_fields(self):
        return [self[name] for name in MatchingSettings.WEIGHT_FIELDS]

    @property
    def priority_fields(self):
        return [self[name] for name in PRIORITY_FIELDS]

    @property
    def cadence_fields(self):
        return [self[name] for name in MatchingSettings.CADENCE_FIELDS]

    def cadence(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in MatchingSettings.CADENCE_FIELDS}

    def weights(self) -> dict[str, int]:
        """The typed score weights, keyed like ``MatchingSettings.weights``."""
        return {
            name.removeprefix("weight_"): self.cleaned_data[name]
            for name in MatchingSettings.WEIGHT_FIELDS
        }

    def all_weights(self) -> dict[str, int]:
        """Every weight field with its typed value, as the service takes them."""
        return {
            name: self.cleaned_data[name]
            for name in (*MatchingSettings.WEIGHT_FIELDS, *PRIORITY_FIELDS)
        }
