"""The interview-and-matching checklist and the interviews taken with it.

- ``current_checklist`` gives a program's current checklist, starting it from the default
  questions (``matching.checklists.default_questions``) the first time anyone needs it.
- ``save_checklist`` never edits a checklist in place: it writes a new version with the
  questions as given and retires the previous one, so every interview keeps the exact
  questions it was taken with.
- ``record_interview`` checks every answer against the current version, stores the interview
  and hands the answers that feed matching to the profile services, which apply the profile's
  own rules; a mentee found ready to match moves from "referred" to "waiting".

Only the program's coordinators and supervisors (and administrators) may do any of this.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MenteeProfile, MentorProfile, Program, User
from accounts.services.errors import DomainError
from accounts.services.people import (
    _validation_to_domain,
    ensure_staff,
    update_mentee_profile,
    update_mentor_profile,
)
from matching.checklists import (
    PROFILE_FIELDS,
    ChoiceBook,
    audience_of,
    clean_answer,
    default_questions,
    is_blank,
    profile_value,
    questions_for,
    validate_question,
    validate_question_set,
)
from matching.models import Checklist, ChecklistQuestion, Interview, InterviewAnswer

QUESTION_FIELDS = ("text", "help_text", "kind", "choices", "criterion", "audience", "required")
# A second identical interview of the same person by the same interviewer within this time
# is the same submission arriving twice (a double click, a resent form).
DUPLICATE_WINDOW = datetime.timedelta(minutes=1)
NOTES_MAX_LENGTH = Interview._meta.get_field("notes").max_length


def question_field(question_id: int) -> str:
    """The form field an answer's error belongs to."""
    return f"q_{question_id}"


# --- The checklist -------------------------------------------------------------------------


