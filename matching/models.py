"""Interviews, matching settings, matches and their history, and match support.

The invariants of a match hold in the database: one open match per mentee (a partial unique
index) and, on PostgreSQL, a mentor never above capacity (a trigger that locks the mentor's
row, installed by migration ``0003``). Services in ``matching.services`` are the only way in.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Goal, MenteeProfile, MentorProfile, Program


class MatchingSettings(models.Model):
    """A program's matching weights and match-support cadence (supervisors edit them)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="matching_settings"
    )
    weight_life_goals = models.PositiveSmallIntegerField(_("shared life goals"), default=30)
    weight_lived_experience = models.PositiveSmallIntegerField(
        _("shared lived experience"), default=25
    )
    weight_language = models.PositiveSmallIntegerField(
        _("shared language other than English"), default=5
    )
    weight_availability = models.PositiveSmallIntegerField(_("availability overlap"), default=15)
    weight_modality = models.PositiveSmallIntegerField(_("a way to meet in common"), default=10)
    weight_location = models.PositiveSmallIntegerField(_("same town or neighbourhood"), default=5)
    weight_preferences = models.PositiveSmallIntegerField(_("mentee's preferences met"), default=5)
    weight_idd_mh = models.PositiveSmallIntegerField(
        _("IDD-MH experience for IDD-MH mentees"), default=10
    )
    weight_interests = models.PositiveSmallIntegerField(_("shared interests"), default=5)
    weight_waiting = models.PositiveSmallIntegerField(
        _("cohort matching: priority per month waiting"),
        default=10,
        help_text=_("So that people who have waited longest are not left out again."),
    )
    weight_hard_to_match = models.PositiveSmallIntegerField(
        _("cohort matching: priority for hard-to-match mentees"),
        default=10,
        help_text=_("Mentees with few eligible mentors get this much extra priority."),
    )
    requires_approval = models.BooleanField(_("a supervisor approves each match"), default=True)
    contacts_first_month = models.PositiveSmallIntegerField(
        _("check-ins in the first month"), default=2, validators=[MaxValueValidator(8)]
    )
    contact_interval_days = models.PositiveSmallIntegerField(
        _("days between check-ins after the first month"),
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(120)],
    )
    no_session_alert_days = models.PositiveSmallIntegerField(
        _("days without a session before the coordinator is told"),
        default=21,
        validators=[MinValueValidator(7), MaxValueValidator(120)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    WEIGHT_FIELDS = (
        "weight_life_goals",
        "weight_lived_experience",
        "weight_language",
        "weight_availability",
        "weight_modality",
        "weight_location",
        "weight_preferences",
        "weight_idd_mh",
        "weight_interests",
    )

    # How often coordinators check in on a match, and when a match with no session is flagged.
    CADENCE_FIELDS = ("contacts_first_month", "contact_interval_days", "no_session_alert_days")

    class Meta:
        verbose_name_plural = _("matching settings")

    def __str__(self) -> str:
        return f"Matching settings of {self.program}"

    @classmethod
    def for_program(cls, program) -> "MatchingSettings":
        found, _created = cls.objects.get_or_create(program=program)
        return found

    @property
    def weights(self) -> dict[str, int]:
        return {name.removeprefix("weight_"): getattr(self, name) for name in self.WEIGHT_FIELDS}


# --- Interview and matching checklist ----------------------------------------------------


class Checklist(models.Model):
    """One version of a program's interview-and-matching checklist. Editing makes a new
    version; interviews keep the version they were taken with."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="checklists")
    version = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    # Empty for the default version 1 every program starts with.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="checklist_version_unique"),
            models.UniqueConstraint(
                fields=["program"], condition=Q(is_current=True), name="one_current_checklist"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} checklist v{self.version}"


class ChecklistQuestion(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale 1–5")
        TEXT = "text", _("Free text")

    class Audience(models.TextChoices):
        BOTH = "both", _("Mentees and mentors")
        MENTEE = "mentee", _("Mentees")
        MENTOR = "mentor", _("Mentors")

    class Criterion(models.TextChoices):
        """The matching data an answer updates on the person's profile."""

        NONE = "", _("Does not feed matching")
        LIFE_GOALS = "life_goals", _("Life goals")
        LIVED_EXPERIENCE = "lived_experience", _("Lived experience")
        LANGUAGES = "languages", _("Languages")
        INTERESTS = "interests", _("Interests")
        AVAILABILITY = "availability", _("Weekly availability")
        MODALITIES = "modalities", _("Ways to meet")
        IDD_MH = "idd_mh", _("IDD-MH (mentee) / IDD-MH experience (mentor)")
        GENDER_PREFERENCE = "preferred_mentor_gender", _("Mentor gender preference")

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("note for the interviewer"), max_length=300, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=Kind)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_("For single and multiple choice: a list of [value, label] pairs."),
    )
    criterion = models.CharField(
        _("feeds matching criterion"), max_length=40, choices=Criterion, blank=True
    )
    audience = models.CharField(max_length=10, choices=Audience, default=Audience.BOTH)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["checklist", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Interview(models.Model):
    class Outcome(models.TextChoices):
        READY = "ready", _("Ready to match")
        FOLLOW_UP = "follow_up", _("Needs follow-up")
        NOT_SUITABLE = "not_suitable", _("Not suitable")

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="interviews")
    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="interviews"
    )
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="interviews"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("interview date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    outcome_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentee__isnull=False, mentor__isnull=True)
                | Q(mentee__isnull=True, mentor__isnull=False),
                name="interview_of_one_person",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="not_suitable") | ~Q(outcome_reason=""),
                name="not_suitable_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Interview of {self.mentee or self.mentor} on {self.held_on}"


