"""The in-app notification centre: the navbar bell, the list, marking read, and settings."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.context_processors import unread_notifications
from accounts.models import Notification
from accounts.views.notifications import TITLES

pytestmark = pytest.mark.django_db

_counter = iter(range(1_000_000))


def note(recipient, *, kind="feedback_invitation", channel="in_app", state="sent", **extra):
    sent = extra.pop("sent_at", timezone.now() if state == "sent" else None)
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        channel=channel,
        state=state,
        sent_at=sent,
        key=f"test-notification:{next(_counter)}",
        **extra,
    )


def bell_label(count):
    return f"Notifications, {count} unread"


def test_bell_counts_only_own_unread_delivered_in_app_notifications(cast, login):
    note(cast.mentee)
    note(cast.mentee, kind="safety_alert")
    note(cast.mentee, read_at=timezone.now())  # already read
    note(cast.mentee, channel="email")  # another channel
    note(cast.mentee, state="pending")  # not delivered yet
    note(cast.mentee, state="cancelled")
    note(cast.mentee2)  # someone else's

    body = login(cast.mentee).get(reverse("home")).content.decode()

    assert bell_label(2) in body
    assert reverse("accounts:notification_list") in body


def test_bell_says_zero_when_nothing_is_unread(cast, login):
    body = login(cast.mentor).get(reverse("home")).content.decode()
    assert bell_label(0) in body


def test_context_processor_runs_one_query(cast, django_assert_num_queries):
    note(cast.mentee)
    request = RequestFactory().get("/")
    request.user = cast.mentee
    with django_assert_num_queries(1):
        context = unread_notifications(request)
    assert context == {"unread_notification_count": 1}


def test_context_processor_is_empty_for_anonymous(db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_notifications(request) == {}


def test_list_shows_own_delivered_notifications_unread_first(cast, login):
    now = timezone.now()
    older_unread = note(cast.mentee, kind="supervisor_note", sent_at=now - datetime.timedelta(2))
    newer_read = note(cast.mentee, kind="match_started", read_at=now, sent_at=now)
    newest_unread = note(cast.mentee, kind="feedback_reminder", sent_at=now)
    note(cast.mentee, kind="closure_survey", state="pending")
    note(cast.mentee, kind="match_closed", channel="email")
    note(cast.mentee2, kind="safety_alert")

    response = login(cast.mentee).get(reverse("accounts:notification_list"))

    assert response.status_code == 200
    shown = [item["notification"] for item in response.context["items"]]
    assert shown == [newest_unread, older_unread, newer_read]
    assert [str(item["title"]) for item in response.context["items"]] == [
        str(TITLES["feedback_reminder"]),
        str(TITLES["supervisor_note"]),
        str(TITLES["match_started"]),
    ]
    assert str(TITLES["supervisor_note"]) in response.content.decode()


def test_list_uses_a_generic_title_for_an_unknown_kind(cast, login):
    note(cast.mentee, kind="something_new")
    body = login(cast.mentee).get(reverse("accounts:notification_list")).content.decode()
    assert "A new update in PeerPath" in body


def test_list_links_to_the_subject_with_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries
):
    match_type = ContentType.objects.get_for_model(cast.match)
    client = login(cast.mentee)
    note(cast.mentee, kind="match_started", subject_type=match_type, subject_id=cast.match.pk)
    client.get(reverse("accounts:notification_list"))  # warm caches (content types, session)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("accounts:notification_list"))
    for _ in range(5):
        note(cast.mentee, kind="match_started", subject_type=match_type, subject_id=cast.match.pk)
        note(cast.mentee, kind="feedback_invitation")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:notification_list"))
    assert cast.match.get_absolute_url() in response.content.decode()


def test_list_is_paginated(cast, login):
    for _ in range(30):
        note(cast.mentee)
    client = login(cast.mentee)
    assert len(client.get(reverse("accounts:notification_list")).context["items"]) == 25
    second = client.get(reverse("accounts:notification_list"), {"page": 2})
    assert len(second.context["items"]) == 5


def test_mark_own_notification_read(cast, login):
    mine = note(cast.mentee)
    response = login(cast.mentee).post(reverse("accounts:notification_read", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:notification_list")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_read_returns_to_a_safe_next_page_only(cast, login):
    client = login(cast.mentee)
    first, second = note(cast.mentee), note(cast.mentee)
    url = reverse("accounts:notification_list") + "?page=1"
    response = client.post(reverse("accounts:notification_read", args=[first.pk]), {"next": url})
    assert response["Location"] == url
    response = client.post(
        reverse("accounts:notification_read", args=[second.pk]),
        {"next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("accounts:notification_list")


def test_cannot_mark_someone_elses_notification(cast, login):
    theirs = note(cast.mentee2)
    response = login(cast.mentee).post(reverse("accounts:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post(cast, login):
    mine = note(cast.mentee)
    client = login(cast.mentee)
    assert client.get(reverse("accounts:notification_read", args=[mine.pk])).status_code == 405
    assert client.get(reverse("accounts:notification_read_all")).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_read_all_marks_only_own_in_app_notifications(cast, login):
    mine = [note(cast.mentee), note(cast.mentee)]
    email = note(cast.mentee, channel="email")
    theirs = note(cast.mentee2)
    client = login(cast.mentee)

    response = client.post(reverse("accounts:notification_read_all"))

    assert response.status_code == 302
    for row in mine:
        row.refresh_from_db()
        assert row.read_at is not None
    email.refresh_from_db()
    theirs.refresh_from_db()
    assert email.read_at is None
    assert theirs.read_at is None
    assert bell_label(0) in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "name,args,method",
    [
        ("accounts:notification_list", [], "get"),
        ("accounts:notification_read", [1], "post"),
        ("accounts:notification_read_all", [], "post"),
    ],
)
def test_anonymous_is_sent_to_sign_in(client, name, args, method):
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_settings_page_saves_reminder_channels(cast, login):
    user = cast.mentor
    client = login(user)
    page = client.get(reverse("accounts:my_settings")).content.decode()
    assert "Safety alerts always come on every channel." in page
    assert 'name="notify_by_email"' in page
    assert 'name="notify_in_app"' in page

    response = client.post(
        reverse("accounts:my_settings"),
        {
            "display_name": user.display_name,
            "email": user.email,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            # Unchecked boxes are absent from the form: both channels off.
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.notify_by_email is False
    assert user.notify_in_app is False

    client.post(
        reverse("accounts:my_settings"),
        {
            "display_name": user.display_name,
            "email": user.email,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "notify_in_app": "on",
        },
    )
    user.refresh_from_db()
    assert user.notify_by_email is False
    assert user.notify_in_app is True