def current_checklist(program: Program, *, actor: User | None) -> Checklist:
    """The program's current checklist; version 1, from the default questions, when the
    program has none yet (``actor`` is recorded as its author; none for the version a new
    program starts with)."""
    found = Checklist.objects.filter(program=program, is_current=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            latest = Checklist.objects.filter(program=program).aggregate(v=Max("version"))["v"]
            checklist = Checklist.objects.create(
                program=program, version=(latest or 0) + 1, created_by=actor, is_current=True
            )
            _create_questions(
                checklist, [_clean_question(q, n) for n, q in _numbered(default_questions())]
            )
    except IntegrityError:
        # Someone else opened the checklist at the same moment and started it first.
        return Checklist.objects.get(program=program, is_current=True)
    return checklist


def _numbered(questions):
    return enumerate(questions, start=1)


def _clean_question(data: dict, number: int) -> dict:
    """One question as ``save_checklist`` takes it, checked by the model's and the
    checklist's rules; an error names the question by its number on the page."""
    unknown = set(data) - set(QUESTION_FIELDS) - {"position"}
    if unknown:
        raise DomainError(
            _("Unknown question fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    question = {
        "text": (data.get("text") or "").strip(),
        "help_text": (data.get("help_text") or "").strip(),
        "kind": data.get("kind") or "",
        "criterion": data.get("criterion") or "",
        "audience": data.get("audience") or ChecklistQuestion.Audience.BOTH,
        "required": bool(data.get("required")),
        "choices": data.get("choices") or [],
    }
    if question["criterion"] or question["kind"] not in ("single", "multiple"):
        # A criterion brings its own live choices; other kinds have none.
        question["choices"] = []
    choices = question["choices"]
    if not isinstance(choices, list) or any(
        not (isinstance(pair, (list, tuple)) and len(pair) == 2) for pair in choices
    ):
        raise DomainError(
            _("Question %(number)d: choices must be pairs of value and label.") % {"number": number}
        )
    question["choices"] = [[str(value), str(label)] for value, label in choices]
    try:
        ChecklistQuestion(**question).full_clean(exclude=["checklist"])
        validate_question(
            kind=question["kind"],
            criterion=question["criterion"],
            audience=question["audience"],
            choices=question["choices"],
        )
    except ValidationError as error:
        refusal = _validation_to_domain(error)
        raise DomainError(
            _("Question %(number)d: %(message)s") % {"number": number, "message": refusal.message}
        ) from None
    return question


def _create_questions(checklist: Checklist, questions: list[dict]) -> None:
    ChecklistQuestion.objects.bulk_create(
        ChecklistQuestion(checklist=checklist, position=position, **question)
        for position, question in _numbered(questions)
    )


@transaction.atomic
def save_checklist(
    *, actor: User, program: Program, questions: list[dict], based_on_version: int
) -> Checklist:
    """Save the program's checklist as a new version holding ``questions``.

    ``questions`` are dicts of ``QUESTION_FIELDS`` (``choices`` as ``[[value, label], ...]``)
    with an optional ``position``; they are numbered 1, 2, 3... in the order of their
    positions. ``based_on_version`` is the version the editor started from: when a colleague
    saved another version in the meantime nothing is saved, so no one overwrites another's
    changes unseen.
    """
    ensure_staff(actor, program)
    current = Checklist.objects.select_for_update().filter(program=program, is_current=True).first()
    if current is None:
        current = current_checklist(program, actor=actor)
    if current.version != based_on_version:
        raise DomainError(
            _(
                "%(name)s saved version %(version)d of the checklist while you were editing. "
                "Nothing was saved; open the checklist again to see their changes."
            )
            % {
                "name": current.created_by.display_name if current.created_by else _("Someone"),
                "version": current.version,
            }
        )
    ordered = sorted(_numbered(questions), key=lambda item: (item[1].get("position") or 0, item[0]))
    cleaned = [_clean_question(question, number) for number, question in ordered]
    if not cleaned:
        raise DomainError(_("A checklist needs at least one question."))
    try:
        validate_question_set(cleaned)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    current.is_current = False
    current.save(update_fields=["is_current"])
    checklist = Checklist.objects.create(
        program=program, version=current.version + 1, created_by=actor, is_current=True
    )
    _create_questions(checklist, cleaned)
    return checklist


# --- Interviews ----------------------------------------------------------------------------


def _locked(person):
    """The person's profile, locked: two submissions of the same interview wait for each
    other, so the second one finds the first (see ``_same_submission``)."""
    return (
        type(person)
        .objects.select_for_update(of=("self",))
        .select_related("program", "user")
        .get(pk=person.pk)
    )


def _clean_answers(questions, answers: dict, book: ChoiceBook) -> dict[int, object]:
    cleaned = {}
    for question in questions:
        given = answers.get(question.pk)
        try:
            value = clean_answer(question, given, book.choices(question))
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field=question_field(question.pk)) from None
        if question.pk in answers and value is not None:
            cleaned[question.pk] = value
    # A wrong answer is pointed out before a missing one.
    for question in questions:
        if question.required and is_blank(cleaned.get(question.pk)):
            raise DomainError(_("Please answer this question."), field=question_field(question.pk))
    return cleaned


def _same_submission(person, actor, checklist, cleaned, **details) -> Interview | None:
    """The interview this very submission already recorded, if it arrived twice."""
    person_field = "mentor" if isinstance(person, MentorProfile) else "mentee"
    recent = Interview.objects.filter(
        **{person_field: person},
        interviewer=actor,
        checklist=checklist,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        **details,
    ).prefetch_related("answers")
    for earlier in recent:
        if {answer.question_id: answer.value for answer in earlier.answers.all()} == cleaned:
            return earlier
    return None


def _apply_to_profile(*, actor, person, questions, cleaned, outcome) -> None:
    """Hand the answers that feed matching to the profile service; a refusal is shown at the
    question whose answer caused it."""
    names = PROFILE_FIELDS[type(person)]
    fields, field_questions = {}, {}
    for question in questions:
        name = names.get(question.criterion)
        if name and question.pk in cleaned:
            fields[name] = profile_value(question, cleaned[question.pk])
            field_questions[name] = question_field(question.pk)
    if (
        isinstance(person, MenteeProfile)
        and outcome == Interview.Outcome.READY
        and person.status == MenteeProfile.Status.REFERRED
    ):
        fields["status"] = MenteeProfile.Status.WAITING
    if not fields:
        return
    try:
        if isinstance(person, MenteeProfile):
            update_mentee_profile(actor=actor, mentee=person, fields=fields)
        else:
            update_mentor_profile(actor=actor, mentor=person, fields=fields)
    except DomainError as error:
        raise DomainError(error.message, field=field_questions.get(error.field)) from None


@transaction.atomic
def record_interview(
    *,
    actor: User,
    person: MenteeProfile | MentorProfile,
    answers: dict,
    outcome: str,
    notes: str = "",
    outcome_reason: str = "",
    held_on: datetime.date | None = None,
) -> Interview:
    """Record an interview of a mentee or a prospective mentor against the program's current
    checklist, and update their matching data from the answers.

    ``answers`` maps question ids to values (bool for yes/no; a choice value for single
    choice; a list of values, taxonomy term ids for taxonomies, for multiple choice; 1–5 for
    a scale; a string for text); questions left out stay unanswered. Errors about an answer
    name the field ``q_<question id>``. Sending the same interview twice within a minute
    records it once and returns the first.
    """
    if not isinstance(person, (MenteeProfile, MentorProfile)):
        raise DomainError(_("Interviews are of mentees or mentors."))
    ensure_staff(actor, person.program)
    person = _locked(person)
    checklist = current_checklist(person.program, actor=actor)
    questions = questions_for(checklist, audience_of(person))

    try:
        answers = {int(key): value for key, value in answers.items()}
    except (TypeError, ValueError):
        raise DomainError(_("Answers are keyed by question id.")) from None
    unknown = set(answers) - {question.pk for question in questions}
    if unknown:
        raise DomainError(
            _(
                "Some answers are for questions that are not in version %(version)d of the "
                "checklist. Nothing was saved; please fill in the interview again."
            )
            % {"version": checklist.version}
        )
    cleaned = _clean_answers(questions, answers, ChoiceBook.load(questions, person))

    if outcome not in Interview.Outcome.values:
        raise DomainError(_("Choose the outcome of the interview."), field="outcome")
    outcome_reason = (outcome_reason or "").strip()
    if outcome == Interview.Outcome.NOT_SUITABLE and not outcome_reason:
        raise DomainError(
            _("Say why the person is not suitable, so the decision can be explained later."),
            field="outcome_reason",
        )
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise DomainError(
            _("Keep the notes under %(limit)d characters.") % {"limit": NOTES_MAX_LENGTH},
            field="notes",
        )
    held_on = held_on or timezone.localdate()
    if held_on > timezone.localdate():
        raise DomainError(_("The interview date cannot be in the future."), field="held_on")

    details = {
        "outcome": outcome,
        "outcome_reason": outcome_reason,
        "notes": notes,
        "held_on": held_on,
    }
    earlier = _same_submission(person, actor, checklist, cleaned, **details)
    if earlier is not None:
        return earlier

    interview = Interview(
        checklist=checklist,
        interviewer=actor,
        **{"mentor" if isinstance(person, MentorProfile) else "mentee": person},
        **details,
    )
    try:
        interview.full_clean(exclude=["checklist", "interviewer", "mentee", "mentor"])
    except ValidationError as error:
        raise _validation_to_domain(error) from None
    interview.save()
    InterviewAnswer.objects.bulk_create(
        InterviewAnswer(interview=interview, question_id=question_id, value=value)
        for question_id, value in cleaned.items()
    )
    _apply_to_profile(
        actor=actor, person=person, questions=questions, cleaned=cleaned, outcome=outcome
    )
    return interview
