"""The interview-and-matching checklist: its default questions, where each question's choices
come from, the form field that asks it, and the one rule that decides whether an answer fits.

A question that feeds a matching criterion takes its choices from the criterion, never from
its own ``choices`` list: life goals, lived experience, languages and interests from the live,
staff-edited taxonomies (answers store the terms' ids); availability from the weekly grid and
ways to meet from ``Modality`` (answers store the codes); the mentor-gender preference from
``MenteeProfile.GenderPreference`` ("none" stands for "no preference"). Every other single or
multiple-choice question carries its own ``[[value, label], ...]`` list.

``clean_answer`` is used by ``matching.services.interviews`` for every answer, whoever sends
it; the form fields built by ``answer_field`` offer exactly the same choices, so the form and
the service refuse the same things.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import conditional_escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import (
    AVAILABILITY_CHOICES,
    Interest,
    Language,
    LifeGoalArea,
    LivedExperience,
    MenteeProfile,
    MentorProfile,
    Modality,
)
from matching.models import ChecklistQuestion

Kind = ChecklistQuestion.Kind
Criterion = ChecklistQuestion.Criterion
Audience = ChecklistQuestion.Audience

TEXT_MAX_LENGTH = 2000
SCALE = range(1, 6)
NO_PREFERENCE = "none"

TAXONOMY_CRITERIA = {
    Criterion.LIFE_GOALS: LifeGoalArea,
    Criterion.LIVED_EXPERIENCE: LivedExperience,
    Criterion.LANGUAGES: Language,
    Criterion.INTERESTS: Interest,
}
# The kind of answer each criterion needs; a question feeding it must be of that kind.
CRITERION_KINDS = {
    Criterion.LIFE_GOALS: Kind.MULTIPLE,
    Criterion.LIVED_EXPERIENCE: Kind.MULTIPLE,
    Criterion.LANGUAGES: Kind.MULTIPLE,
    Criterion.INTERESTS: Kind.MULTIPLE,
    Criterion.AVAILABILITY: Kind.MULTIPLE,
    Criterion.MODALITIES: Kind.MULTIPLE,
    Criterion.IDD_MH: Kind.YES_NO,
    Criterion.GENDER_PREFERENCE: Kind.SINGLE,
}
# Criteria that exist on one kind of profile only.
CRITERION_AUDIENCES = {Criterion.GENDER_PREFERENCE: {Audience.MENTEE}}
# The profile field a criterion writes, by the person interviewed.
PROFILE_FIELDS = {
    MenteeProfile: {criterion: str(criterion) for criterion in CRITERION_KINDS},
    MentorProfile: {
        **{
            criterion: str(criterion)
            for criterion in CRITERION_KINDS
            if criterion != Criterion.GENDER_PREFERENCE
        },
        Criterion.IDD_MH: "idd_mh_experience",
    },
}


def audience_of(person) -> str:
    return Audience.MENTOR if isinstance(person, MentorProfile) else Audience.MENTEE


def questions_for(checklist, audience: str) -> list[ChecklistQuestion]:
    """The questions of ``checklist`` asked of a mentee or of a mentor, in order."""
    return list(checklist.questions.filter(audience__in=[Audience.BOTH, audience]))


# --- Default content ---------------------------------------------------------------------


def default_questions() -> list[dict]:
    """The first version of every program's checklist, made with the program in the language
    active then (the admin's, or English); the program edits it from there."""
    return [
        {
            "text": _("Which areas of life would you like to work on?"),
            "help_text": _("Life goals: the heart of the match."),
            "kind": Kind.MULTIPLE,
            "criterion": Criterion.LIFE_GOALS,
            "required": True,
        },
        {
            "text": _(
                "Which experiences of your own could you share, or would you like your "
                "mentor to share?"
            ),
            "help_text": _("Lived experience, in the person's own words first."),
            "kind": Kind.MULTIPLE,
            "criterion": Criterion.LIVED_EXPERIENCE,
        },
        {
            "text": _("Which languages do you speak?"),
            "kind": Kind.MULTIPLE,
            "criterion": Criterion.LANGUAGES,
            "required": True,
        },
        {
            "text": _("What do you enjoy doing?"),
            "kind": Kind.MULTIPLE,
            "criterion": Criterion.INTERESTS,
        },
        {
            "text": _("When in the week are you usually free?"),
            "kind": Kind.MULTIPLE,
            "criterion": Criterion.AVAILABILITY,
            "required": True,
        },
        {
            "text": _("How would you like to meet?"),
            "kind": Kind.MULTIPLE,
            "criterion": Criterion.MODALITIES,
            "required": True,
        },
        {
            "text": _("Young adult with IDD-MH?"),
            "help_text": _(
                "Intellectual or developmental disability together with a mental-health condition."
            ),
            "kind": Kind.YES_NO,
            "criterion": Criterion.IDD_MH,
            "audience": Audience.MENTEE,
        },
        {
            "text": _("Preferred mentor gender"),
            "kind": Kind.SINGLE,
            "criterion": Criterion.GENDER_PREFERENCE,
            "audience": Audience.MENTEE,
        },
        {
            "text": _("Experience with young adults with IDD-MH?"),
            "kind": Kind.YES_NO,
            "criterion": Criterion.IDD_MH,
            "audience": Audience.MENTOR,
        },
        {
            "text": _("What would you like from a mentor?"),
            "kind": Kind.TEXT,
            "audience": Audience.MENTEE,
        },
        {
            "text": _("Why do you want to mentor?"),
            "kind": Kind.TEXT,
            "audience": Audience.MENTOR,
        },
        {
            "text": _("How ready do you feel to start?"),
            "help_text": _("1 = not ready yet, 5 = ready right now."),
            "kind": Kind.SCALE,
        },
        {
            "text": _("Any safety concerns to note?"),
            "help_text": _("If yes, describe them in the notes and tell a supervisor."),
            "kind": Kind.YES_NO,
            "required": True,
        },
    ]


# --- Checking a question as the program edits it -----------------------------------------


def choices_from_lines(text: str) -> list[list[str]]:
    """``[[value, label], ...]`` from one label per line; the value is the label's slug."""
    pairs, seen = [], set()
    for position, line in enumerate(text.splitlines(), start=1):
        label = line.strip()
        if not label:
            continue
        value = slugify(label) or f"choice-{position}"
        while value in seen:
            value = f"{value}-{position}"
        seen.add(value)
        pairs.append([value, label])
    return pairs


def validate_question(*, kind: str, criterion: str, audience: str, choices: list) -> None:
    """Refuse a question that could not be answered or applied; errors name the field."""
    if criterion:
        needed = CRITERION_KINDS[criterion]
        if kind != needed:
            raise ValidationError(
                {
                    "kind": _("A question that feeds “%(criterion)s” must be “%(kind)s”.")
                    % {
                        "criterion": Criterion(criterion).label,
                        "kind": Kind(needed).label,
                    }
                }
            )
        audiences = CRITERION_AUDIENCES.get(criterion)
        if audiences and audience not in audiences:
            raise ValidationError(
                {
                    "audience": _("“%(criterion)s” is asked of mentees only.")
                    % {"criterion": Criterion(criterion).label}
                }
            )
    elif kind in (Kind.SINGLE, Kind.MULTIPLE) and len(choices) < 2:
        raise ValidationError({"choices": _("Give at least two choices, one per line.")})


def validate_question_set(questions: list[dict]) -> None:
    """At most one question per criterion is asked of each mentee and of each mentor, so that
    two answers never fight over the same matching data."""
    for audience in (Audience.MENTEE, Audience.MENTOR):
        seen = set()
        for question in questions:
            criterion = question.get("criterion") or ""
            if not criterion or question.get("audience") not in (Audience.BOTH, audience):
                continue
            if criterion in seen:
                raise ValidationError(
                    _("Two questions asked of %(audience)s feed “%(criterion)s”; keep one.")
                    % {
                        "audience": Audience(audience).label.lower(),
                        "criterion": Criterion(criterion).label,
                    }
                )
            seen.add(criterion)


# --- Choices, fields and answers at interview time ----------------------------------------


@dataclass
class ChoiceBook:
    """The live choices of every taxonomy the questions use, loaded once: active terms plus
    any retired term the person still carries (so that keeping an answer never drops it)."""

    taxonomies: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, questions, person=None, *, include_retired_ids=None) -> "ChoiceBook":
        book = cls()
        for criterion in {q.criterion for q in questions if q.criterion in TAXONOMY_CRITERIA}:
            model = TAXONOMY_CRITERIA[criterion]
            keep = Q(is_active=True)
            if person is not None and person.pk:
                keep |= Q(pk__in=getattr(person, criterion).values("pk"))
            if include_retired_ids:
                keep |= Q(pk__in=include_retired_ids)
            book.taxonomies[criterion] = list(model.objects.filter(keep).values_list("pk", "name"))
        return book

    def choices(self, question: ChecklistQuestion) -> list[tuple]:
        """``[(value, label)]`` the question offers; values are what answers store."""
        criterion = question.criterion
        if criterion in TAXONOMY_CRITERIA:
            return self.taxonomies.get(criterion, [])
        if criterion == Criterion.AVAILABILITY:
            return list(AVAILABILITY_CHOICES)
        if criterion == Criterion.MODALITIES:
            return list(Modality.choices)
        if criterion == Criterion.GENDER_PREFERENCE:
            return [
                (value or NO_PREFERENCE, label)
                for value, label in MenteeProfile.GenderPreference.choices
            ]
        return [tuple(pair) for pair in question.choices or []]


