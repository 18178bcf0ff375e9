"""The interview-and-matching checklist: versions, interviews, answers feeding matching data."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language, LifeGoalArea, MenteeProfile, MentorProfile
from accounts.services import DomainError
from matching import services
from matching.checklists import audience_of, questions_for
from matching.forms.interviews import question_initial
from matching.models import Checklist, ChecklistQuestion, Interview, InterviewAnswer
from matching.services.interviews import QUESTION_FIELDS

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NON_STAFF = ["mentor", "mentor2", "mentee", "mentee2", "case_manager"]
Criterion = ChecklistQuestion.Criterion


def checklist_of(cast) -> Checklist:
    return services.current_checklist(cast.program, actor=cast.coordinator)


def question(checklist: Checklist, *, criterion: str = "", text: str = "", audience=None):
    found = checklist.questions.all()
    if criterion:
        found = found.filter(criterion=criterion)
    if text:
        found = found.filter(text=text)
    if audience:
        found = found.filter(audience=audience)
    return found.get()


def scale_question(checklist):
    return checklist.questions.get(kind=ChecklistQuestion.Kind.SCALE)


def field(q) -> str:
    return f"q_{q.pk}"


def valid_post(cast, person, **overrides) -> dict:
    """A complete, valid interview as the form posts it."""
    checklist = checklist_of(cast)
    audience = "mentor" if isinstance(person, MentorProfile) else "mentee"
    housing = LifeGoalArea.objects.get(slug="housing")
    spanish = Language.objects.get(slug="spanish")
    values = {
        Criterion.LIFE_GOALS: [str(housing.pk)],
        Criterion.LANGUAGES: [str(spanish.pk)],
        Criterion.AVAILABILITY: ["mon-evening", "sat-morning"],
        Criterion.MODALITIES: ["video"],
        Criterion.IDD_MH: "yes",
        Criterion.GENDER_PREFERENCE: "woman",
    }
    data = {
        "checklist_id": checklist.pk,
        "held_on": TODAY.isoformat(),
        "outcome": Interview.Outcome.READY,
        "outcome_reason": "",
        "notes": "Keen to start; TYPED-NOTE",
    }
    for q in questions_for(checklist, audience):
        if q.criterion in values:
            data[field(q)] = values[q.criterion]
        elif q.kind == ChecklistQuestion.Kind.YES_NO:
            data[field(q)] = "no"
        elif q.kind == ChecklistQuestion.Kind.SCALE:
            data[field(q)] = "4"
        elif q.kind == ChecklistQuestion.Kind.TEXT:
            data[field(q)] = "Someone who has been there"
    return {**data, **overrides}


def full_answers(cast, person, **overrides) -> dict:
    """Every answer of a valid interview, typed as the service takes them."""
    data = valid_post(cast, person)
    answers = {}
    for q in questions_for(checklist_of(cast), audience_of(person)):
        value = data.get(field(q))
        if q.kind == ChecklistQuestion.Kind.YES_NO:
            value = value == "yes"
        elif q.kind == ChecklistQuestion.Kind.SCALE:
            value = int(value)
        answers[q.pk] = value
    return {**answers, **overrides}


def as_service_question(q) -> dict:
    return {name: getattr(q, name) for name in QUESTION_FIELDS}


def record(cast, person=None, **kwargs):
    person = person or cast.mentee_profile
    kwargs.setdefault("answers", full_answers(cast, person))
    kwargs.setdefault("outcome", Interview.Outcome.FOLLOW_UP)
    return services.record_interview(actor=cast.coordinator, person=person, **kwargs)


def interview_url(person) -> str:
    name = "interview_mentor" if isinstance(person, MentorProfile) else "interview_mentee"
    return reverse(f"matching:{name}", args=[person.pk])


def formset_data(checklist, *, changes=None, remove=(), add=None, based_on=None) -> dict:
    """What the checklist editor posts: every current question, with ``changes`` by index,
    ``remove`` ticked, and ``add`` in the blank form."""
    questions = list(checklist.questions.all())
    forms = [question_initial(q) for q in questions]
    for index, change in (changes or {}).items():
        forms[index].update(change)
    data = {
        "checklist-based_on_version": based_on or checklist.version,
        "questions-TOTAL_FORMS": len(forms) + 1,
        "questions-INITIAL_FORMS": len(forms),
        "questions-MIN_NUM_FORMS": 1,
        "questions-MAX_NUM_FORMS": 100,
    }
    for index, form in enumerate([*forms, add or {}]):
        for name, value in form.items():
            if name == "required":
                if value:
                    data[f"questions-{index}-required"] = "on"
                continue
            data[f"questions-{index}-{name}"] = "" if value is None else value
        if index >= len(forms) and not add:
            data[f"questions-{index}-audience"] = "both"
        if index in remove:
            data[f"questions-{index}-DELETE"] = "on"
    return data


# --- The checklist -------------------------------------------------------------------------


def test_a_program_starts_with_the_default_checklist(cast):
    # Made with the program itself, so no page creates it on its first read.
    assert Checklist.objects.filter(program=cast.program).count() == 1
    checklist = checklist_of(cast)

    assert (checklist.version, checklist.is_current, checklist.created_by) == (1, True, None)
    criteria = set(checklist.questions.values_list("criterion", flat=True))
    assert set(Criterion.values) <= criteria
    assert question(checklist, criterion=Criterion.IDD_MH, audience="mentee").kind == "yes_no"
    assert checklist_of(cast) == checklist  # asking again does not start another


def test_saving_the_checklist_makes_a_new_version_and_old_interviews_keep_theirs(cast, login):
    first = checklist_of(cast)
    old = record(cast)
    readiness = list(first.questions.all()).index(scale_question(first))
    data = formset_data(
        first,
        changes={readiness: {"text": "How ready are you, today?"}},
        remove=[0],
        add={"text": "Do you have a phone?", "kind": "yes_no", "audience": "mentee"},
    )

    response = login(cast.supervisor).post(
        reverse("matching:checklist_edit", args=[cast.program.pk]), data
    )

    assert response.status_code == 302
    current = Checklist.objects.get(program=cast.program, is_current=True)
    assert (current.version, current.created_by) == (2, cast.supervisor)
    first.refresh_from_db()
    assert not first.is_current
    texts = list(current.questions.values_list("text", flat=True))
    assert "How ready are you, today?" in texts and "Do you have a phone?" in texts
    assert first.questions.first().text not in texts
    assert first.questions.count() == len(texts)  # one removed, one added
    old.refresh_from_db()
    assert old.checklist == first
    page = login(cast.coordinator).get(reverse("matching:interview_detail", args=[old.pk]))
    assert "How ready do you feel to start?" in page.content.decode()


def test_questions_can_be_reordered_by_position(cast, login):
    first = checklist_of(cast)
    last = first.questions.last()
    data = formset_data(first, changes={first.questions.count() - 1: {"position": 1}})
    data["questions-0-position"] = 2

    login(cast.coordinator).post(reverse("matching:checklist_edit", args=[cast.program.pk]), data)

    current = Checklist.objects.get(program=cast.program, is_current=True)
    assert list(current.questions.values_list("text", "position")[:2]) == [
        (last.text, 1),
        (first.questions.first().text, 2),
    ]


def test_the_programs_notes_for_the_interviewer_are_not_markup(cast, login):
    first = checklist_of(cast)
    questions = [as_service_question(q) for q in first.questions.all()]
    questions[0]["help_text"] = "<script>alert(1)</script>"
    services.save_checklist(
        actor=cast.coordinator, program=cast.program, questions=questions, based_on_version=1
    )

    body = login(cast.coordinator).get(interview_url(cast.mentee_profile)).content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_checklist_page_shows_the_version_history(cast, login):
    checklist_of(cast)

    response = login(cast.coordinator).get(
        reverse("matching:checklist_edit", args=[cast.program.pk])
    )

    body = response.content.decode()
    assert "Version history" in body and "Coordinator" in body
    assert "Save as version 2" in body


def test_a_question_feeding_a_criterion_must_have_its_kind(cast, login):
    checklist = checklist_of(cast)
    data = formset_data(checklist, changes={0: {"kind": "text"}})  # life goals as free text

    response = login(cast.coordinator).post(
        reverse("matching:checklist_edit", args=[cast.program.pk]), data
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["kind"]
    assert Checklist.objects.filter(program=cast.program).count() == 1


def test_a_choice_question_needs_choices(cast, login):
    checklist = checklist_of(cast)
    data = formset_data(
        checklist, add={"text": "Favourite season?", "kind": "single", "audience": "both"}
    )

    response = login(cast.coordinator).post(
        reverse("matching:checklist_edit", args=[cast.program.pk]), data
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[-1].errors["choices_text"]
    assert "Favourite season?" in response.content.decode()  # what was typed is kept
    assert Checklist.objects.filter(program=cast.program).count() == 1


def test_saving_over_a_colleagues_newer_version_is_refused(cast, login):
    first = checklist_of(cast)
    stale = formset_data(first, changes={0: {"text": "Mine"}})
    services.save_checklist(
        actor=cast.supervisor,
        program=cast.program,
        questions=[as_service_question(q) for q in first.questions.all()],
        based_on_version=1,
    )

    response = login(cast.coordinator).post(
        reverse("matching:checklist_edit", args=[cast.program.pk]), stale
    )

    assert response.status_code == 200
    assert "saved version 2" in response.content.decode()
    assert Checklist.objects.filter(program=cast.program).count() == 2


def test_another_programs_coordinator_cannot_save_the_checklist(cast):
    first = checklist_of(cast)

    with pytest.raises(DomainError):
        services.save_checklist(
            actor=cast.outsider,
            program=cast.program,
            questions=[{"text": "Anything?", "kind": "text"}],
            based_on_version=first.version,
        )


# --- Recording an interview ----------------------------------------------------------------


def test_a_ready_interview_updates_matching_data_and_moves_referred_to_waiting(cast, login):
    mentee = cast.mentee2_profile
    MenteeProfile.objects.filter(pk=mentee.pk).update(status="referred", waiting_since=None)
    data = valid_post(cast, mentee)

    response = login(cast.coordinator).post(interview_url(mentee), data)

    interview = Interview.objects.get(mentee=mentee)
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:interview_detail", args=[interview.pk])
    mentee.refresh_from_db()
    assert (mentee.status, mentee.waiting_since) == ("waiting", TODAY)
    assert list(mentee.life_goals.values_list("slug", flat=True)) == ["housing"]
    assert list(mentee.languages.values_list("slug", flat=True)) == ["spanish"]
    assert mentee.availability == ["mon-evening", "sat-morning"]
    assert mentee.modalities == ["video"]
    assert (mentee.idd_mh, mentee.preferred_mentor_gender) == (True, "woman")
    assert interview.interviewer == cast.coordinator
    assert interview.answers.count() == len(questions_for(interview.checklist, "mentee"))


def test_a_follow_up_interview_leaves_a_referred_mentee_referred(cast, login):
    mentee = cast.mentee2_profile
    MenteeProfile.objects.filter(pk=mentee.pk).update(status="referred", waiting_since=None)

    login(cast.coordinator).post(
        interview_url(mentee), valid_post(cast, mentee, outcome="follow_up")
    )

    mentee.refresh_from_db()
    assert mentee.status == "referred"
    assert mentee.availability == ["mon-evening", "sat-morning"]


def test_a_mentor_interview_records_idd_mh_experience(cast, login):
    mentor = cast.mentor2_profile

    response = login(cast.supervisor).post(interview_url(mentor), valid_post(cast, mentor))

    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.idd_mh_experience is True
    assert mentor.availability == ["mon-evening", "sat-morning"]
    assert mentor.status == "active"
    assert Interview.objects.get(mentor=mentor).mentee is None


def test_the_form_starts_from_the_persons_matching_data(cast, login):
    mentee = cast.mentee_profile
    mentee.life_goals.set([LifeGoalArea.objects.get(slug="employment")])

    response = login(cast.coordinator).get(interview_url(mentee))

    form = response.context["form"]
    goals = question(checklist_of(cast), criterion=Criterion.LIFE_GOALS)
    availability = question(checklist_of(cast), criterion=Criterion.AVAILABILITY)
    employment = LifeGoalArea.objects.get(slug="employment")
    assert form[field(goals)].value() == [str(employment.pk)]
    assert form[field(availability)].value() == ["tue-evening"]


@pytest.mark.parametrize(
    ("criterion", "value"),
    [
        ("scale", "very ready"),  # text for a scale
        ("scale", "7"),
        (Criterion.LIFE_GOALS, ["999999"]),  # no such life-goal area
        (Criterion.GENDER_PREFERENCE, "purple"),  # not one of the choices
        (Criterion.IDD_MH, "maybe"),
    ],
)
def test_an_answer_of_the_wrong_kind_is_refused_at_its_field(cast, login, criterion, value):
    mentee = cast.mentee2_profile
    checklist = checklist_of(cast)
    q = (
        scale_question(checklist)
        if criterion == "scale"
        else question(
            checklist,
            criterion=criterion,
            audience=None if criterion != Criterion.IDD_MH else "mentee",
        )
    )
    before = list(mentee.availability)

    response = login(cast.coordinator).post(
        interview_url(mentee), valid_post(cast, mentee, **{field(q): value})
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field(q)]
    body = response.content.decode()
    assert "TYPED-NOTE" in body  # what was typed is kept
    assert re.search(r'value="sat-morning"[^>]*checked', body)
    assert not Interview.objects.filter(mentee=mentee).exists()
    mentee.refresh_from_db()
    assert mentee.availability == before


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("scale", "seven"),
        ("scale", 0),
        ("scale", True),
        ("yes_no", "yes please"),
        ("text", ["a", "list"]),
        ("text", "x" * 2001),
    ],
)
def test_the_service_refuses_a_wrong_kind_of_answer_at_its_field(cast, kind, value):
    checklist = checklist_of(cast)
    q = checklist.questions.filter(kind=kind, audience__in=["both", "mentee"]).first()

    with pytest.raises(DomainError) as refused:
        record(cast, answers=full_answers(cast, cast.mentee_profile) | {q.pk: value})

    assert refused.value.field == field(q)
    assert not Interview.objects.exists()


def test_the_service_refuses_an_unknown_taxonomy_term_and_a_non_choice(cast):
    checklist = checklist_of(cast)
    languages = question(checklist, criterion=Criterion.LANGUAGES)
    gender = question(checklist, criterion=Criterion.GENDER_PREFERENCE)

    for answers, bad in (({languages.pk: [999999]}, languages), ({gender.pk: ["man"]}, gender)):
        with pytest.raises(DomainError) as refused:
            record(cast, answers=full_answers(cast, cast.mentee_profile) | answers)
        assert refused.value.field == field(bad)
    assert not InterviewAnswer.objects.exists()


def test_not_suitable_needs_a_reason(cast, login):
    mentee = cast.mentee2_profile

    response = login(cast.coordinator).post(
        interview_url(mentee), valid_post(cast, mentee, outcome="not_suitable")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["outcome_reason"]
    assert not Interview.objects.exists()
    mentee.refresh_from_db()
    assert mentee.availability == ["tue-evening"]  # nothing half-saved


def test_not_suitable_with_a_reason_leaves_the_status_alone(cast, login):
    mentee = cast.mentee2_profile

    login(cast.coordinator).post(
        interview_url(mentee),
        valid_post(
            cast, mentee, outcome="not_suitable", outcome_reason="Needs clinical care first"
        ),
    )

    interview = Interview.objects.get(mentee=mentee)
    assert interview.outcome_reason == "Needs clinical care first"
    mentee.refresh_from_db()
    assert mentee.status == "waiting"


def test_a_required_question_must_be_answered(cast, login):
    mentee = cast.mentee2_profile
    languages = question(checklist_of(cast), criterion=Criterion.LANGUAGES)
    data = valid_post(cast, mentee)
    del data[field(languages)]

    response = login(cast.coordinator).post(interview_url(mentee), data)

    assert list(response.context["form"].errors) == [field(languages)]
    assert not Interview.objects.exists()


def test_an_interview_cannot_be_dated_in_the_future(cast):
    with pytest.raises(DomainError) as refused:
        record(cast, held_on=TODAY + datetime.timedelta(days=1))

    assert refused.value.field == "held_on"


def test_sending_the_same_interview_twice_records_it_once(cast, login):
    mentee = cast.mentee2_profile
    client = login(cast.coordinator)
    data = valid_post(cast, mentee)

    first = client.post(interview_url(mentee), data)
    second = client.post(interview_url(mentee), data)

    assert Interview.objects.filter(mentee=mentee).count() == 1
    assert first["Location"] == second["Location"]


def test_a_different_second_interview_is_recorded(cast, login):
    mentee = cast.mentee2_profile
    client = login(cast.coordinator)

    client.post(interview_url(mentee), valid_post(cast, mentee))
    client.post(interview_url(mentee), valid_post(cast, mentee, notes="Second talk"))

    assert Interview.objects.filter(mentee=mentee).count() == 2


def test_an_interview_typed_against_an_older_version_keeps_its_answers(cast, login):
    mentee = cast.mentee2_profile
    old = checklist_of(cast)
    data = valid_post(cast, mentee)
    services.save_checklist(
        actor=cast.supervisor,
        program=cast.program,
        questions=[as_service_question(q) for q in old.questions.all()],
        based_on_version=old.version,
    )

    response = login(cast.coordinator).post(interview_url(mentee), data)

    assert response.status_code == 200
    assert "changed to version 2" in response.content.decode()
    assert not Interview.objects.exists()
    resent = dict(response.context["form"].data.lists())
    again = login(cast.coordinator).post(interview_url(mentee), resent)
    assert again.status_code == 302
    assert Interview.objects.get(mentee=mentee).checklist.version == 2


def test_a_coordinator_of_another_program_cannot_record_an_interview(cast):
    with pytest.raises(DomainError):
        services.record_interview(
            actor=cast.outsider,
            person=cast.mentee_profile,
            answers=full_answers(cast, cast.mentee_profile),
            outcome="follow_up",
        )
    assert not Interview.objects.exists()


# --- Reading an interview ------------------------------------------------------------------


def test_the_interview_page_shows_answers_in_words_and_is_audited(cast, login):
    mentee = cast.mentee2_profile
    login(cast.coordinator).post(interview_url(mentee), valid_post(cast, mentee))
    interview = Interview.objects.get(mentee=mentee)

    response = login(cast.supervisor).get(reverse("matching:interview_detail", args=[interview.pk]))

    body = response.content.decode()
    assert "Housing" in body and "Spanish" in body and "Mon evening" in body.replace("\n", " ")
    assert "TYPED-NOTE" in body and "Ready to match" in body and "version 1" in body
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(interview.pk)
    ).exists()


# --- Who may open the pages ----------------------------------------------------------------


def _urls(cast):
    interview = record(cast)
    return [
        reverse("matching:checklist_edit", args=[cast.program.pk]),
        interview_url(cast.mentee_profile),
        interview_url(cast.mentor_profile),
        reverse("matching:interview_detail", args=[interview.pk]),
    ]


@pytest.mark.parametrize("persona", ["coordinator", "supervisor"])
def test_program_staff_open_every_page(cast, login, persona):
    for url in _urls(cast):
        assert login(getattr(cast, persona)).get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["outsider", *NON_STAFF])
def test_everyone_else_gets_404(cast, login, persona):
    for url in _urls(cast):
        assert login(getattr(cast, persona)).get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["outsider", "mentor"])
def test_posting_an_interview_as_non_staff_gets_404_and_saves_nothing(cast, login, persona):
    mentee = cast.mentee_profile
    data = valid_post(cast, mentee)

    response = login(getattr(cast, persona)).post(interview_url(mentee), data)

    assert response.status_code == 404
    assert not Interview.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(cast, client):
    for url in _urls(cast):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
