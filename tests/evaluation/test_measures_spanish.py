"""The measures in Spanish: the published Spanish versions of the standardized instruments,
word for word, for people whose language is Spanish (signed in, by link, or read to them in
person); the published English wording with Spanish explanations where no published Spanish
version exists; and scoring that does not depend on the language."""

import pytest
from django.urls import reverse
from django.utils import translation

from evaluation import instruments
from evaluation.services import measures
from tests.evaluation.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A Spanish speaker's request leaves Spanish active in this thread; later tests expect
    the default language."""
    yield
    translation.deactivate()


PHQ9_ITEM_9_ES = "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"
PHQ9_ITEM_9_EN = "Thoughts that you would be better off dead or of hurting yourself in some way"
PHQ_OPTIONS_ES = ["Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"]
PHQ9_MILD = [1, 1, 1, 1, 1, 0, 0, 0, 0]


def spanish(user):
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    return user


def post_data(answers: list) -> dict:
    return {"view": "all", **{f"item_{n}": value for n, value in enumerate(answers, 1)}}


def test_a_spanish_speaking_mentee_gets_the_published_spanish_phq9(cast, login):
    administration = AdministrationFactory(match=cast.match)

    response = login(spanish(cast.mentee)).get(
        reverse("evaluation:measure_answer", args=[administration.pk])
    )

    body = response.content.decode()
    assert PHQ9_ITEM_9_ES in body
    assert PHQ9_ITEM_9_EN not in body
    assert "¿qué tan seguido ha tenido molestias debido a los siguientes problemas?" in body
    for option in PHQ_OPTIONS_ES:
        assert f"<span>{option}</span>" in body


def test_answers_in_spanish_score_the_same_and_record_the_spanish_version(cast, login):
    administration = AdministrationFactory(match=cast.match)

    login(spanish(cast.mentee)).post(
        reverse("evaluation:measure_answer", args=[administration.pk]), post_data(PHQ9_MILD)
    )

    administration.refresh_from_db()
    assert (administration.total, administration.band) == (5, "mild")
    assert administration.instrument_version == (
        "PHQ-9 (Kroenke, Spitzer & Williams 2001); Spanish for the USA (Pfizer)"
    )


def test_the_link_shows_the_spanish_version_to_a_spanish_speaker(cast, client):
    spanish(cast.mentee)
    administration = AdministrationFactory(match=cast.match, instrument="GAD7")
    token = measures.issue_measure_link(administration=administration)

    body = client.get(reverse("evaluation:measure_link", args=[token])).content.decode()

    assert "No ha sido capaz de parar o controlar su preocupación" in body


def test_staff_recording_in_person_get_the_questions_in_the_persons_language(cast, login):
    administration = AdministrationFactory(match=cast.match, instrument="WHO5")
    spanish(cast.mentee)

    body = (
        login(cast.coordinator)
        .get(reverse("evaluation:measure_in_person", args=[administration.pk]))
        .content.decode()
    )

    assert "Me he sentido alegre y de buen humor" in body
    assert "The questions are shown in Spanish" in body


def test_without_a_published_spanish_version_the_english_is_shown_with_explanations(cast, login):
    administration = AdministrationFactory(match=cast.match, instrument="BARC10")

    response = login(spanish(cast.mentee)).get(
        reverse("evaluation:measure_answer", args=[administration.pk])
    )

    body = response.content.decode()
    assert "There are more important things to me in life than using substances." in body
    assert "Strongly disagree (Totalmente en desacuerdo)" in body
    assert "no tienen una versión publicada en su idioma" in body


def test_every_published_version_words_every_item_and_every_answer():
    for instrument in instruments.INSTRUMENTS.values():
        for version in instrument.published:
            assert version.source and version.instructions
            assert set(version.items) == {item.number for item in instrument.items}
            for item in instrument.items:
                assert set(version.options) == {o.value for o in instrument.options_for(item)}


def test_english_speakers_keep_the_published_english_wording():
    wording = instruments.wording(instruments.PHQ9, "en")

    assert wording.question(9).text == PHQ9_ITEM_9_EN
    assert wording.version is None and not wording.english_only
    assert [o.label for o in wording.question(1).options][0] == "Not at all"