def is_blank(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def clean_answer(question: ChecklistQuestion, value, choices: list[tuple]):
    """The answer in the form it is stored, or ``ValidationError`` saying why it does not fit.

    yes/no → bool; single → one of the values; multiple → a list of values in the choices'
    order; scale → an int from 1 to 5; text → a string of at most 2,000 characters. A blank
    answer is None (an empty list for multiple choice); whether it may be blank is the
    caller's business (``required``).
    """
    kind = question.kind
    if is_blank(value):
        return [] if kind == Kind.MULTIPLE else None
    if kind == Kind.YES_NO:
        if not isinstance(value, bool):
            raise ValidationError(_("Answer yes or no."))
        return value
    if kind == Kind.SCALE:
        if isinstance(value, bool):
            raise ValidationError(_("Choose a number from 1 to 5."))
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValidationError(_("Choose a number from 1 to 5.")) from None
        if number not in SCALE:
            raise ValidationError(_("Choose a number from 1 to 5."))
        return number
    if kind == Kind.TEXT:
        if not isinstance(value, str):
            raise ValidationError(_("Answer in words."))
        text = value.strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(
                _("Keep the answer under %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH}
            )
        return text or None
    by_key = {str(key): key for key, _label in choices}
    if kind == Kind.SINGLE:
        if isinstance(value, (list, tuple, set, dict, bool)) or str(value) not in by_key:
            raise ValidationError(_("Choose one of the choices offered."))
        return by_key[str(value)]
    if kind == Kind.MULTIPLE:
        if not isinstance(value, (list, tuple, set)) or any(
            isinstance(item, (list, tuple, set, dict, bool)) for item in value
        ):
            raise ValidationError(_("Choose from the choices offered."))
        picked = {str(item) for item in value}
        unknown = picked - set(by_key)
        if unknown:
            raise ValidationError(_("Choose from the choices offered."))
        return [key for key, _label in choices if str(key) in picked]
    raise ValidationError(_("This question cannot be answered."))


def answer_field(question: ChecklistQuestion, choices: list[tuple]) -> forms.Field:
    """The form field that asks ``question``; its cleaned value is what ``clean_answer``
    takes."""
    common = {
        "label": question.text,
        # Crispy forms prints help texts as they are; the program's own notes are escaped.
        "help_text": conditional_escape(question.help_text),
        "required": question.required,
    }
    kind = question.kind
    if kind == Kind.YES_NO:
        return forms.TypedChoiceField(
            choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if kind == Kind.SCALE:
        return forms.TypedChoiceField(
            choices=[(number, str(number)) for number in SCALE],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if kind == Kind.TEXT:
        return forms.CharField(
            max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    as_strings = [(str(value), label) for value, label in choices]
    if kind == Kind.SINGLE:
        return forms.ChoiceField(choices=as_strings, widget=forms.RadioSelect, **common)
    return forms.MultipleChoiceField(
        choices=as_strings, widget=forms.CheckboxSelectMultiple, **common
    )


def initial_answer(question: ChecklistQuestion, person):
    """What the person's matching data already says, in the field's terms, to pre-fill."""
    criterion = question.criterion
    if not criterion or person is None:
        return None
    name = PROFILE_FIELDS[type(person)].get(criterion)
    if name is None:
        return None
    if criterion in TAXONOMY_CRITERIA:
        return [str(pk) for pk in getattr(person, name).values_list("pk", flat=True)]
    value = getattr(person, name)
    if criterion == Criterion.IDD_MH:
        return "yes" if value else "no"
    if criterion == Criterion.GENDER_PREFERENCE:
        return value or NO_PREFERENCE
    return list(value)


def profile_value(question: ChecklistQuestion, value):
    """The answer as the profile stores it (the inverse of ``initial_answer``)."""
    if question.criterion == Criterion.GENDER_PREFERENCE:
        return "" if value == NO_PREFERENCE else value
    return value


def display_answer(question: ChecklistQuestion, value, choices: list[tuple]) -> str:
    """An answer in words, for the interview's page."""
    if is_blank(value):
        return ""
    if question.kind == Kind.YES_NO:
        return _("Yes") if value else _("No")
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        labels = {str(key): str(label) for key, label in choices}
        items = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(item), _("(removed choice)")) for item in items)
    return str(value)