class InterviewAnswer(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


# --- Exclusions --------------------------------------------------------------------------


class DoNotMatch(models.Model):
    """Either person asked not to be matched with the other (or staff decided so)."""

    class RequestedBy(models.TextChoices):
        MENTEE = "mentee", _("The mentee")
        MENTOR = "mentor", _("The mentor")
        STAFF = "staff", _("Program staff")

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="+")
    requested_by = models.CharField(max_length=10, choices=RequestedBy)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("do-not-match entry")
        verbose_name_plural = _("do-not-match list")
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="do_not_match_once")
        ]

    def __str__(self) -> str:
        return f"{self.mentee} ✕ {self.mentor}"


class ConflictOfInterest(models.Model):
    """A relationship that rules a pair out (relatives, co-workers, a shared household...)."""

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="+")
    description = models.CharField(_("what the conflict is"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("conflicts of interest")

    def __str__(self) -> str:
        return f"{self.mentee} / {self.mentor}: {self.description}"


# --- Matches -----------------------------------------------------------------------------


class MatchQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Match.OPEN_STATUSES)

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(program_id__in=user.program_ids_with_role("coordinator", "supervisor"))
            | Q(mentor__user=user, status__in=Match.MENTOR_VISIBLE_STATUSES)
            | Q(mentee__user=user, status__in=Match.MENTOR_VISIBLE_STATUSES)
        )


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class CloseReason(models.TextChoices):
        GOALS_MET = "goals_met", _("Goals met")
        PLANNED_END = "planned_end", _("Planned end")
        MENTEE_WITHDREW = "mentee_withdrew", _("Mentee withdrew")
        MENTOR_WITHDREW = "mentor_withdrew", _("Mentor withdrew")
        LOST_CONTACT = "lost_contact", _("Lost contact")
        SAFETY = "safety", _("Safety concern")
        REMATCH = "rematch", _("Rematch")

    # Open matches hold a mentor's capacity and block a second match for the mentee.
    OPEN_STATUSES = ("proposed", "approved", "active", "paused")
    # A mentor or mentee sees a match once it is agreed, not while staff are still deciding.
    MENTOR_VISIBLE_STATUSES = ("active", "paused", "closed")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="matches")
    mentee = models.ForeignKey(MenteeProfile, on_delete=models.PROTECT, related_name="matches")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    introduced_on = models.DateField(_("introduction meeting"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("closing reason"), max_length=30, choices=CloseReason, blank=True
    )
    close_notes = models.TextField(_("closing notes"), max_length=4000, blank=True)
    goals_achieved = models.ManyToManyField(
        Goal, blank=True, related_name="+", verbose_name=_("goals achieved")
    )
    rematch_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rematches",
        verbose_name=_("rematch of"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["proposed", "approved", "active", "paused"]),
                name="one_open_match_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""),
                name="closed_match_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["mentor", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentee.user} ↔ {self.mentor.user} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("matching:match_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class MatchEvent(models.Model):
    """Who moved a match from which state to which, when and why."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(max_length=2000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} by {self.actor}"


# --- Cohort matching ---------------------------------------------------------------------


class CohortRun(models.Model):
    """One request for the best overall assignment of selected mentees and mentors. Its
    drafts hold no capacity; publishing turns the kept ones into proposed matches."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohort_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    mentee_ids = models.JSONField(default=list)
    mentor_ids = models.JSONField(default=list)
    left_out = models.JSONField(
        default=list, help_text="[{mentee_id, reason}] for the mentees the run did not place"
    )
    total_score = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Cohort run {self.pk} for {self.program}"


class DraftProposal(models.Model):
    class Decision(models.TextChoices):
        UNDECIDED = "", _("Not decided")
        KEEP = "keep", _("Keep")
        DROP = "drop", _("Drop")

    run = models.ForeignKey(CohortRun, on_delete=models.CASCADE, related_name="drafts")
    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    reasons = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=Decision, blank=True)
    match = models.ForeignKey(Match, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_draft_per_mentee_per_run")
        ]

    def __str__(self) -> str:
        return f"Draft {self.mentee} ↔ {self.mentor}"


# --- Match support -----------------------------------------------------------------------


class SupportContact(models.Model):
    """A coordinator's check-in with the mentor or the mentee of a match."""

    class With(models.TextChoices):
        MENTOR = "mentor", _("The mentor")
        MENTEE = "mentee", _("The mentee")
        BOTH = "both", _("Both together")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="support_contacts")
    contact_date = models.DateField(_("date"), default=timezone.localdate)
    with_whom = models.CharField(_("with"), max_length=10, choices=With)
    method = models.CharField(_("how"), max_length=20, choices=Method)
    relationship_health = models.PositiveSmallIntegerField(
        _("how the relationship is going (1–5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    concerns = models.TextField(_("concerns"), max_length=4000, blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(relationship_health__gte=1, relationship_health__lte=5),
                name="relationship_health_1_to_5",
            )
        ]
        indexes = [models.Index(fields=["match", "contact_date"])]

    def __str__(self) -> str:
        return f"Check-in on {self.match} ({self.contact_date})"
