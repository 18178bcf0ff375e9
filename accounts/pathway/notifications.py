"""How the pathway's outbox rows read (registered in ``accounts.apps``). Subjects say what
happened, never anything about health; the well-being contact request carries no words of the
check-in itself."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.delivery import RENDERERS, STILL_RELEVANT, TITLES, render_message, site_url
from accounts.models import MentorProfile, Notification

KIND_TITLES = {
    "mentor_application_received": _("Thank you for applying to be a peer mentor"),
    "mentor_application_known": _("About your application to be a peer mentor"),
    "mentor_invitation": _("You are invited to become a peer mentor"),
    "certification_expiring": _("A mentor certification expires soon"),
    "mentor_wellbeing_contact": _("A mentor would like a supervisor to contact them"),
}


def _title(notification: Notification) -> str:
    return str(KIND_TITLES[notification.kind])


def render_application_received(notification: Notification):
    mentor = notification.subject
    lines = [
        gettext("We received your application to be a peer mentor in %(program)s.")
        % {"program": mentor.program.name},
        gettext(
            "What happens next: a coordinator will contact you within two weeks to arrange an "
            "interview. Screening includes two references, a background check and signing the "
            "mentor agreement; then comes the training, before you are matched with a mentee."
        ),
        gettext("If you did not apply, you can ignore this email."),
    ]
    return render_message(
        title=_title(notification), lines=lines, url=site_url("/"), action=gettext("PeerPath")
    )


def render_application_known(notification: Notification):
    mentor = notification.subject
    lines = [
        gettext(
            "We received an application to be a peer mentor in %(program)s with this email "
            "address. You already have an application or a mentor role there, so nothing new "
            "was created and your record stays as it is."
        )
        % {"program": mentor.program.name},
        gettext(
            "What happens next: your coordinator will be in touch. Sign in to PeerPath to see "
            "your training and screening, or reply to your coordinator if anything changed."
        ),
        gettext("If you did not apply, you can ignore this email."),
    ]
    return render_message(title=_title(notification), lines=lines, url=site_url(reverse("login")))


def render_invitation(notification: Notification):
    invitation = notification.subject
    lines = [
        gettext(
            "Your coordinator in %(program)s invites you to apply to become a peer mentor. "
            "You apply with your own account, and everything you did as a mentee stays yours."
        )
        % {"program": invitation.mentee.program.name}
    ]
    return render_message(
        title=_title(notification),
        lines=lines,
        url=site_url(reverse("accounts:pathway_invitation", args=[invitation.pk])),
        action=gettext("See the invitation"),
    )


def render_certification_expiring(notification: Notification):
    cert = notification.subject
    mentor = cert.mentor
    when = formats.date_format(cert.expires_on, "DATE_FORMAT")
    if notification.recipient_id == mentor.user_id:
        line = gettext(
            "Your mentor certification expires on %(date)s. Please book the annual refresher "
            "with your coordinator; new matches pause while a certification is expired."
        ) % {"date": when}
    else:
        line = gettext(
            "%(name)s's mentor certification expires on %(date)s. New matches pause for them "
            "when it expires."
        ) % {"name": mentor.user.display_name, "date": when}
    return render_message(
        title=_title(notification),
        lines=[line],
        url=site_url(reverse("accounts:pathway_mentor", args=[mentor.pk])),
    )


def render_wellbeing_contact(notification: Notification):
    mentor = notification.subject
    line = gettext("%(name)s asked for a supervisor to get in touch.") % {
        "name": mentor.user.display_name
    }
    return render_message(
        title=_title(notification),
        lines=[line],
        url=site_url(reverse("accounts:pathway_mentor", args=[mentor.pk])),
    )


def certification_still_relevant(notification: Notification) -> bool:
    """Not once a newer certification was issued or the mentor left."""
    cert = notification.subject
    mentor = cert.mentor
    return (
        mentor.status != MentorProfile.Status.INACTIVE
        and not mentor.certifications.filter(expires_on__gt=cert.expires_on).exists()
    )


def register() -> None:
    TITLES.update(KIND_TITLES)
    RENDERERS.update(
        {
            "mentor_application_received": render_application_received,
            "mentor_application_known": render_application_known,
            "mentor_invitation": render_invitation,
            "certification_expiring": render_certification_expiring,
            "mentor_wellbeing_contact": render_wellbeing_contact,
        }
    )
    STILL_RELEVANT["certification_expiring"] = certification_still_relevant
