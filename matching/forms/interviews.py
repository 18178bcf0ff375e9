"""Forms for editing the checklist and for recording an interview.

The checklist editor is a formset with one form per question; the interview form is built
from the current checklist, one field per question. Neither saves: the views hand what they
cleaned to ``matching.services.interviews``, which checks the same rules again (they live in
``matching.checklists``) and writes everything in one transaction.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import DAY_PARTS, DAYS, validate_not_future
from matching.checklists import (
    ChoiceBook,
    Criterion,
    answer_field,
    choices_from_lines,
    initial_answer,
    validate_question,
    validate_question_set,
)
from matching.forms.lifecycle import DateInput
from matching.models import ChecklistQuestion, Interview

# --- The checklist editor ------------------------------------------------------------------


def question_initial(question: ChecklistQuestion) -> dict:
    """A stored question as its editor form shows it."""
    return {
        "position": question.position,
        "text": question.text,
        "help_text": question.help_text,
        "kind": question.kind,
        "choices_text": "\n".join(label for _value, label in question.choices or []),
        "criterion": question.criterion,
        "audience": question.audience,
        "required": question.required,
    }


class ChecklistQuestionForm(forms.Form):
    position = forms.IntegerField(
        label=_("Position"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Lower numbers come first."),
    )
    text = forms.CharField(
        label=_("Question"), max_length=ChecklistQuestion._meta.get_field("text").max_length
    )
    help_text = forms.CharField(
        label=_("Note for the interviewer"),
        required=False,
        max_length=ChecklistQuestion._meta.get_field("help_text").max_length,
    )
    # Blank and "both" at first, so that an untouched blank form for a new question is
    # recognised as unchanged and skipped.
    kind = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=[("", _("Choose…")), *ChecklistQuestion.Kind.choices],
        initial="",
    )
    criterion = forms.ChoiceField(
        label=_("Feeds matching criterion"),
        required=False,
        choices=Criterion.choices,
        initial="",
        help_text=_(
            "The answer updates this part of the person's matching data. Its choices come "
            "from the program's lists (life goals, languages, the weekly grid...)."
        ),
    )
    choices_text = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For single and multiple choice that feed no matching criterion."),
    )
    audience = forms.ChoiceField(
        label=_("Asked of"),
        choices=ChecklistQuestion.Audience.choices,
        initial=ChecklistQuestion.Audience.BOTH,
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    FIELD_NAMES = {"choices": "choices_text"}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        cleaned["choices"] = choices_from_lines(cleaned.get("choices_text") or "")
        try:
            validate_question(
                kind=cleaned["kind"],
                criterion=cleaned.get("criterion") or "",
                audience=cleaned["audience"],
                choices=cleaned["choices"],
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(self.FIELD_NAMES.get(name, name), messages)
        return cleaned

    def question(self) -> dict:
        data = self.cleaned_data
        return {
            "position": data.get("position"),
            "text": data["text"],
            "help_text": data["help_text"],
            "kind": data["kind"],
            "choices": data["choices"],
            "criterion": data.get("criterion") or "",
            "audience": data["audience"],
            "required": data["required"],
        }


class BaseChecklistFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this question")

    def kept_forms(self):
        return [
            form
            for form in self.forms
            if form.has_changed() or not form.empty_permitted
            if not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            validate_question_set([form.question() for form in self.kept_forms()])
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def questions(self) -> list[dict]:
        """The questions to keep, in their new order, numbered 1, 2, 3..."""
        kept = [form.question() for form in self.kept_forms()]
        last = max((q["position"] or 0 for q in kept), default=0)
        ordered = sorted(
            enumerate(kept),
            # A question without a position goes to the end, in the order it was added.
            key=lambda item: (item[1]["position"] or last + 1, item[0]),
        )
        return [
            {**question, "position": number}
            for number, (_i, question) in enumerate(ordered, start=1)
        ]


ChecklistFormSet = forms.formset_factory(
    ChecklistQuestionForm,
    formset=BaseChecklistFormSet,
    extra=1,
    can_delete=True,
    min_num=1,
    validate_min=True,
    max_num=100,
    validate_max=True,
)


class ChecklistVersionForm(forms.Form):
    """The version the editor started from, so a colleague's newer version is never
    overwritten unseen."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- The interview -------------------------------------------------------------------------


def question_field_name(question: ChecklistQuestion) -> str:
    return f"q_{question.pk}"


def carry_over(data, old_questions, new_questions):
    """The answers typed against an older version, moved to the matching questions of the
    current one (same text, kind, criterion and audience), so nothing typed is lost."""
    data = data.copy()
    by_identity = {
        (q.text, q.kind, q.criterion, q.audience): question_field_name(q) for q in old_questions
    }
    for question in new_questions:
        old_name = by_identity.get(
            (question.text, question.kind, question.criterion, question.audience)
        )
        if old_name and old_name in data:
            data.setlist(question_field_name(question), data.getlist(old_name))
    return data


class InterviewForm(forms.Form):
    """One field per checklist question, plus the date, the outcome and the notes.

    Questions that feed matching start from what the person's profile already says.
    """

    checklist_id = forms.IntegerField(widget=forms.HiddenInput)
    held_on = forms.DateField(
        label=_("Interview date"),
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DateInput(),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Interview.Outcome.choices, widget=forms.RadioSelect
    )
    outcome_reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=Interview._meta.get_field("outcome_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the person is not suitable; useful for a follow-up too."),
    )
    notes = forms.CharField(
        label=_("Interview notes"),
        required=False,
        max_length=Interview._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Seen only by the program's coordinators and supervisors."),
    )

    def __init__(self, *args, checklist, questions, person, book: ChoiceBook, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["checklist_id"].initial = checklist.pk
        for question in questions:
            name = question_field_name(question)
            field = answer_field(question, book.choices(question))
            field.initial = initial_answer(question, person)
            if question.criterion:
                feeds = _("Updates the person's matching data: %(criterion)s.") % {
                    "criterion": question.get_criterion_display()
                }
                field.help_text = (
                    format_html("{} {}", field.help_text, feeds) if field.help_text else feeds
                )
            self.fields[name] = field

    @property
    def question_rows(self):
        """[(question, bound field, availability grid or None)] in checklist order."""
        rows = []
        for question in self.questions:
            field = self[question_field_name(question)]
            grid = None
            if question.criterion == Criterion.AVAILABILITY:
                options = list(field)
                width = len(DAY_PARTS)
                grid = [
                    (label, options[row * width : (row + 1) * width])
                    for row, (_code, label) in enumerate(DAYS)
                ]
            rows.append((question, field, grid))
        return rows

    @property
    def day_parts(self):
        return [label for _code, label, _start, _end in DAY_PARTS]

    def answers(self) -> dict[int, object]:
        return {
            question.pk: self.cleaned_data.get(question_field_name(question))
            for question in self.questions
        }

    def details(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("held_on", "outcome", "outcome_reason", "notes")
        }
