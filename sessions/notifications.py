"""How feedback invitations and session reminders read, registered in accounts' delivery
registries. A session reminder email carries the session as an iCalendar attachment.

The email carries a one-time link issued at send time (only its hash is stored, so the
outbox never holds a working link); the in-app message points to the signed-in form. Neither
says anything about the session beyond its date: no summary, no private notes.
"""

import dataclasses
import datetime
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from accounts.delivery import render_message, site_url, title_for
from accounts.models import Notification
from sessions.models import MentoringSession, SafetyAlert, SessionFeedback
from sessions.services.feedback import FEEDBACK_LINK_DAYS, feedback_link_url, issue_feedback_link

FEEDBACK_KINDS = ("feedback_invitation", "feedback_reminder")


def feedback_url(notification: Notification, session: MentoringSession) -> str:
    """A fresh one-time link for email; the signed-in form for the in-app message."""
    if notification.channel == Notification.Channel.EMAIL:
        return feedback_link_url(issue_feedback_link(session=session))
    return site_url(reverse("mentoring_sessions:feedback_give", args=[session.pk]))


def render_feedback(notification: Notification):
    session = notification.subject
    when = formats.date_format(timezone.localtime(session.starts_at), "DATE_FORMAT")
    lines = [
        gettext("How did your session on %(date)s go? Three short questions help us.")
        % {"date": when},
    ]
    if notification.channel == Notification.Channel.EMAIL:
        lines.append(
            gettext("The link works once and for %(days)s days.") % {"days": FEEDBACK_LINK_DAYS}
        )
    return render_message(
        title=title_for(notification.kind),
        lines=lines,
        url=feedback_url(notification, session),
        action=gettext("Answer the questions"),
    )


def feedback_still_wanted(notification: Notification) -> bool:
    """Only while the session took place and has no answers yet."""
    session = notification.subject
    return (
        session.status == MentoringSession.Status.HELD
        and not SessionFeedback.objects.filter(session_id=session.pk).exists()
    )


REMINDER_KINDS = ("session_reminder", "session_not_logged")


def session_still_scheduled(notification: Notification) -> bool:
    """A session reminder goes out only while the session is scheduled and its match active."""
    session = notification.subject
    return session.status == MentoringSession.Status.SCHEDULED and session.match.status == "active"


# --- Safety alerts ------------------------------------------------------------------------

SAFETY_KINDS = ("safety_alert", "safety_alert_escalated")


def render_safety_alert(notification: Notification):
    """Says which program and when, and links to the alert; never who or why (the details are
    behind the login, with a second factor)."""
    alert = notification.subject
    when = formats.date_format(timezone.localtime(alert.raised_at), "DATETIME_FORMAT")
    if notification.kind == "safety_alert_escalated":
        lines = [
            gettext(
                "A safety alert in %(program)s, raised at %(when)s, has not been acknowledged. "
                "It is now sent to every supervisor of the program and the center."
            )
            % {"program": alert.program.name, "when": when},
        ]
    else:
        lines = [
            gettext("A safety alert was raised in %(program)s at %(when)s.")
            % {"program": alert.program.name, "when": when},
        ]
    lines.append(
        gettext(
            "Someone may be in danger. Please open it now and acknowledge it if you take it on."
        )
    )
    return render_message(
        title=title_for(notification.kind),
        lines=lines,
        url=site_url(reverse("mentoring_sessions:alert_detail", args=[alert.pk])),
        action=gettext("Open the alert"),
    )


def safety_alert_unresolved(notification: Notification) -> bool:
    return notification.subject.status != SafetyAlert.Status.RESOLVED


# --- Session reminders with an iCalendar invitation --------------------------------------

ICS_PRODID = "-//PeerPath//Mentoring sessions//EN"


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # do not split a character
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _ics_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_sequence(session: MentoringSession) -> int:
    """How many times the session was moved: each time it was scheduled at a new start,
    reminders with a new key (``session-24h:<pk>:<start>``) were written, and those rows are
    kept (cancelled, not deleted). Stable however often an email is resent."""
    keys = Notification.objects.filter(
        subject_type=ContentType.objects.get_for_model(MentoringSession),
        subject_id=session.pk,
        kind__in=REMINDER_KINDS,
    ).values_list("key", flat=True)
    starts = {key.split(":")[2] for key in keys if key.count(":") >= 2}
    return max(len(starts) - 1, 0)


def session_calendar(session: MentoringSession) -> str:
    """An iCalendar object for one session: PUBLISH while it is on, CANCEL once cancelled.
    The UID is the session's, so calendars update the same event when it moves (with a
    higher SEQUENCE). It names the meeting and its place, nothing else."""
    cancelled = session.status == MentoringSession.Status.CANCELLED
    domain = urlsplit(settings.SITE_URL).hostname or "peerpath.localhost"
    ends_at = session.starts_at + datetime.timedelta(minutes=session.expected_minutes or 60)
    summary = gettext("PeerPath mentoring session")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODID}",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:session-{session.pk}@{domain}",
        f"SEQUENCE:{session_sequence(session) + (1 if cancelled else 0)}",
        f"DTSTAMP:{_ics_time(timezone.now())}",
        f"DTSTART:{_ics_time(session.starts_at)}",
        f"DTEND:{_ics_time(ends_at)}",
        f"SUMMARY:{_ics_text(summary)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if session.place:
        lines.append(f"LOCATION:{_ics_text(session.place)}")
    lines.append(f"URL:{site_url(reverse('mentoring_sessions:session_detail', args=[session.pk]))}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"


def render_session_reminder(notification: Notification):
    """When and how the session is, with the session as an .ics calendar attachment (email
    only); never the summary or notes."""
    session = notification.subject
    zone = zoneinfo.ZoneInfo(reader_zone(notification.recipient, session))
    start = timezone.localtime(session.starts_at, zone)
    lines = [
        gettext("Your mentoring session is on %(date)s at %(time)s (%(zone)s).")
        % {
            "date": formats.date_format(start, "DATE_FORMAT"),
            "time": formats.time_format(start, "TIME_FORMAT"),
            "zone": start.tzname(),
        },
        gettext("How you meet: %(modality)s.") % {"modality": session.get_modality_display()},
    ]
    if notification.kind == "session_not_logged":
        lines = [gettext("Please log how your session went; it takes a minute.")]
    message = render_message(
        title=title_for(notification.kind),
        lines=lines,
        url=site_url(reverse("mentoring_sessions:session_detail", args=[session.pk])),
        action=gettext("Open the session"),
    )
    if notification.kind != "session_reminder":
        return message
    return dataclasses.replace(
        message,
        attachments=(("session.ics", session_calendar(session), ICS_MIMETYPE),),
    )


ICS_MIMETYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def reader_zone(person, session: MentoringSession) -> str:
    """The time zone the reminder speaks in: the person's own, else the center's."""
    return person.time_zone or session.match.program.center.time_zone or settings.TIME_ZONE
