"""Safety alerts, the sessions part: an urgent concern becomes an open alert with an outbox row
for each supervisor of the program, shown first on their home; they acknowledge and resolve."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Notification
from accounts.services import DomainError
from sessions import services
from sessions.models import SafetyAlert
from tests import factories as f
from tests.conftest import MARKERS
from tests.sessions.factories import MentoringSessionFactory

pytestmark = pytest.mark.django_db


def raise_alert(cast) -> SafetyAlert:
    session = MentoringSessionFactory(match=cast.match, concern="urgent")
    return services.raise_safety_alert(
        mentee=cast.mentee_profile,
        source=SafetyAlert.Source.SESSION_CONCERN,
        session=session,
        raised_by=cast.mentor,
    )


def detail(alert) -> str:
    return reverse("mentoring_sessions:alert_detail", args=[alert.pk])


def test_an_alert_is_open_and_queued_for_every_supervisor_of_the_program(cast):
    second = f.UserFactory()
    f.MembershipFactory(user=second, program=cast.program, role=Membership.Role.SUPERVISOR)
    alert = raise_alert(cast)
    assert alert.status == SafetyAlert.Status.OPEN
    rows = Notification.objects.filter(kind="safety_alert", subject_id=alert.pk)
    assert {row.recipient for row in rows} == {cast.supervisor, second}
    assert cast.coordinator not in {row.recipient for row in rows}


def test_the_open_alert_is_at_the_top_of_the_supervisors_home(cast, login):
    raise_alert(cast)
    body = login(cast.supervisor).get(reverse("home")).text
    alerts_at = body.index("Open safety alerts (1)")
    assert MARKERS["mentee"] in body[alerts_at:]
    for other_panel in ("Matches waiting for your approval", "Your programs"):
        assert alerts_at < body.index(other_panel)
    assert "A mentor&#x27;s urgent concern" in body
    assert "1 log with a concern awaits your review" in body


def test_nobody_else_sees_the_alert_on_their_home(cast, login):
    raise_alert(cast)
    for person in (cast.coordinator, cast.mentor, cast.mentee, cast.outsider, cast.case_manager):
        assert "Open safety alerts" not in login(person).get(reverse("home")).text


def test_a_resolved_alert_leaves_the_home_and_the_open_list(cast, login):
    alert = raise_alert(cast)
    client = login(cast.supervisor)
    assert (
        client.post(
            reverse("mentoring_sessions:alert_resolve", args=[alert.pk]), {"outcome": "safe_plan"}
        ).status_code
        == 302
    )
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.RESOLVED
    assert "Open safety alerts (0)" in client.get(reverse("home")).text
    alerts = reverse("mentoring_sessions:alert_list")
    assert detail(alert) not in client.get(alerts).text
    assert detail(alert) in client.get(alerts, {"show": "all"}).text


def test_supervisor_acknowledges_an_alert_once(cast, login):
    alert = raise_alert(cast)
    client = login(cast.supervisor)
    url = reverse("mentoring_sessions:alert_acknowledge", args=[alert.pk])
    assert client.post(url).status_code == 302
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.ACKNOWLEDGED
    response = client.post(url, follow=True)
    assert "already acknowledged" in response.text
    # Acknowledged is still open work: it stays on the home page.
    assert "Open safety alerts (1)" in client.get(reverse("home")).text


def test_a_resolved_alert_cannot_be_resolved_again(cast):
    alert = services.resolve_alert(
        actor=cast.supervisor, alert=raise_alert(cast), outcome=SafetyAlert.Outcome.NO_RISK
    )
    with pytest.raises(DomainError, match="already resolved"):
        services.resolve_alert(
            actor=cast.supervisor, alert=alert, outcome=SafetyAlert.Outcome.NO_RISK
        )


def test_alerts_are_for_the_programs_supervisors_only(cast, login):
    alert = raise_alert(cast)
    elsewhere = f.UserFactory()
    f.MembershipFactory(user=elsewhere, program=cast.other_program, role="supervisor")
    for person in (cast.coordinator, cast.mentor, cast.mentee, elsewhere):
        client = login(person)
        assert client.get(detail(alert)).status_code == 404
        url = reverse("mentoring_sessions:alert_resolve", args=[alert.pk])
        assert client.post(url, {"outcome": "safe_plan"}).status_code == 404
    with pytest.raises(DomainError, match="supervisor"):
        services.acknowledge_alert(actor=cast.coordinator, alert=alert)
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.OPEN


def test_the_alert_page_shows_who_what_and_when(cast, login):
    alert = raise_alert(cast)
    body = login(cast.supervisor).get(detail(alert)).text
    assert MARKERS["mentee"] in body
    assert "A mentor&#x27;s urgent concern" in body
    assert cast.mentor.display_name in body
    assert "Open" in body
