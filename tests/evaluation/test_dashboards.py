import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import Consent, Membership
from evaluation.models import Administration
from tests import factories as f
from tests.evaluation.factories import AdministrationFactory
from tests.evaluation.test_metrics import contact, feedback
from tests.sessions.factories import MentoringSessionFactory

URL = reverse("evaluation:dashboard")


def test_supervisor_sees_figures_with_charts_and_tables(cast, login):
    MentoringSessionFactory(match=cast.match)
    body = login(cast.supervisor).get(URL).content.decode()
    assert 'data-figure="active">2<' in body
    assert 'role="img"' in body and "<title>Match retention</title>" in body
    assert "<table" in body


def test_dashboard_counts_only_the_supervisors_programs(cast, login):
    stranger = f.MatchFactory(mentee=f.MenteeProfileFactory(program=cast.other_program))
    MentoringSessionFactory(match=stranger)
    body = login(cast.supervisor).get(URL).content.decode()
    assert 'data-figure="active">2<' in body


def test_choosing_a_program_one_does_not_supervise_is_refused(cast, login):
    response = login(cast.supervisor).get(URL, {"program": cast.other_program.pk})
    assert response.status_code == 200
    assert response.context["figures"] is None
    assert "program" in response.context["filters"].errors


def test_period_ending_before_it_starts_is_refused_and_kept(cast, login):
    response = login(cast.supervisor).get(URL, {"start": "2026-03-01", "end": "2026-02-01"})
    body = response.content.decode()
    assert response.context["figures"] is None
    assert "The period must end on or after the day it starts." in body
    assert 'value="2026-03-01"' in body


def test_period_in_the_future_is_refused(cast, login):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(cast.supervisor).get(URL, {"end": tomorrow.isoformat()})
    assert response.context["figures"] is None
    assert "cannot end in the future" in response.content.decode()


def test_coordinator_gets_404_on_the_supervisor_dashboard(cast, login):
    assert login(cast.coordinator).get(URL).status_code == 404


def test_dashboard_runs_the_same_queries_with_more_rows(cast, login, django_assert_max_num_queries):
    client = login(cast.supervisor)
    client.get(URL)  # warm the session and the content types
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for _ in range(5):
        match = f.MatchFactory(mentee=f.MenteeProfileFactory(program=cast.program))
        MentoringSessionFactory(match=match)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_coordinator_caseload_lists_the_matches_of_their_programs(cast, login):
    MentoringSessionFactory(match=cast.match)
    response = login(cast.coordinator).get(reverse("evaluation:caseload"))
    rows = list(response.context["rows"])
    assert {row.pk for row in rows} == {cast.match.pk, cast.match2.pk}
    assert next(row for row in rows if row.pk == cast.match.pk).held == 1


def test_caseload_figures_count_each_session_feedback_and_contact_once(cast, login):
    """Hand-computed: in the last 90 days 2 sessions held (rated 3 and 5) and 1 no-show; one
    held session 200 days ago stays out; the latest of 3 check-ins is 10 days ago."""
    today = timezone.localdate()
    now = timezone.now()
    for days_ago, status, rating in ((5, "held", 3), (20, "held", 5), (30, "no_show", None)):
        session = MentoringSessionFactory(
            match=cast.match, status=status, starts_at=now - datetime.timedelta(days=days_ago)
        )
        if rating:
            feedback(session, rating, "yes", "yes", "yes")
    MentoringSessionFactory(match=cast.match, starts_at=now - datetime.timedelta(days=200))
    for days_ago in (40, 10, 25):
        contact(cast.match, (today - datetime.timedelta(days=days_ago)).isoformat())

    response = login(cast.coordinator).get(reverse("evaluation:caseload"))

    row = next(row for row in response.context["rows"] if row.pk == cast.match.pk)
    assert (row.held, row.no_shows, row.rating, row.last_contact) == (
        2,
        1,
        4.0,
        today - datetime.timedelta(days=10),
    )


def _scores(cast):
    for timepoint, score in (("baseline", 14), ("day30", 9)):
        AdministrationFactory(
            match=cast.match,
            timepoint=timepoint,
            status=Administration.Status.COMPLETED,
            completed_at=timezone.now(),
            total=score,
            reported_score=score,
        )


def test_mentor_sees_scores_of_a_mentee_who_shares_them(cast, login):
    _scores(cast)
    f.ConsentFactory(
        mentee=cast.mentee_profile,
        kind=Consent.Kind.SHARE_WITH_MENTOR,
        recorded_by=cast.coordinator,
    )
    response = login(cast.mentor).get(reverse("evaluation:my_mentees"))
    [match] = response.context["matches"]
    assert match.progress[0]["change"] == -5 and match.progress[0]["improved"]


def test_mentor_sees_no_scores_without_the_sharing_consent(cast, login):
    _scores(cast)
    response = login(cast.mentor).get(reverse("evaluation:my_mentees"))
    [match] = response.context["matches"]
    assert match.progress == []
    assert "data-not-shared" in response.content.decode()


def test_revoked_sharing_consent_hides_the_scores_again(cast, login):
    _scores(cast)
    consent = f.ConsentFactory(
        mentee=cast.mentee_profile,
        kind=Consent.Kind.SHARE_WITH_MENTOR,
        recorded_by=cast.coordinator,
    )
    consent.revoked_at = timezone.now()
    consent.save()
    [match] = login(cast.mentor).get(reverse("evaluation:my_mentees")).context["matches"]
    assert match.progress == []


def test_supervisor_of_two_programs_sees_both_together(cast, login):
    Membership.objects.create(user=cast.supervisor, program=cast.other_program, role="supervisor")
    f.MatchFactory(mentee=f.MenteeProfileFactory(program=cast.other_program))
    body = login(cast.supervisor).get(URL).content.decode()
    assert 'data-figure="active">3<' in body
