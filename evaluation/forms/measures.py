"""Forms of the outcome measures: the answer form (whole questionnaire, or one question per
screen), the staff's "add a measure" form and the program's schedule.

Each question shows the published wording as its label (the published translation in the
respondent's language when there is one, see ``instruments.wording``) and the program's short
easy-read explanation beside it; the rules (which answers are valid, scoring) live in
``evaluation.services.measures`` and ``evaluation.instruments``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation import instruments
from evaluation import pictures as answer_pictures
from evaluation.models import MeasureSchedule, Timepoint

CHOICE_ERRORS = {
    "required": _("Please choose one answer."),
    "invalid_choice": _("Please choose one of the answers shown."),
}
DAYS_ERRORS = {
    "required": _("Please give a number of days from 0 to 30."),
    "invalid": _("Please give a number of days from 0 to 30."),
    "min_value": _("Please give a number of days from 0 to 30."),
    "max_value": _("Please give a number of days from 0 to 30."),
}


class ChoiceButtons(forms.RadioSelect):
    """Radio buttons the template draws as big buttons (Bootstrap's ``btn-check``: the real
    radio input stays focusable and is announced by screen readers)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "btn-check", "autocomplete": "off", **(attrs or {})})


def choice_label(option: instruments.Option) -> str:
    """An answer as shown: the published label, and its plain explanation in the person's
    language beside it when the instrument has no published version in that language."""
    return f"{option.label} ({option.easy})" if option.easy else option.label


def field_name(item: instruments.Item) -> str:
    return f"item_{item.number}"


class MeasureForm(forms.Form):
    """The questions of one administration (all of them, or the one of the current screen)."""

    helped = forms.BooleanField(
        label=_("Someone helped me fill this in"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, instrument, items, with_helped: bool = True, wording=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.items = list(items)
        # The questions in the respondent's language (``instruments.wording``).
        self.wording = wording or instruments.wording(instrument)
        if not with_helped:
            del self.fields["helped"]
        for item in self.items:
            question = self.wording.question(item.number)
            if instrument.options_for(item) is instruments.DAYS_0_30:
                field = forms.IntegerField(
                    label=question.text,
                    help_text=question.easy,
                    min_value=0,
                    max_value=30,
                    error_messages=DAYS_ERRORS,
                    widget=forms.NumberInput(
                        attrs={
                            "class": "form-control form-control-lg days-input",
                            "min": 0,
                            "max": 30,
                            "inputmode": "numeric",
                        }
                    ),
                )
            else:
                field = forms.TypedChoiceField(
                    label=question.text,
                    help_text=question.easy,
                    choices=[(option.value, choice_label(option)) for option in question.options],
                    coerce=int,
                    widget=ChoiceButtons,
                    error_messages=CHOICE_ERRORS,
                )
            self.fields[field_name(item)] = field

    def answers(self) -> dict[int, int]:
        return {item.number: self.cleaned_data[field_name(item)] for item in self.items}

    def questions(self) -> list[dict]:
        """Each question with its bound field, its number and how to draw it."""
        questions = []
        for item in self.items:
            name = field_name(item)
            if name in self.errors:
                # The first answer with an error gets the focus (static/js/peerpath.js).
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
            field = self[name]
            described_by = [f"{field.auto_id}-help"] if field.help_text else []
            if field.errors:
                described_by.append(f"{field.auto_id}-error")
            is_number = isinstance(self.fields[name], forms.IntegerField)
            # Easy-read mode draws a picture beside each answer (``evaluation.pictures``).
            pictures = answer_pictures.option_pictures(self.instrument.options_for(item))
            questions.append(
                {
                    "number": item.number,
                    "field": field,
                    "is_number": is_number,
                    "described_by": " ".join(described_by),
                    "picture": answer_pictures.DAYS if is_number else "",
                    "options": []
                    if is_number
                    else [
                        {"radio": radio, "picture": pictures.get(int(radio.data["value"]), "")}
                        for radio in field
                    ],
                }
            )
        return questions


class NewAdministrationForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Measure"), choices=instruments.CHOICES)
    timepoint = forms.ChoiceField(
        label=_("Time point"), choices=Timepoint.choices, initial=Timepoint.ADHOC
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        help_text=_("Leave empty for today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ScheduleForm(forms.ModelForm):
    instruments = forms.MultipleChoiceField(
        label=_("Measures"),
        choices=instruments.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one measure.")},
    )

    class Meta:
        model = MeasureSchedule
        fields = [
            "instruments",
            "at_baseline",
            "at_day30",
            "at_day90",
            "at_day180",
            "at_closure",
            "include_risk_items",
            "overdue_after_days",
            "missed_after_days",
        ]

    def clean(self):
        cleaned = super().clean()
        overdue, missed = cleaned.get("overdue_after_days"), cleaned.get("missed_after_days")
        if overdue is not None and missed is not None and missed <= overdue:
            self.add_error(
                "missed_after_days",
                _("A measure counts as missed only after it is overdue: give more days."),
            )
        timepoints = ("at_baseline", "at_day30", "at_day90", "at_day180", "at_closure")
        if not any(cleaned.get(name) for name in timepoints):
            raise forms.ValidationError(_("Choose at least one time point."))
        return cleaned
