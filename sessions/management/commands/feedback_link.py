"""``manage.py feedback_link <session_id>``: issue a one-time feedback link and print it."""

from django.core.management.base import BaseCommand, CommandError

from sessions import services
from sessions.models import MentoringSession, SessionFeedback
from sessions.services.feedback import FEEDBACK_LINK_DAYS


class Command(BaseCommand):
    help = (
        "Issue a one-time link to the mentee's feedback form for one held session and print "
        "its full address (SITE_URL + path). Use it for the local demo, or to hand a link to "
        "a mentee in person (on paper, by text message) when they do not use email. The link "
        "opens that one session's form and nothing else; it is used up when the form is "
        f"submitted and expires after {FEEDBACK_LINK_DAYS} days (see --days). Only a hash of "
        "the link is stored: print a new one if it is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int, help="The id of a held session.")
        parser.add_argument(
            "--days",
            type=int,
            default=FEEDBACK_LINK_DAYS,
            help=f"Days until the link expires (default {FEEDBACK_LINK_DAYS}).",
        )

    def handle(self, *args, session_id: int, days: int, **options):
        if not 1 <= days <= 60:
            raise CommandError("--days must be between 1 and 60.")
        session = MentoringSession.objects.filter(pk=session_id).first()
        if session is None:
            raise CommandError(f"There is no session with id {session_id}.")
        if session.status != MentoringSession.Status.HELD:
            raise CommandError(
                f"Session {session_id} is {session.get_status_display().lower()}: feedback "
                "is asked for held sessions only."
            )
        if SessionFeedback.objects.filter(session=session).exists():
            raise CommandError(f"Session {session_id} already has the mentee's feedback.")
        token = services.issue_feedback_link(session=session, days=days)
        self.stdout.write(services.feedback_link_url(token))
