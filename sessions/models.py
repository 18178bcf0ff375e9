"""Mentoring sessions and what hangs off them: logs, resources and referrals, group sessions,
the mentee's feedback with its one-time links, safety alerts and supervision.

Private notes (``MentoringSession.private_notes``) are for the mentor who wrote them and the
program's supervisors only: never shown to mentees or case managers, never in emails or exports.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import EncryptedTextField
from accounts.models import Goal, Language, MenteeProfile, MentorProfile, Modality, Program
from matching.models import Match

MIN_DURATION = 5
MAX_DURATION = 480


class Topic(models.Model):
    """What a session was about (staff-editable)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class SupportType(models.TextChoices):
    """The program's own typology of peer support."""

    EMOTIONAL = "emotional", _("Emotional (empathy, encouragement)")
    INFORMATIONAL = "informational", _("Informational (resources, guidance)")
    INSTRUMENTAL = "instrumental", _("Instrumental (practical help: housing, jobs)")


def validate_support_types(value) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or any(item not in SupportType.values for item in value):
        raise ValidationError(_("Choose support types from the list."))


class Resource(models.Model):
    """An entry in the program's curated directory of services."""

    class Category(models.TextChoices):
        HOUSING = "housing", _("Housing")
        EMPLOYMENT = "employment", _("Employment")
        CLINIC = "clinic", _("Clinic")
        TREATMENT = "treatment", _("Treatment")
        CRISIS = "crisis", _("Crisis line")
        BENEFITS = "benefits", _("Benefits")
        PEER_GROUP = "peer_group", _("Peer group")
        EDUCATION = "education", _("Education")
        OTHER = "other", _("Other")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.TextField(_("what they offer"), max_length=2000, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=150, blank=True)
    languages = models.ManyToManyField(Language, blank=True, verbose_name=_("languages"))
    is_active = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="resource_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MentoringSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Mentors see their own matches' sessions; mentees theirs; supervisors and
        coordinators their programs'. (Private notes are a separate rule: see
        ``MentoringSession.private_notes_visible_to``.)"""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(match__program_id__in=user.program_ids_with_role("coordinator", "supervisor"))
            | Q(match__mentor__user=user)
            | Q(match__mentee__user=user)
        )


class MentoringSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    class Concern(models.TextChoices):
        NONE = "", _("No concern")
        TALK = "talk", _("Talk with my supervisor")
        URGENT = "urgent", _("Urgent safety concern")

    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="sessions")
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SCHEDULED)
    starts_at = models.DateTimeField(_("date and time"))
    expected_minutes = models.PositiveSmallIntegerField(
        _("expected length (minutes)"),
        default=60,
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    modality = models.CharField(_("how"), max_length=20, choices=Modality)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    # Filled in when the session is logged.
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    support_types = models.JSONField(
        _("support given"), default=list, blank=True, validators=[validate_support_types]
    )
    topics = models.ManyToManyField(Topic, blank=True, verbose_name=_("topics"))
    goals_worked_on = models.ManyToManyField(
        Goal, blank=True, related_name="sessions", verbose_name=_("goals worked on")
    )
    resources_shared = models.ManyToManyField(
        Resource, blank=True, related_name="sessions", verbose_name=_("resources shared")
    )
    summary = models.TextField(_("summary the mentee can see"), max_length=2000, blank=True)
    private_notes = EncryptedTextField(
        _("private notes (you and supervisors only)"), max_length=4000, blank=True
    )
    concern = models.CharField(_("concern"), max_length=10, choices=Concern, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentoringSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=MIN_DURATION, duration_minutes__lte=MAX_DURATION),
                name="session_duration_5_to_480",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(duration_minutes__isnull=False),
                name="held_session_has_duration",
            ),
        ]
        indexes = [
            models.Index(fields=["match", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            # Reports and dashboards select a period's sessions across many matches.
            models.Index(fields=["starts_at"], name="session_starts_at_idx"),
        ]

    def __str__(self) -> str:
        return f"Session of {self.match} on {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mentoring_sessions:session_detail", args=[self.pk])

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.expected_minutes)

    @property
    def is_logged(self) -> bool:
        return self.logged_at is not None

    def private_notes_visible_to(self, user) -> bool:
        if user.is_superuser:
            return True
        if self.logged_by_id == user.pk:
            return True
        return self.match.program_id in user.program_ids_with_role("supervisor")


class Referral(models.Model):
    """A referral made in a session to a resource, and whether the mentee connected — so the
    reports can show which resources work."""

    class FollowUp(models.TextChoices):
        PENDING = "pending", _("Not followed up yet")
        CONNECTED = "connected", _("Connected")
        NOT_CONNECTED = "not_connected", _("Did not connect")

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="referrals"
    )
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="referrals")
    follow_up = models.CharField(
        _("did the mentee connect?"), max_length=20, choices=FollowUp, default=FollowUp.PENDING
    )
    helpfulness = models.PositiveSmallIntegerField(
        _("how it went (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    outcome_notes = models.CharField(_("how it went"), max_length=500, blank=True)
    followed_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "resource"], name="one_referral_per_resource"
            )
        ]
        indexes = [models.Index(fields=["resource", "follow_up"])]

    def __str__(self) -> str:
        return f"Referral to {self.resource}"


class GroupSession(models.Model):
    class Kind(models.TextChoices):
        SUPPORT_GROUP = "support_group", _("Support group")
        WORKSHOP = "workshop", _("Workshop")
        COMMUNITY = "community", _("Community event")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="group_sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=150)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("topic")
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=90,
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    facilitators = models.ManyToManyField(
        MentorProfile, related_name="facilitated_groups", verbose_name=_("facilitating mentors")
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["program", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class GroupAttendance(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", _("Expected")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    group_session = models.ForeignKey(
        GroupSession, on_delete=models.CASCADE, related_name="attendance"
    )
    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.CASCADE, related_name="group_attendance"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.EXPECTED)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group_session", "mentee"], name="one_attendance_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee} at {self.group_session}: {self.status}"


class SessionFeedback(models.Model):
    """The mentee's short, easy-read feedback on one held session."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NOT_SURE = "not_sure", _("Not sure")
        NO = "no", _("No")

    class Safety(models.TextChoices):
        SAFE = "safe", _("I feel safe")
        NOT_SAFE = "not_safe", _("I don't feel safe")
        NEED_HELP = "need_help", _("I need help now")

    # Answers to "How safe do you feel right now?" that raise a safety alert.
    UNSAFE = (Safety.NOT_SAFE, Safety.NEED_HELP)

    session = models.OneToOneField(
        MentoringSession, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("How was today?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    felt_listened_to = models.CharField(_("I felt listened to"), max_length=10, choices=Answer)
    learned_something = models.CharField(
        _("I learned something I can use"), max_length=10, choices=Answer
    )
    more_hopeful = models.CharField(_("I feel more hopeful"), max_length=10, choices=Answer)
    wants_contact = models.BooleanField(
        _("Do you want someone from the program to contact you?"), default=False
    )
    feels_safe = models.CharField(
        _("How safe do you feel right now?"), max_length=10, choices=Safety, blank=True
    )
    comment = models.TextField(_("Anything else?"), max_length=2000, blank=True)
    # Many mentees answer with a support person beside them; reports read the answers knowing it.
    helped = models.BooleanField(_("someone helped me fill this in"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    via_link = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.session}"

    @property
    def feels_unsafe(self) -> bool:
        return self.feels_safe in self.UNSAFE


class FeedbackLink(models.Model):
    """A one-time link to one session's feedback form. Only a hash of the token is stored;
    it is used up when the form is submitted (not when opened: mail scanners open links)."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="feedback_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Feedback link for {self.session}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class SafetyAlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Alerts of the programs I supervise; once an alert is escalated, also those of the
        other programs of the centers where I supervise a program."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        supervised = user.program_ids_with_role("supervisor")
        if not supervised:
            return self.none()
        centers = Program.objects.filter(pk__in=supervised).values("center_id")
        return self.filter(
            Q(program_id__in=supervised)
            | Q(escalated_at__isnull=False, program__center_id__in=centers)
        )

    def open(self):
        return self.exclude(status=SafetyAlert.Status.RESOLVED)


class SafetyAlert(models.Model):
    """A person may be in danger. Raised open; the on-call supervisors are alerted at once;
    unacknowledged after the program's escalation time, every supervisor of the program and
    of its center is alerted (once). Acknowledged, worked (notes, contact attempts) and
    resolved with an outcome."""

    class Source(models.TextChoices):
        SESSION_CONCERN = "session_concern", _("A mentor's urgent concern")
        FEEDBACK = "feedback", _("The mentee's feedback")
        MEASURE = "measure", _("An outcome measure answer")
        CHECK_IN = "check_in", _("A check-in answer")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("Being worked")
        RESOLVED = "resolved", _("Resolved")

    class Outcome(models.TextChoices):
        SAFE_PLAN = "safe_plan", _("Reached; safe for now, safety plan reviewed")
        CONNECTED = "connected", _("Connected to crisis or clinical services")
        EMERGENCY = "emergency", _("Emergency services involved")
        NOT_REACHED = "not_reached", _("Could not be reached; handed on to another service")
        NO_RISK = "no_risk", _("No risk found on follow-up")
        OTHER = "other", _("Other (see notes)")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="safety_alerts")
    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.PROTECT, related_name="safety_alerts"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source)
    session = models.ForeignKey(
        MentoringSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)

    objects = SafetyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["program", "status", "raised_at"]),
            models.Index(fields=["status", "escalated_at", "raised_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(outcome=""),
                name="safety_alert_resolved_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"Safety alert for {self.mentee} ({self.get_status_display()})"


class SafetyAlertNote(models.Model):
    """A supervisor's note on working an alert (encrypted in the database)."""

    alert = models.ForeignKey(SafetyAlert, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on alert {self.alert_id}"


class ContactAttempt(models.Model):
    """An attempt to reach the mentee (or someone for them) about an alert."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        VIDEO = "video", _("Video call")
        IN_PERSON = "in_person", _("In person")
        EMAIL = "email", _("Email")
        SUPPORT_PERSON = "support_person", _("Through a support person or case manager")
        EMERGENCY = "emergency", _("Emergency services (911 / mobile crisis)")

    class Result(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        LEFT_MESSAGE = "left_message", _("Left a message")
        WRONG_CONTACT = "wrong_contact", _("Wrong or missing contact details")
        HANDED_ON = "handed_on", _("Handed on to emergency or crisis services")

    alert = models.ForeignKey(
        SafetyAlert, on_delete=models.CASCADE, related_name="contact_attempts"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attempted_at = models.DateTimeField(_("when"))
    method = models.CharField(_("how"), max_length=20, choices=Method)
    result = models.CharField(_("outcome"), max_length=20, choices=Result)
    note = EncryptedTextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"Contact attempt on alert {self.alert_id}"


class CrisisSettings(models.Model):
    """A program's crisis line-up: the on-call number mentees see with the crisis resources,
    the supervisors alerted first, and how long an alert may stay unacknowledged before it
    escalates to every supervisor of the program and its center."""

    DEFAULT_ESCALATION_MINUTES = 30

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="crisis_settings"
    )
    on_call_phone = models.CharField(
        _("on-call phone number"),
        max_length=32,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 ().-]{1,30}$",
                _("Enter a phone number: digits, spaces, ( ) . - and an optional leading +."),
            )
        ],
        help_text=_("Shown to mentees with the crisis resources. Leave empty if there is none."),
    )
    on_call_supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("on-call supervisors"),
        help_text=_("Alerted first. If none is chosen, every supervisor of the program is."),
    )
    escalation_minutes = models.PositiveSmallIntegerField(
        _("escalate after (minutes)"),
        default=DEFAULT_ESCALATION_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_(
            "If nobody acknowledges an alert in this time, every supervisor of the program "
            "and of the center is alerted."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("crisis settings")
        verbose_name_plural = _("crisis settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation_minutes__gte=5, escalation_minutes__lte=240),
                name="crisis_escalation_minutes_range",
            )
        ]

    def __str__(self) -> str:
        return f"Crisis settings of {self.program}"

    @property
    def on_call_tel(self) -> str:
        """The number for a ``tel:`` link: digits and a leading +."""
        phone = self.on_call_phone.strip()
        digits = "".join(ch for ch in phone if ch.isdigit())
        return f"+{digits}" if phone.startswith("+") else digits


class SupervisionMeeting(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="supervision_meetings"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    met_on = models.DateField(_("date"))
    topics = EncryptedTextField(_("what we talked about"), max_length=2000)
    agreed_actions = EncryptedTextField(_("agreed actions"), max_length=2000, blank=True)
    next_on = models.DateField(_("next meeting"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on"]
        indexes = [models.Index(fields=["mentor", "met_on"])]

    def __str__(self) -> str:
        return f"Supervision of {self.mentor} on {self.met_on}"


class SupervisorNote(models.Model):
    """A note a supervisor writes for a mentor; the mentor sees what is addressed to them."""

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="supervisor_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        MentoringSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note for {self.mentor} ({self.created_at:%Y-%m-%d})"
